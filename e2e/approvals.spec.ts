import { type Browser, expect, type Page, test } from '@playwright/test';
import { OrderPage, plain, providerRefundCalls, RefundForm, storageState, type UserName } from './fixtures';

// One story, in order: limits set by an admin route a small request to approval; a manager's own
// request cannot be approved by them (no button, and a forged call is refused); a rejection and an
// expiry each give the held amount back.
test.describe.configure({ mode: 'serial' });

async function as(browser: Browser, user: UserName): Promise<Page> {
  const context = await browser.newContext({ storageState: storageState(user) });
  return context.newPage();
}

async function refundable(page: Page, orderNumber: string) {
  await page.goto(`/orders?q=${orderNumber}`);
  await page.getByRole('link', { name: orderNumber, exact: true }).click();
  return plain(await new OrderPage(page).figure('refundable').textContent());
}

const refundIdOf = (page: Page) => new URL(page.url()).pathname.split('/').pop()!;

let dailyLimitRequest = ''; // agent2's request on RD-100008, routed to approval by the daily limit
let ownRequest = ''; // manager's own request on RD-100025

test('an admin sets one agent’s daily limit; that agent’s next refund beyond it waits for approval and sends nothing', async ({
  browser,
}) => {
  const admin = await as(browser, 'admin');
  await admin.goto('/admin/settings');
  const add = admin.getByTestId('add-override');
  await add.getByLabel('Agent').selectOption({ label: 'Sam Support (Agent, agent2@refund-desk.test)' });
  await add.getByLabel('Currency').selectOption('USD');
  await add.getByLabel('Per day').fill('5.00');
  await add.getByRole('button', { name: 'Add override' }).click();
  await expect(add.getByRole('status')).toHaveText('Override saved.');
  await expect(admin.getByRole('heading', { name: /Sam Support/ })).toBeVisible();
  await admin.screenshot({ path: 'e2e/screenshots/admin-settings.png', fullPage: true });
  await admin.context().close();

  const agent = await as(browser, 'agent2');
  const callsBefore = await providerRefundCalls(agent, 'RD-100008');
  const form = new RefundForm(agent);
  await form.open('RD-100008');
  await expect(agent.getByTestId('refund-limits')).toContainText('$5.00');
  await form.pick('0412345000513'); // $8.99, under the $100 threshold but over the $5 left today
  await expect(agent.getByTestId('refund-approval-note')).toContainText('beyond what is left of your daily limit');
  await form.submit();
  await expect(agent.getByTestId('refund-result')).toContainText(/awaiting approval/i);
  await form.openRefund();
  dailyLimitRequest = refundIdOf(agent);
  await expect(agent.getByTestId('refund-status').first()).toHaveText('Awaiting approval');
  expect(await providerRefundCalls(agent, 'RD-100008')).toBe(callsBefore);
  await agent.context().close();
});

