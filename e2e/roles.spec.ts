import { expect, test } from '@playwright/test';
import { ROLES, storageState, type RoleName } from './fixtures';

for (const role of Object.keys(ROLES) as RoleName[]) {
  test.describe(`${role}`, () => {
    test.use({ storageState: storageState(role) });

    test('sees only the sections of the role', async ({ page }) => {
      await page.goto('/');
      const nav = page.getByRole('navigation', { name: 'Sections' }).getByRole('link');
      // A count badge may follow a label (pending approvals).
      await expect(nav).toHaveText(ROLES[role].sections.map((s) => new RegExp(`^${s}\\d*$`)));
    });
  });
}

test.describe('refusals', () => {
  test.use({ storageState: storageState('agent') });

  test('an agent opening an admin URL directly is refused, not shown the page', async ({ page }) => {
    const response = await page.goto('/admin');
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId('forbidden')).toBeVisible();
    await expect(page.getByTestId('users-table')).toHaveCount(0);
  });

  test('an agent opening the audit log directly is refused', async ({ page }) => {
    const response = await page.goto('/audit');
    expect(response?.status()).toBe(403);
    await expect(page.getByTestId('audit-table')).toHaveCount(0);
  });

  test('an agent landing on / is taken to orders', async ({ page }) => {
    await page.goto('/');
    await expect(page).toHaveURL(/\/orders$/);
  });
});

test.describe('auditor refusals', () => {
  test.use({ storageState: storageState('auditor') });

  test('an auditor reads the approvals queue but is offered no decision', async ({ page }) => {
    const response = await page.goto('/approvals');
    expect(response?.status()).toBe(200);
    await expect(page.getByRole('heading', { name: 'Approvals' })).toBeVisible();
    await expect(page.getByRole('button', { name: 'Approve' })).toHaveCount(0);
    await expect(page.getByRole('button', { name: 'Reject' })).toHaveCount(0);
  });
});

test('a signed-out visitor is sent to sign in, keeping where they wanted to go', async ({ page }) => {
  await page.goto('/orders?q=carter');
  await expect(page).toHaveURL(/\/signin\?callbackUrl=/);
  await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
});
