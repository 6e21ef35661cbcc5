import { expect, test } from '@playwright/test';
import { OrdersPage, plain, RefundFormPage, storageState } from './fixtures';

// RD-100001 (Maria Lopez, Forage): milk $4.49 and bananas 3 × $0.69 and formula 2 × $24.99 on
// SNAP, rotisserie chicken $7.99 on EBT Cash, paper towels $11.99 on card; nothing refunded yet.
const MILK = '0412345000018';
const BANANAS = '4011';
const TOWELS = '0412345000407';

test.use({ storageState: storageState('agent') });

async function openOrder(page: import('@playwright/test').Page, orderNumber: string) {
  await page.goto(`/orders?q=${orderNumber}`);
  await new OrdersPage(page).open(orderNumber);
}

test.describe('the refund form', () => {
  test.beforeEach(async ({ page }) => {
    await openOrder(page, 'RD-100001');
    await expect(page.getByTestId('refund-form')).toBeVisible();
  });

  test('selected lines show the total and where each part goes back to', async ({ page }) => {
    const form = new RefundFormPage(page);
    await expect(form.total()).toHaveText('$0.00');
    await expect(form.checkbox(MILK)).toBeEnabled();
    await form.select(MILK);
    await form.select(TOWELS);
    await expect(form.total()).toHaveText('$16.48');
    const split = form.summary().getByTestId('refund-split');
    await expect(split.getByRole('listitem').filter({ hasText: 'EBT SNAP' })).toContainText('$4.49');
    await expect(split.getByRole('listitem').filter({ hasText: 'Card' })).toContainText('$11.99');
    await expect(form.approvalNote()).toContainText('No approval needed');
    // Limits are shown before anything is sent.
    await expect(form.summary().getByTestId('refund-limits')).toContainText('Approval above');
    await expect(form.summary().getByTestId('refund-limits')).toContainText('$100.00');
    await expect(form.line(MILK).getByTestId('refund-line-refundable')).toContainText('$4.49');
    // Forage refunds whole units: the amount follows the quantity.
    await expect(form.amount(MILK)).toHaveAttribute('readonly', '');
    await form.select(BANANAS);
    await form.quantity(BANANAS).fill('2');
    await expect(form.amount(BANANAS)).toHaveValue('1.38');
    await expect(form.total()).toHaveText('$17.86');
    await form.summary().scrollIntoViewIfNeeded();
    await page.screenshot({ path: 'e2e/screenshots/refund-form.png', fullPage: true });
  });

  test('"Refund everything left" selects every refundable line in full', async ({ page }) => {
    const form = new RefundFormPage(page);
    await page.getByRole('button', { name: 'Refund everything left' }).click();
    for (const row of await form.form().locator('tbody tr').all()) await expect(row.getByRole('checkbox')).toBeChecked();
    await expect(form.total()).toHaveText('$76.52');
    const split = form.summary().getByTestId('refund-split');
    await expect(split).toContainText('EBT SNAP');
    await expect(split).toContainText('$56.54');
    await expect(split).toContainText('EBT Cash');
    await expect(split).toContainText('$7.99');
    await expect(split).toContainText('$11.99');
    await expect(form.quantity(BANANAS)).toHaveValue('3');
  });

  test('an amount or quantity above what is left is flagged at the field, and the confirmation does not open', async ({
    page,
  }) => {
    const form = new RefundFormPage(page);
    // A price adjustment (quantity 0) takes a typed amount; milk has $4.49 left.
    await form.select(MILK, 'price_adjustment');
    await form.quantity(MILK).fill('0');
    await form.amount(MILK).fill('5.00');
    await expect(form.amount(MILK)).toHaveAttribute('aria-invalid', 'true');
    const error = form.line(MILK).getByText('At most $4.49 can be refunded on this line.');
    await expect(error).toBeVisible();
    await expect(form.amount(MILK)).toHaveAttribute('aria-describedby', new RegExp(`${(await error.getAttribute('id'))!}`));
    await form.review();
    await expect(form.dialog()).toBeHidden();
    await expect(form.amount(MILK)).toBeFocused();
    // The input is kept as typed.
    await expect(form.amount(MILK)).toHaveValue('5.00');

    await form.checkbox(MILK).uncheck();
    await form.select(BANANAS);
    await form.quantity(BANANAS).fill('4');
    await expect(form.line(BANANAS).getByText('At most 3 can be refunded.')).toBeVisible();
    await form.review();
    await expect(form.dialog()).toBeHidden();
  });

  test('"Other" needs a note, shown next to the line', async ({ page }) => {
    const form = new RefundFormPage(page);
    await form.select(MILK, 'other');
    await expect(form.reasonNote(MILK)).toBeVisible();
    await form.review();
    await expect(form.line(MILK).getByText('Explain the reason when you choose "Other".')).toBeVisible();
    await expect(form.reasonNote(MILK)).toHaveAttribute('aria-invalid', 'true');
    await expect(form.reasonNote(MILK)).toBeFocused();
    await expect(form.dialog()).toBeHidden();
    await form.reasonNote(MILK).fill('Customer changed their mind');
    await expect(form.line(MILK).getByText('Explain the reason when you choose "Other".')).toHaveCount(0);
    await form.review();
    await expect(form.dialog()).toBeVisible();
  });

  test('works with the keyboard alone: select a line, pick a reason, confirm with Enter, Esc returns focus', async ({ page }) => {
    const form = new RefundFormPage(page);
    // Start from the form's toolbar; everything after this is keys only.
    await page.getByRole('button', { name: 'Refund everything left' }).focus();
    await page.keyboard.press('Tab');
    await expect(form.checkbox(MILK)).toBeFocused();
    await page.keyboard.press('Enter');
    await expect(form.checkbox(MILK)).toBeChecked();
    await page.keyboard.press('Space');
    await expect(form.checkbox(MILK)).not.toBeChecked();
    await page.keyboard.press('Space');
    await expect(form.checkbox(MILK)).toBeChecked();
    await page.keyboard.press('Tab');
    await expect(form.quantity(MILK)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(form.amount(MILK)).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(form.reason(MILK)).toBeFocused();
    await page.keyboard.press('d'); // "Damaged"
    await expect(form.reason(MILK)).toHaveValue('damaged');
    await page.keyboard.press('Shift+Tab');
    await page.keyboard.press('Shift+Tab');
    await expect(form.quantity(MILK)).toBeFocused();
    await page.keyboard.press('Enter');

    const dialog = form.dialog();
    await expect(dialog).toBeVisible();
    // Focus starts on Cancel: Enter, Enter must not move money.
    await expect(dialog.getByRole('button', { name: 'Cancel' })).toBeFocused();
    await page.keyboard.press('Tab');
    await expect(page.getByTestId('refund-confirm')).toBeFocused();
    // Focus stays inside the dialog.
    for (let i = 0; i < 4; i += 1) {
      await page.keyboard.press('Tab');
      expect(await dialog.evaluate((el) => el.contains(document.activeElement))).toBe(true);
    }
    await page.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(form.quantity(MILK)).toBeFocused();
  });

  test('the confirmation names the amount and the customer; cancel sends nothing', async ({ page }) => {
    const form = new RefundFormPage(page);
    const refundsTable = page.getByTestId('order-refunds-table').locator('tbody tr');
    const before = await refundsTable.count();
    await form.select(MILK);
    await form.select(TOWELS);
    await form.review();
    const dialog = form.dialog();
    await expect(dialog).toBeVisible();
    expect(plain(await dialog.getByRole('heading').textContent())).toBe('Confirm refund on order RD-100001');
    await expect(dialog).toContainText('Refund $16.48 to Maria Lopez (EBT SNAP $4.49, Card $11.99)?');
    await expect(dialog).toContainText('No approval is needed');
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
    await expect(page.getByTestId('refund-submit')).toBeFocused();
    // The selection is kept, and nothing was created.
    await expect(form.total()).toHaveText('$16.48');
    await page.reload();
    await expect(page.getByTestId('refund-form')).toBeVisible();
    await expect(refundsTable).toHaveCount(before);
    expect(plain(await page.getByTestId('figure-refunded').textContent())).toBe('$0.00');
    await expect(page.getByTestId('refund-result')).toHaveCount(0);
  });
});

test('a seeded refund opens from the order page with its lines, provider refund and timeline', async ({ page }) => {
  await openOrder(page, 'RD-100002');
  const row = page.getByTestId('order-refunds-table').locator('tbody tr').first();
  await expect(row.getByTestId('refund-status')).toHaveText('Refunded');
  await row.getByRole('link').click();
  await expect(page.getByRole('heading', { name: /Refund \$4\.49/ })).toBeVisible();
  await expect(page.getByTestId('refund-status')).toHaveText('Refunded');
  await expect(page.getByTestId('refund-order-link')).toHaveText('Order RD-100002');
  await expect(page.getByTestId('refund-detail-lines')).toContainText('Whole Milk 1 gal');
  await expect(page.getByText('Jug leaking on delivery')).toBeVisible();
  await expect(page.getByTestId('provider-refunds')).toContainText('rf8d9e0f1a');
  await expect(page.getByTestId('refund-timeline').getByRole('listitem')).toHaveCount(3);
  await page.screenshot({ path: 'e2e/screenshots/refund-page.png', fullPage: true });
});
