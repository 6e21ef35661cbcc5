import { z } from 'zod';
import { roleEnum } from '@/db/schema/enums';
import { LOCALES } from '@/i18n/locales';

export const setUserActiveInput = z.object({
  userId: z.uuid({ error: 'chooseUser' }),
  active: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true'),
});

export const changeUserRoleInput = z.object({
  userId: z.uuid({ error: 'chooseUser' }),
  role: z.enum(roleEnum.enumValues, { error: 'chooseRole' }),
});

export const inviteUserInput = z.object({
  name: z.string().trim().min(1, 'enterName').max(120, 'atMost120'),
  email: z.email({ error: 'enterEmail' }).trim().toLowerCase().max(254),
  role: z.enum(roleEnum.enumValues, { error: 'chooseRole' }),
});

export const resetPasswordInput = z.object({ userId: z.uuid({ error: 'chooseUser' }) });

export const setOwnPasswordInput = z
  .object({
    password: z.string().min(12, 'passwordMin12').max(200, 'atMost200'),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'passwordsDiffer' });

export const setLanguageInput = z.object({ locale: z.enum(LOCALES, { error: 'Choose one of the languages.' }) });
