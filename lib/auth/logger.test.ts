import { afterEach, describe, expect, it, vi } from 'vitest';
import { log } from '@/lib/log';
import { authLogger } from './logger';

afterEach(() => vi.restoreAllMocks());

describe("Auth.js's logs", () => {
  it('a refused sign-in is one structured info line, without a stack', () => {
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    authLogger.error(
      Object.assign(new Error('Read more at https://errors.authjs.dev#credentialssignin'), {
        type: 'CredentialsSignin',
        code: 'invalid',
      }),
    );
    expect(info).toHaveBeenCalledWith({ auth: 'CredentialsSignin', code: 'invalid' }, 'sign-in refused');
    expect(error).not.toHaveBeenCalled();
  });

  it('anything else is an error with the error attached', () => {
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const boom = Object.assign(new Error('JWT could not be decoded'), { type: 'JWTSessionError' });
    authLogger.error(boom);
    expect(error).toHaveBeenCalledWith({ err: boom, auth: 'JWTSessionError' }, 'auth error');
  });
});
