import { z } from 'zod';
import { roleEnum } from '@/db/schema/enums';

export const setUserActiveInput = z.object({
  userId: z.uuid({ error: 'Choose a user.' }),
  active: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true'),
});

export const changeUserRoleInput = z.object({
  userId: z.uuid({ error: 'Choose a user.' }),
  role: z.enum(roleEnum.enumValues, { error: 'Choose one of the roles.' }),
});
