import { expect, test } from '@playwright/test';
import { DEMO_PASSWORD, ROLES, SignInPage } from './fixtures';

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
  await page.getByRole('button', { name: 'Sign out' }).click();
  await expect(page).toHaveURL(/\/signin/);
  await page.goto('/orders');
  await expect(page).toHaveURL(/\/signin/);
});
