'use server';

import { revalidatePath } from 'next/cache';
import { cookies } from 'next/headers';
import { LOCALE_COOKIE } from '@/i18n/locales';
import { defineAction } from '@/lib/actions/action';
import { homeFor } from '@/lib/auth/permissions';
import { SafeError } from '@/lib/errors';
import {
  changeUserRoleInput,
  inviteUserInput,
  resetPasswordInput,
  setLanguageInput,
  setOwnPasswordInput,
  setUserActiveInput,
} from './schemas';
import * as service from './service';

export const setUserActiveAction = defineAction(
  { name: 'users.setActive', permission: 'users.manage', input: setUserActiveInput },
  async (input, { db, user, audit }) => {
    const result = await service.setUserActive(db, user, audit, input);
    revalidatePath('/admin');
    return result;
  },
);

export const changeUserRoleAction = defineAction(
  { name: 'users.changeRole', permission: 'users.manage', input: changeUserRoleInput },
  async (input, { db, user, audit }) => {
    const result = await service.changeUserRole(db, user, audit, input);
    revalidatePath('/admin');
    return result;
  },
);

export const inviteUserAction = defineAction(
  { name: 'users.invite', permission: 'users.manage', input: inviteUserInput },
  async (input, { db, user, audit }) => {
    const result = await service.inviteUser(db, user, audit, input);
    revalidatePath('/admin');
    return result;
  },
);

export const resetPasswordAction = defineAction(
  { name: 'users.resetPassword', permission: 'users.manage', input: resetPasswordInput },
  async (input, { db, user, audit }) => service.resetPassword(db, user, audit, input),
);

export const setOwnPasswordAction = defineAction(
  { name: 'users.setOwnPassword', permission: 'account.password', input: setOwnPasswordInput, allowPasswordChangePending: true },
  async (input, { db, user, audit }) => {
    // Without a pending one-time password, changing it would need the current one: not offered here.
    if (!user.mustChangePassword) throw new SafeError('Your password is already set.', 'not_required');
    const { role } = await service.setOwnPassword(db, user, audit, input);
    return { home: homeFor(role) };
  },
);

/**
 * The signed-in user's language: saved on their account, and copied to this device's cookie so
 * the sign-in page speaks it after they sign out.
 */
export const setLanguageAction = defineAction(
  { name: 'users.setLanguage', permission: 'account.preferences', input: setLanguageInput },
  async (input, { db, user, audit }) => {
    const result = await service.setLanguage(db, user, audit, input);
    (await cookies()).set(LOCALE_COOKIE, input.locale, { path: '/', sameSite: 'lax', maxAge: 365 * 24 * 60 * 60 });
    revalidatePath('/', 'layout');
    return result;
  },
);
