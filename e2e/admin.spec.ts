import { expect, test } from '@playwright/test';
import { SignInPage, storageState } from './fixtures';

test.describe.configure({ mode: 'serial' });

const NEW_AGENT = { name: 'Pat Probation', email: 'pat.probation@refund-desk.test' };

test('an admin invites an agent, who signs in once with the one-time password, sets their own, and is deactivated: their next click is refused', async ({
  browser,
}) => {
  const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await admin.goto('/admin');
  await admin.getByLabel('Name', { exact: true }).fill(NEW_AGENT.name);
  await admin.getByLabel('Email', { exact: true }).fill(NEW_AGENT.email);
  await admin.getByLabel('Role', { exact: true }).selectOption('agent');
  await admin.getByRole('button', { name: 'Invite user' }).click();
  const oneTimePassword = (await admin.getByTestId('one-time-password-value').textContent())!.trim();
  expect(oneTimePassword).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
  await admin.screenshot({ path: 'e2e/screenshots/admin-invite.png', fullPage: true });
  const row = admin.locator(`tr[data-email="${NEW_AGENT.email}"]`);
  await expect(row).toContainText('Awaiting first sign-in');

  // The invited agent, in their own browser.
  const agentContext = await browser.newContext();
  const agent = await agentContext.newPage();
  const signIn = new SignInPage(agent);
  await signIn.goto();
  await signIn.signIn(NEW_AGENT.email, oneTimePassword);
  await expect(agent).toHaveURL(/\/set-password$/);
  // Nothing else is open to them until they have chosen a password.
  await agent.goto('/orders');
  await expect(agent).toHaveURL(/\/set-password$/);
  await agent.getByLabel('New password').fill('short');
  await agent.getByLabel('Repeat it').fill('short');
  await agent.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(agent.getByText('Use at least 12 characters.')).toBeVisible();
  await agent.getByLabel('New password').fill('pat-chose-this-one');
  await agent.getByLabel('Repeat it').fill('pat-chose-this-one');
  await agent.getByRole('button', { name: 'Set password and continue' }).click();
  await expect(agent).toHaveURL(/\/orders$/);
  await expect(agent.getByTestId('current-user')).toHaveText(NEW_AGENT.name);

  // The one-time password is used up.
  const again = await (await browser.newContext()).newPage();
  await new SignInPage(again).goto();
  await new SignInPage(again).signIn(NEW_AGENT.email, oneTimePassword);
  await expect(again.getByRole('status')).toHaveText('That email and password do not match an active account.');
  await again.context().close();

  await admin.reload();
  await expect(row).toContainText('Active');
  await row.getByRole('button', { name: `Deactivate ${NEW_AGENT.name}` }).click();
  await expect(row).toContainText('Deactivated');

  // The agent's page is still open; their very next click is refused.
  await agent.getByRole('link', { name: 'Refunds' }).click();
  await expect(agent).toHaveURL(/\/signin/);
  await new SignInPage(agent).signIn(NEW_AGENT.email, 'pat-chose-this-one');
  await expect(agent.getByRole('status')).toHaveText('That email and password do not match an active account.');
  await agentContext.close();
  await admin.context().close();
});

test('an admin tests each provider’s connection', async ({ browser }) => {
  const admin = await (await browser.newContext({ storageState: storageState('admin') })).newPage();
  await admin.goto('/admin/providers');
  for (const [provider, label] of [
    ['forage', 'Forage'],
    ['frontpayment', 'Frontpayment'],
  ] as const) {
    await admin.getByRole('button', { name: `Test connection to ${label}` }).click();
    await expect(admin.getByTestId(`connection-${provider}`)).toHaveText(/^Connected: signed in and answered in \d+ ms\.$/);
  }
  await expect(admin.getByText('Sandbox').first()).toBeVisible();
  await admin.screenshot({ path: 'e2e/screenshots/admin-providers.png', fullPage: true });
  await admin.goto('/audit?action=provider.test_connection');
  await expect(admin.getByTestId('audit-row')).toHaveCount(2);
  await admin.context().close();
});
