import { beforeEach, describe, expect, it, vi } from 'vitest';

/**
 * The sign-in and sign-out actions are public endpoints: a direct POST can send them any
 * arguments, not only the form's FormData (found by `npm run prove -- --part input`, which had
 * both answer 500 to a plain object). Auth.js is stood in for; nobody is signed in.
 */
const signIn = vi.hoisted(() => vi.fn(async () => {}));
const signOut = vi.hoisted(() => vi.fn(async () => {}));
vi.mock('next-auth', () => ({ AuthError: class extends Error {}, CredentialsSignin: class extends Error {} }));
vi.mock('@/lib/auth', () => ({ auth: async () => null, signIn, signOut }));
vi.mock('next/headers', () => ({ headers: async () => new Headers({ 'user-agent': 'vitest', 'x-request-id': 'req-input' }) }));
vi.mock('react', async (importOriginal) => ({
  ...(await importOriginal<typeof import('react')>()),
  cache: <T>(fn: T) => fn,
}));

const { signInAction, signOutAction } = await import('./actions');

beforeEach(() => {
  signIn.mockClear();
  signOut.mockClear();
});

describe('sign-in and sign-out given something other than their form', () => {
  it('sign-in answers with field errors, and tries no sign-in, for an object, nothing or a string', async () => {
    for (const args of [[null, { email: 'a@b.test', password: 'x' }], [null], [], ['x', 'y'], [null, null]]) {
      const answer = await (signInAction as (...a: unknown[]) => ReturnType<typeof signInAction>)(...args);
      expect(answer, JSON.stringify(args)).toMatchObject({ ok: false, code: 'invalid_input', email: '' });
      expect(answer?.ok === false && answer.fieldErrors?.email).toBeTruthy();
    }
    expect(signIn).not.toHaveBeenCalled();
  });

  it('a missing or non-text field gets the words an empty one gets, never a message key (the input proof logged 19)', async () => {
    const form = new FormData();
    form.set('password', new Blob(['x']));
    form.set('callbackUrl', new Blob(['/admin']));
    const answer = await signInAction(null, form);
    expect(answer).toMatchObject({
      ok: false,
      code: 'invalid_input',
      fieldErrors: { email: ['Enter your email address.'], password: ['Enter your password.'] },
    });
    // A callback that is not a same-site path is replaced by "/", never an error.
    expect(answer?.ok === false && Object.keys(answer.fieldErrors ?? {}).sort()).toEqual(['email', 'password']);
    expect((await signInAction(null, new FormData())) as object).not.toHaveProperty('fieldErrors.callbackUrl');
    expect(signIn).not.toHaveBeenCalled();
  });

  it('sign-out reads anything but its form as "this session" and still signs out', async () => {
    for (const arg of [{ scope: 'everywhere' }, 'everywhere', 42, null]) {
      await expect((signOutAction as (a: unknown) => Promise<void>)(arg)).resolves.toBeUndefined();
    }
    expect(signOut).toHaveBeenCalledTimes(4);
    expect(signOut).toHaveBeenCalledWith({ redirectTo: '/signin' });
  });
});
