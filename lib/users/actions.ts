'use server';

import { revalidatePath } from 'next/cache';
import { defineAction } from '@/lib/actions/action';
import { changeUserRoleInput, setUserActiveInput } from './schemas';
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
