import { expect, test } from '@playwright/test';
import { OrderPage, plain, providerRefundCalls, RefundForm, SANDBOX, storageState } from './fixtures';

test.describe('agent refunds', () => {
  test.use({ storageState: storageState('agent') });

  test('Forage SNAP + card: two lines of different eligibility → two provider refunds → processing, then refunded without a reload', async ({
    page,
  }) => {
    const form = new RefundForm(page);
    await form.open('RD-100006');
    await form.pick('4048', { quantity: 1 });
    await form.pick('0412345000483');
    await expect(page.getByTestId('refund-total')).toHaveText('$11.38');
    await expect(page.getByTestId('refund-split')).toContainText('EBT SNAP');
    await expect(page.getByTestId('refund-split')).toContainText('Card');
    await page.screenshot({ path: 'e2e/screenshots/refund-form-summary.png', fullPage: true });
    // Forage holds these refunds until told to settle, so the page is seen before and after.
    await page.request.post(`${SANDBOX}/__control/config`, { data: { settleMode: 'manual' } });
    try {
      await form.submit();
      await form.openRefund();
      const status = page.getByTestId('refund-status').first();
      await expect(status).toHaveText(/Processing|Sending|Approved/);
      await expect(status).toHaveText('Processing', { timeout: 20_000 });
      const url = page.url();
      expect((await page.request.post(`${SANDBOX}/__control/settle`, { data: { provider: 'forage' } })).ok()).toBe(true);
      await expect(status).toHaveText('Refunded', { timeout: 20_000 });
      expect(page.url()).toBe(url);
    } finally {
      await page.request.post(`${SANDBOX}/__control/config`, { data: { settleMode: 'auto' } });
    }
    const parts = page.locator('section', { hasText: 'At the provider' });
    await expect(parts).toContainText('EBT SNAP');
    await expect(parts).toContainText('$0.39');
    await expect(parts).toContainText('Card');
    await expect(parts).toContainText('$10.99');
    await page.screenshot({ path: 'e2e/screenshots/refund-page-forage.png', fullPage: true });
    expect(await providerRefundCalls(page, 'z8bg09t72h')).toBe(1);
  });

  test('Frontpayment: a partial amount on one line → processing → refunded once refundedAmount grows; the figures drop', async ({
    page,
  }) => {
    const form = new RefundForm(page);
    await form.open('RD-100031');
    const before = plain(await new OrderPage(page).figure('refundable').textContent());
    // Amounts are shown in the reader's language: English writes NOK 2,320.90 (Norwegian: 2 320,90 kr).
    expect(before).toBe('NOK 2,320.90');
    await form.pick('5443', { amount: '50,00', reason: 'price_adjustment' });
    await expect(page.getByTestId('refund-total')).toHaveText(/50\.00/);
    await form.submit();
    await expect(page.getByTestId('order-refunds-table').getByTestId('refund-status').first()).toHaveText('Refunded', {
      timeout: 20_000,
    });
    await expect(new OrderPage(page).figure('refundable')).toHaveText(/2,270\.90/);
    await page.screenshot({ path: 'e2e/screenshots/order-after-refund.png', fullPage: true });
  });

  test('Frontpayment reservation: a refund against the capture reference', async ({ page }) => {
    const form = new RefundForm(page);
    await form.open('RD-100004');
    await form.pick('5406', { quantity: 1, amount: '150,00' });
    await page.getByLabel(/capture or charge/i).selectOption('CAP700004');
    await form.submit();
    await form.openRefund();
    await expect(page.getByTestId('refund-status').first()).toHaveText('Refunded', { timeout: 20_000 });
    const [call] = (
      (await (await page.request.get(`${SANDBOX}/__control/requests`)).json()) as { requests: { path: string; body: string }[] }
    ).requests.filter((r) => r.path.includes('/reservations/refund/RES1700000004'));
    expect(JSON.parse(call!.body)).toMatchObject({ type: 'reservation', source: 'captured', reference: 'CAP700004' });
  });

  test('a double click on submit creates exactly one refund and one provider call', async ({ page }) => {
    const form = new RefundForm(page);
    await form.open('RD-100010');
    await form.pick('0412345000285');
    await page.getByTestId('refund-submit').click();
    await page.getByTestId('refund-confirm').dblclick();
    await expect(page.getByTestId('refund-result')).toBeVisible();
    await expect(page.getByTestId('order-refunds-table').getByTestId('refund-status').first()).toHaveText('Refunded', {
      timeout: 20_000,
    });
    await expect(page.getByTestId('order-refunds-table').locator('tbody tr')).toHaveCount(3); // two seeded + this one
    expect(await providerRefundCalls(page, '48niw9knaw')).toBe(1);
  });

  test('an over-refund forced past the form (a stale second tab) is refused by the server', async ({ page, context }) => {
    const first = new RefundForm(page);
    const second = new RefundForm(await context.newPage());
    await first.open('RD-100005');
    await second.open('RD-100005');
    await first.pick('0412345000124');
    await first.submit();
    await second.pick('0412345000124');
    await second.page.getByTestId('refund-submit').click();
    await second.page.getByTestId('refund-confirm').click();
    await expect(second.page.getByText(/left to refund/i).first()).toBeVisible();
    await expect(second.page.getByTestId('refund-result')).toHaveCount(0);
  });

  test('a Frontpayment rejection shows a plain message and the raw code, and frees the amount', async ({ page }) => {
    const form = new RefundForm(page);
    await form.open('RD-100036');
    // Meanwhile, someone refunds 400 kr of the head torch directly at Frontpayment.
    const direct = await page.request.post(`${SANDBOX}/api/v1/connect/orders/refund/ODR1700000036`, {
      headers: { authorization: 'Bearer sandbox-frontpayment-token' },
      data: { type: 'regular', grandTotal: 400, products: [{ id: 5453, amount: 400 }], source: null, reference: null },
    });
    expect(direct.status()).toBe(202);
    await form.pick('5453');
    await form.submit();
    await form.openRefund();
    await expect(page.getByTestId('refund-status').first()).toHaveText('Failed', { timeout: 15_000 });
    await expect(page.getByText('refundRejectionForProductAmountExceed').first()).toBeVisible();
    await page.goto('/orders?q=RD-100036');
    await page.getByRole('link', { name: 'RD-100036', exact: true }).click();
    await expect(form.line('5453').getByTestId('refund-line-refundable')).toHaveText(/^NOK\s499\.00/);
  });

  test('a Forage refund that ends failed says why and frees the amount', async ({ page }) => {
    await page.request.post(`${SANDBOX}/__control/forage/next-outcome`, {
      data: { outcome: 'failed', error: 'EBT network declined the refund' },
    });
    const form = new RefundForm(page);
    await form.open('RD-100001');
    await form.pick('0412345000407');
    await form.submit();
    await form.openRefund();
    await expect(page.getByTestId('refund-status').first()).toHaveText('Failed', { timeout: 20_000 });
    await expect(page.getByText('EBT network declined the refund').first()).toBeVisible();
    await page.goto('/orders?q=RD-100001');
    await page.getByRole('link', { name: 'RD-100001', exact: true }).click();
    await expect(form.line('0412345000407').getByTestId('refund-line-refundable')).toHaveText(/^\$11\.99/);
  });
});

