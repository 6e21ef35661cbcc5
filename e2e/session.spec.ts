import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, ROLES, SignInPage, storageState } from './fixtures';

test('a wrong password is refused with a clear message and keeps the email', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(ROLES.manager.email, 'not-the-password');
  await expect(page.getByRole('status')).toHaveText('That email and password do not match an active account.');
  await expect(page.getByLabel('Email')).toHaveValue(ROLES.manager.email);
  await expect(page).toHaveURL(/\/signin/);
});

test('an empty form points at the fields', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expect(page.getByText('Enter your email address.')).toBeVisible();
  await expect(page.getByLabel('Email')).toHaveAttribute('aria-invalid', 'true');
});

test('sign-out ends the session', async ({ page }) => {
  const signIn = new SignInPage(page);
  await signIn.goto();
  await signIn.signIn(ROLES.auditor.email, DEMO_PASSWORD);
  await expect(page.getByTestId('current-user')).toHaveText(ROLES.auditor.name);
  await page.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/signin/);
});

test('a password reset ends every session of the user at its next click, a stolen copy of the cookie included', async ({
  browser,
}) => {
  const user = { name: 'Quinn Stolen', email: 'quinn.stolen@refund-desk.test' };
  const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await admin.goto('/admin');
  await admin.getByLabel('Name', { exact: true }).fill(user.name);
  await admin.getByLabel('Email', { exact: true }).fill(user.email);
  await admin.getByLabel('Role', { exact: true }).selectOption('agent');
  await admin.getByRole('button', { name: 'Invite user' }).click();
  const invitation = (await admin.getByTestId('one-time-password-value').textContent())!.trim();
  await expect(admin.getByTestId('one-time-password')).toContainText('within 72 hours');

  const quinn = await (await browser.newContext()).newPage();
  await new SignInPage(quinn).goto();
  await new SignInPage(quinn).signIn(user.email, invitation);
  await quinn.getByLabel('New password').fill('quinn-chose-this-one');
  await quinn.getByLabel('Repeat it').fill('quinn-chose-this-one');
  await quinn.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(quinn).toHaveURL(/\/orders$/);
  // Someone copies Quinn's cookie.
  const thief = await (await browser.newContext({ storageState: await quinn.context().storageState() })).newPage();
  await thief.goto('/refunds');
  await expect(thief.getByTestId('current-user')).toHaveText(user.name);

  await admin.reload();
  await admin.getByRole('button', { name: `Reset password of ${user.name}` }).click();
  const confirm = admin.getByTestId('reset-password-dialog');
  await expect(confirm.getByRole('heading', { name: `Reset ${user.name}'s password?` })).toBeVisible();
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Reset password' }).click();
  const reset = (await admin.getByTestId('one-time-password-value').textContent())!.trim();
  await expect(admin.getByTestId('one-time-password')).toContainText('within 24 hours');

  // Both copies of the old session end at their next click.
  await quinn.getByRole('link', { name: 'Refunds' }).click();
  await expect(quinn).toHaveURL(/\/signin/);
  await thief.getByRole('link', { name: 'Orders' }).click();
  await expect(thief).toHaveURL(/\/signin/);

  // Quinn signs in with the new one-time password; only that session may set the password.
  await new SignInPage(quinn).signIn(user.email, reset);
  await expect(quinn).toHaveURL(/\/set-password$/);
  await quinn.getByLabel('New password').fill('quinn-second-choice');
  await quinn.getByLabel('Repeat it').fill('quinn-second-choice');
  await quinn.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(quinn).toHaveURL(/\/orders$/);

  // Signing out ends the session for a copy of the cookie too.
  const copy = await quinn.context().storageState();
  await quinn.getByRole('button', { name: 'Sign out', exact: true }).click();
  await expect(quinn).toHaveURL(/\/signin/);
  const replay = await (await browser.newContext({ storageState: copy })).newPage();
  await replay.goto('/orders');
  await expect(replay).toHaveURL(/\/signin/);
  for (const page of [admin, quinn, thief, replay]) await page.context().close();
});
