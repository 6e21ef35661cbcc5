import { readFile } from 'node:fs/promises';
import { expect, type Page, test } from '@playwright/test';
import { parseCsv } from '../test/parse-csv';
import { RefundForm, storageState } from './fixtures';

async function download(page: Page, click: () => Promise<void>) {
  const pending = page.waitForEvent('download');
  await click();
  const file = await pending;
  const [header, ...rows] = parseCsv(await readFile((await file.path())!, 'utf8'));
  return {
    filename: file.suggestedFilename(),
    rows: rows.map((row) => Object.fromEntries(header!.map((name, i) => [name, row[i]!]))),
  };
}

test('an auditor reads one refund’s trail from request to success, exports it and the refunds, and verifies the chain', async ({
  browser,
}) => {
  // An agent makes a small refund that needs no approval, and it settles.
  const agent = await (await browser.newContext({ storageState: storageState('agent') })).newPage();
  const form = new RefundForm(agent);
  await form.open('RD-100013');
  await form.pick('0412345000346');
  await form.submit();
  await form.openRefund();
  await expect(agent.getByTestId('refund-status').first()).toHaveText('Refunded', { timeout: 20_000 });
  const refundUrl = new URL(agent.url()).pathname;
  const refundId = refundUrl.split('/').pop()!;
  await agent.context().close();

  const auditor = await (await browser.newContext({ storageState: storageState('auditor') })).newPage();
  await auditor.goto(refundUrl);
  await auditor.getByRole('link', { name: 'Audit trail' }).click();
  await expect(auditor).toHaveURL(new RegExp(`entityId=${refundId}`));
  const rows = auditor.getByTestId('audit-row');
  await expect(rows.first()).toBeVisible();
  await expect(auditor.getByTestId('audit-table')).toContainText('refund.requested');
  await expect(auditor.getByTestId('audit-table')).toContainText('refund.status_changed');
  // The page lists events without their before/after; opening a row's fetches them.
  const settled = rows.filter({ hasText: 'refund.status_changed' }).first();
  const after = settled.locator('details[data-side="after"]');
  await after.locator('summary').click();
  await expect(after.locator('pre')).toContainText('"status": "succeeded"');
  // By keyboard too; the row's change was fetched once and both sides show it.
  const before = settled.locator('details[data-side="before"]');
  await before.locator('summary').focus();
  await auditor.keyboard.press('Enter');
  await expect(before).toHaveAttribute('open', '');
  await expect(before.locator('pre')).toContainText('"status"');
  await auditor.screenshot({ path: 'e2e/screenshots/audit-trail.png', fullPage: true });

  const trail = await download(auditor, () => auditor.getByTestId('audit-export').click());
  expect(trail.filename).toMatch(/^audit-log-\d{4}-\d{2}-\d{2}\.csv$/);
  expect(trail.rows.length).toBe(await rows.count());
  expect(new Set(trail.rows.map((r) => r.entity_id))).toEqual(new Set([refundId]));
  const actions = trail.rows.map((r) => r.action);
  expect(actions[0]).toBe('refund.requested');
  const statuses = trail.rows.filter((r) => r.action === 'refund.status_changed').map((r) => JSON.parse(r.after!).status);
  expect(statuses.at(-1)).toBe('succeeded');
  // Each exported row carries its place in the chain.
  for (const row of trail.rows) expect(row.hash).toMatch(/^[0-9a-f]{64}$/);

  await auditor.getByRole('button', { name: 'Verify chain' }).click();
  await expect(auditor.getByTestId('verify-result')).toHaveText(/^Chain intact: [\d,]+ events verified\.$/, { timeout: 20_000 });
  // The details in plain words: nothing changed, and a signed checkpoint outside the database now vouches for the head.
  await expect(auditor.getByTestId('verify-findings')).toContainText('none was changed, removed or reordered');
  await expect(auditor.getByTestId('verify-findings')).toContainText(
    /no events were deleted from the end|A new signed checkpoint was written/,
  );

  await auditor.goto('/refunds');
  const refundsCsv = await download(auditor, () => auditor.getByTestId('history-export').click());
  expect(refundsCsv.filename).toMatch(/^refunds-\d{4}-\d{2}-\d{2}\.csv$/);
  // The refunds export's header row is in the reader's words; its cells keep their codes.
  expect(refundsCsv.rows.find((r) => r['Refund ID'] === refundId)).toMatchObject({
    'Status (code)': 'succeeded',
    'Order number': 'RD-100013',
  });

  // Reading the log and exporting are themselves on the record.
  await auditor.goto('/audit?action=audit.');
  await expect(auditor.getByTestId('audit-table')).toContainText('audit.export');
  await expect(auditor.getByTestId('audit-table')).toContainText('audit.verify');
  await auditor.goto('/audit?action=refunds.export');
  await expect(auditor.getByTestId('audit-row').first()).toContainText('auditor@refund-desk.test');
  await auditor.context().close();
});