test('a manager’s own request shows no approve button, and a forged approve call is refused', async ({ browser }) => {
  const manager = await as(browser, 'manager');
  const form = new RefundForm(manager);
  await form.open('RD-100025');
  await form.pick('5429');
  await form.pick('5430', { quantity: 2 });
  await form.submit();
  await expect(manager.getByTestId('refund-result')).toContainText(/awaiting approval/i);
  await form.openRefund();
  ownRequest = refundIdOf(manager);

  await manager.goto('/approvals');
  const own = manager.locator(`[data-refund-id="${ownRequest}"]`);
  await expect(own.getByTestId('own-request')).toBeVisible();
  await expect(own.getByRole('button', { name: 'Approve' })).toHaveCount(0);
  await manager.screenshot({ path: 'e2e/screenshots/approvals-queue.png', fullPage: true });

  // Capture the real approve call the page makes for someone else's request, without letting it
  // through, then send it again for the manager's own request: what a hand-made request would do.
  let captured: { headers: Record<string, string>; body: string } | null = null;
  await manager.route('**/approvals', async (route) => {
    const request = route.request();
    if (request.method() === 'POST' && request.headers()['next-action']) {
      captured = { headers: request.headers(), body: request.postData() ?? '' };
      await route.abort();
    } else {
      await route.continue();
    }
  });
  const other = manager.locator(`[data-refund-id="${dailyLimitRequest}"]`);
  // Approving is confirmed in the page's own dialog, Cancel focused first.
  await other.getByRole('button', { name: 'Approve' }).click();
  const confirm = manager.getByRole('dialog', { name: 'Approve this refund?' });
  await expect(confirm.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Approve and send' }).click();
  await expect.poll(() => captured).not.toBeNull();
  await manager.unroute('**/approvals');
  const { headers, body } = captured!;
  expect(body).toContain(dailyLimitRequest);
  const forged = await manager.request.post('/approvals', {
    headers: {
      'next-action': headers['next-action']!,
      'content-type': headers['content-type'] ?? 'text/plain;charset=UTF-8',
      accept: 'text/x-component',
      origin: new URL(manager.url()).origin,
    },
    data: body.replaceAll(dailyLimitRequest, ownRequest),
  });
  expect(await forged.text()).toContain('You cannot decide on a refund you requested yourself.');

  await manager.goto(`/refunds/${ownRequest}`);
  await expect(manager.getByTestId('refund-status').first()).toHaveText('Awaiting approval');
  await manager.goto(`/refunds/${dailyLimitRequest}`);
  await expect(manager.getByTestId('refund-status').first()).toHaveText('Awaiting approval');
  expect(await providerRefundCalls(manager, 'ODR1700000025')).toBe(0);
  await manager.context().close();
});

test('another manager rejects it with a comment, and the amount is free again', async ({ browser }) => {
  const lead = await as(browser, 'manager2');
  const held = await refundable(lead, 'RD-100025');
  expect(held).toBe('NOK 399.00'); // NOK 2,588.00 paid, 2,189.00 held by the pending request (English: the reader's format)

  await lead.goto('/approvals');
  const request = lead.locator(`[data-refund-id="${ownRequest}"]`);
  await request.getByRole('button', { name: 'Reject' }).click();
  await expect(request.getByRole('alert')).toHaveText('Say why, so the agent knows.');
  await request.getByLabel('Comment (required to reject)').fill('Customer kept the jacket; partial refund only.');
  await request.getByRole('button', { name: 'Reject' }).click();
  await expect(request).toHaveCount(0);

  expect(await refundable(lead, 'RD-100025')).toBe('NOK 2,588.00');
  await lead.goto(`/refunds/${ownRequest}`);
  await expect(lead.getByTestId('refund-status').first()).toHaveText('Rejected');
  await expect(lead.getByText('Customer kept the jacket; partial refund only.').first()).toBeVisible();
  await lead.context().close();
});

test('a request nobody decides on expires, and the amount is free again', async ({ browser }) => {
  const admin = await as(browser, 'admin');
  const held = await refundable(admin, 'RD-100008');
  // The expiry job, run as the clock will read in 49 hours (default expiry: 48 hours).
  const asOf = new Date(Date.now() + 49 * 3_600_000).toISOString();
  const data = { refundId: dailyLimitRequest, asOf };
  // With the admin's session cookie but from another site, or with no Origin at all: refused before
  // anything runs (lib/http/origin.ts), so the request is still there to expire below.
  for (const headers of [{ origin: 'https://evil.example' }, {}] as Record<string, string>[]) {
    const refused = await admin.request.post('/api/testing/expire-approvals', { data, headers });
    expect(refused.status()).toBe(403);
    expect(await refused.json()).toMatchObject({ code: 'cross_origin' });
  }
  // As the app's own page sends it.
  const origin = new URL(admin.url()).origin;
  const run = await admin.request.post('/api/testing/expire-approvals', { data, headers: { origin } });
  expect(await run.json()).toEqual({ expired: 1 });

  const after = await refundable(admin, 'RD-100008');
  // "$12.34" → 1234 cents: integers, no float arithmetic on money.
  const cents = (text: string) => Number(text.replace(/\D/g, ''));
  expect(cents(after) - cents(held)).toBe(899);
  await admin.goto(`/refunds/${dailyLimitRequest}`);
  await expect(admin.getByTestId('refund-status').first()).toHaveText('Expired');

  // Put the agent back on the defaults.
  await admin.goto('/admin/settings');
  await admin.getByRole('button', { name: 'Remove' }).click();
  // The page's own dialog, Cancel first: Enter alone does not remove it.
  const remove = admin.getByTestId('remove-override-dialog');
  await expect(remove.getByRole('button', { name: 'Cancel' })).toBeFocused();
  await remove.getByRole('button', { name: 'Remove' }).click();
  await expect(admin.getByText('No overrides')).toBeVisible();
  await admin.context().close();
});

test('the requester withdraws a waiting request, and the amount is free again', async ({ browser }) => {
  const agent = await as(browser, 'agent');
  const form = new RefundForm(agent);
  await form.open('RD-100025');
  await form.pick('5429');
  await form.pick('5430', { quantity: 2 });
  await form.submit();
  await expect(agent.getByTestId('refund-result')).toContainText(/awaiting approval/i);
  await form.openRefund();
  const refundId = refundIdOf(agent);
  await agent.getByRole('button', { name: 'Withdraw request' }).click();
  const confirm = agent.getByRole('dialog', { name: 'Withdraw this request?' });
  await expect(confirm.getByRole('button', { name: 'Keep it' })).toBeFocused();
  await confirm.getByRole('button', { name: 'Withdraw', exact: true }).click();
  await expect(agent.getByTestId('refund-status').first()).toHaveText('Canceled');
  await expect(agent.getByRole('button', { name: 'Withdraw request' })).toHaveCount(0);
  expect(await refundable(agent, 'RD-100025')).toBe('NOK 2,588.00');

  const manager = await as(browser, 'manager');
  await manager.goto('/approvals');
  await expect(manager.locator(`[data-refund-id="${refundId}"]`)).toHaveCount(0);
  await manager.context().close();
  await agent.context().close();
});
