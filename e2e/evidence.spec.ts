import { expect, test } from '@playwright/test';
import { providerRefundCalls, RefundForm, SANDBOX, storageState } from './fixtures';

/**
 * What a provider said is evidence, never rewritten (issue: reconciliation used to overwrite the
 * attempt's answer). Frontpayment applies the refund and then answers with a server error: the
 * refund page must show that answer as it was, the status reads made afterwards, and the
 * conclusion — and nothing must be sent twice. RD-100022 is touched by no other spec.
 */
test.use({ storageState: storageState('agent') });

test('a 5xx after Frontpayment applied the refund: the timeline shows attempt 1’s real answer, the status read and the conclusion', async ({
  page,
}) => {
  const before = await providerRefundCalls(page, 'ODR1700000022');
  const fault = await page.request.post(`${SANDBOX}/__control/faults`, {
    data: { provider: 'frontpayment', operation: 'refund', mode: 'error_after', status: 500 },
  });
  expect(fault.ok()).toBe(true);

  const form = new RefundForm(page);
  try {
    await form.open('RD-100022');
    await form.pick('5426', { amount: '199,00' });
    await form.submit();
  } finally {
    // The fault is the sandbox's, shared by every spec: never leave it behind.
    await page.request.delete(`${SANDBOX}/__control/faults`);
  }
  await form.openRefund();
  await expect(page.getByTestId('refund-status').first()).toHaveText('Refunded', { timeout: 30_000 });

  const timeline = page.getByTestId('refund-timeline');
  const answer = timeline.locator('li[data-kind="response"]');
  await expect(answer).toHaveCount(1);
  await expect(answer).toContainText(/Attempt 1: Frontpayment answered HTTP 500 after [\d.,]+ s · outcome unknown/);
  await expect(timeline.locator('li[data-kind="check"]').first()).toContainText(/Status read: refunded amount grew by 199,00/);
  await expect(timeline.locator('li[data-kind="check"]').last()).toContainText('Concluded: Frontpayment applied it once');
  // Nothing claims that Frontpayment accepted attempt 1.
  await expect(timeline).not.toContainText(/answered HTTP 20\d/);
  expect(await providerRefundCalls(page, 'ODR1700000022')).toBe(before + 1);

  await page.setViewportSize({ width: 1280, height: 1400 });
  await page.screenshot({ path: 'e2e/screenshots/refund-evidence.png', fullPage: true });
});
