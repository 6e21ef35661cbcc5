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

  it.each<[{ type?: string }, string]>([
    [{ type: 'UnknownAction' }, 'Cannot parse action at /api/auth/nope. Read more at https://errors.authjs.dev#unknownaction'],
    [{}, 'Provider with id "oidc" not found. Available providers: [credentials].'],
  ])('a request for an action or provider the app does not have is one warning line (%o)', (extra, message) => {
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    authLogger.error(Object.assign(new Error(message), extra));
    expect(warn).toHaveBeenCalledWith({ auth: extra.type ?? 'Error', message }, 'auth request refused');
    expect(error).not.toHaveBeenCalled();
  });

  it('anything else is an error with the error attached', () => {
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const boom = Object.assign(new Error('The OIDC issuer could not be read'), { type: 'InvalidEndpoints' });
    authLogger.error(boom);
    expect(error).toHaveBeenCalledWith({ err: boom, auth: 'InvalidEndpoints' }, 'auth error');
  });
});

describe('Auth.js itself, configured as the app configures it (./config.ts, shared with the proxy)', () => {
  const CONSOLE = ['error', 'warn', 'log', 'info', 'debug'] as const;

  async function wrongPassword() {
    const { Auth } = await import('@auth/core');
    const { default: Credentials } = await import('@auth/core/providers/credentials');
    const { authConfig } = await import('./config');
    const config = {
      ...authConfig,
      secret: 'logger-test-secret-0123456789abcdef0123456789',
      basePath: '/api/auth',
      providers: [Credentials({ credentials: { email: {}, password: {} }, authorize: async () => null })],
    };
    const csrf = await Auth(new Request('http://localhost/api/auth/csrf'), config);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const cookie = csrf.headers
      .getSetCookie()
      .map((c) => c.split(';')[0])
      .join('; ');
    return Auth(
      new Request('http://localhost/api/auth/callback/credentials', {
        method: 'POST',
        headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ csrfToken, email: 'someone@example.com', password: 'wrong' }),
      }),
      config,
    );
  }

  it('a wrong password prints nothing unstructured: one info line, no `[auth][error]`, no stack', async () => {
    const printed = CONSOLE.map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    const info = vi.spyOn(log, 'info').mockImplementation(() => undefined);
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const response = await wrongPassword();
    expect(response.status).toBe(302);
    expect(new URL(response.headers.get('location')!).searchParams.get('error')).toBe('CredentialsSignin');
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(info).toHaveBeenCalledTimes(1);
    expect(info).toHaveBeenCalledWith({ auth: 'CredentialsSignin', code: 'credentials' }, 'sign-in refused');
    expect(error).not.toHaveBeenCalled();
  });

  it('an unreadable session cookie is one warning line, without a stack', async () => {
    const printed = CONSOLE.map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const { Auth } = await import('@auth/core');
    const { authConfig } = await import('./config');
    const response = await Auth(
      new Request('http://localhost/api/auth/session', { headers: { cookie: 'authjs.session-token=not-a-jwe' } }),
      { ...authConfig, secret: 'logger-test-secret-0123456789abcdef0123456789', basePath: '/api/auth' },
    );
    expect(response.status).toBe(200);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ auth: 'JWTSessionError' }), 'session cookie refused');
  });

  it.each<[string, RequestInit]>([
    // A form posted without the CSRF token Auth.js hands out (a scanner, a replayed or forged form).
    [
      'a POST without its CSRF token',
      {
        method: 'POST',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: 'email=a%40b.c&password=x',
      },
    ],
    // A body that says JSON and is not: Auth.js's own body parser throws a SyntaxError.
    [
      'a body that claims to be JSON and is not',
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: 'csrfToken=x&email=a' },
    ],
  ])('%s is one warning line, not an error with a stack', async (_name, init) => {
    const printed = CONSOLE.map((method) => vi.spyOn(console, method).mockImplementation(() => undefined));
    const warn = vi.spyOn(log, 'warn').mockImplementation(() => undefined);
    const error = vi.spyOn(log, 'error').mockImplementation(() => undefined);
    const { Auth } = await import('@auth/core');
    const { default: Credentials } = await import('@auth/core/providers/credentials');
    const { authConfig } = await import('./config');
    const response = await Auth(new Request('http://localhost/api/auth/callback/credentials', init), {
      ...authConfig,
      secret: 'logger-test-secret-0123456789abcdef0123456789',
      basePath: '/api/auth',
      providers: [Credentials({ credentials: { email: {}, password: {} }, authorize: async () => null })],
    });
    expect(response.status).toBeLessThan(500);
    for (const spy of printed) expect(spy).not.toHaveBeenCalled();
    expect(error).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledWith(expect.objectContaining({ auth: expect.any(String) }), 'auth request refused');
  });
});
