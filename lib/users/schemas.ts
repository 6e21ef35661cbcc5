import { z } from 'zod';
import { roleEnum } from '@/db/schema/enums';
import { LOCALES } from '@/i18n/locales';

export const setUserActiveInput = z.object({
  userId: z.uuid({ error: 'Choose a user.' }),
  active: z.union([z.boolean(), z.enum(['true', 'false'])]).transform((v) => v === true || v === 'true'),
});

export const changeUserRoleInput = z.object({
  userId: z.uuid({ error: 'Choose a user.' }),
  role: z.enum(roleEnum.enumValues, { error: 'Choose one of the roles.' }),
});

export const inviteUserInput = z.object({
  name: z.string().trim().min(1, 'Enter a name.').max(120, 'At most 120 characters.'),
  email: z.email({ error: 'Enter an email address such as name@example.com.' }).trim().toLowerCase().max(254),
  role: z.enum(roleEnum.enumValues, { error: 'Choose one of the roles.' }),
});

export const resetPasswordInput = z.object({ userId: z.uuid({ error: 'Choose a user.' }) });

export const setOwnPasswordInput = z
  .object({
    password: z.string().min(12, 'Use at least 12 characters.').max(200, 'At most 200 characters.'),
    confirm: z.string(),
  })
  .refine((v) => v.password === v.confirm, { path: ['confirm'], message: 'The two passwords differ.' });

export const setLanguageInput = z.object({ locale: z.enum(LOCALES, { error: 'Choose one of the languages.' }) });
