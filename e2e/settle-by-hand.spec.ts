import { expect, test } from '@playwright/test';
import { providerRefundCalls, RefundForm, SANDBOX, storageState } from './fixtures';

/**
 * No timer decides that Frontpayment did not apply a refund: an answer lost before anything was
 * applied leaves the outcome open, and another manager settles it by hand with a note. RD-100012 is
 * touched by no other spec.
 */
test('an open outcome is settled by hand by a manager who did not request it, with a note', async ({ browser }) => {
  const agent = await browser.newContext({ storageState: storageState('agent') });
  const page = await agent.newPage();
  const before = await providerRefundCalls(page, 'ODR1700000012');
  await page.request.post(`${SANDBOX}/__control/faults`, {
    data: { provider: 'frontpayment', operation: 'refund', mode: 'error_before', status: 500 },
  });
  const form = new RefundForm(page);
  try {
    await form.open('RD-100012');
    await form.pick('5413', { amount: '99,00' });
    await form.submit();
  } finally {
    await page.request.delete(`${SANDBOX}/__control/faults`);
  }
  await form.openRefund();
  await expect(page.getByTestId('refund-status').first()).toHaveText('Outcome unknown', { timeout: 20_000 });
  // The requester is never offered to settle it.
  await expect(page.getByTestId('resolve-by-hand')).toHaveCount(0);
  const refundUrl = page.url();
  await agent.close();

  const manager = await browser.newContext({ storageState: storageState('manager') });
  const review = await manager.newPage();
  await review.goto(refundUrl);
  await review.getByTestId('resolve-by-hand').click();
  const dialog = review.getByTestId('resolve-by-hand-dialog');
  await dialog.getByTestId('resolve-by-hand-confirm').click();
  await expect(dialog).toContainText('Choose whether the provider made the refund.');
  await dialog.getByLabel('It did not make the refund').check();
  await dialog.getByTestId('resolve-by-hand-confirm').click();
  await expect(dialog).toContainText('Say how you know');
  await dialog.getByLabel('Note (required): how you know').fill('Not in the Frontpayment portal; support confirmed.');
  await dialog.getByTestId('resolve-by-hand-confirm').click();

  await expect(review.getByTestId('refund-status').first()).toHaveText('Failed');
  await expect(review.getByTestId('refund-timeline')).toContainText(
    'Concluded by hand: the provider did not apply it — Not in the Frontpayment portal; support confirmed.',
  );
  await expect(review.getByTestId('resolve-by-hand')).toHaveCount(0);
  expect(await providerRefundCalls(review, 'ODR1700000012')).toBe(before + 1);
  await review.screenshot({ path: 'e2e/screenshots/refund-settled-by-hand.png', fullPage: true });
  await manager.close();
});