test('a refund above the threshold waits, sends nothing, and goes out once another manager approves it', async ({ browser }) => {
  // RD-100028 is paid and touched by no other spec, so its provider calls are this test's alone.
  const agent = await browser.newContext({ storageState: storageState('agent') });
  const page = await agent.newPage();
  const callsBefore = await providerRefundCalls(page, 'ODR1700000028');
  const form = new RefundForm(page);
  await form.open('RD-100028');
  await form.pick('5435', { amount: '2500,00' });
  await expect(page.getByTestId('refund-approval-note')).toContainText(/approval/i);
  await form.submit();
  await expect(page.getByTestId('refund-result')).toContainText(/awaiting approval/i);
  await form.openRefund();
  const refundUrl = page.url();
  await expect(page.getByTestId('refund-status').first()).toHaveText(/Awaiting approval/i);
  expect(await providerRefundCalls(page, 'ODR1700000028')).toBe(callsBefore);
  await agent.close();

  const manager = await browser.newContext({ storageState: storageState('manager') });
  const queue = await manager.newPage();
  await queue.goto('/approvals');
  const refundId = refundUrl.split('/').pop()!;
  const request = queue.locator(`[data-refund-id="${refundId}"]`);
  // Money in the reader's language: NOK in English reads "NOK 2,500.00".
  await expect(request).toContainText(/NOK\s2,500\.00/);
  await request.getByRole('button', { name: 'Approve' }).click();
  await queue.getByRole('dialog', { name: 'Approve this refund?' }).getByRole('button', { name: 'Approve and send' }).click();
  await expect(request).toHaveCount(0);
  await queue.goto(refundUrl);
  await expect(queue.getByTestId('refund-status').first()).toHaveText('Refunded', { timeout: 20_000 });
  expect(await providerRefundCalls(queue, 'ODR1700000028')).toBe(callsBefore + 1);
  await manager.close();
});
