import { expect, test } from '@playwright/test';
import { OrderPage, OrdersPage, plain, storageState } from './fixtures';

test.use({ storageState: storageState('agent') });

test('search finds an order by customer email', async ({ page }) => {
  const orders = new OrdersPage(page);
  await orders.goto();
  await orders.search('james.carter@example.com');
  // James Carter is a returning customer: every row is his, and RD-100002 is among them.
  await expect(orders.rows().filter({ hasText: 'RD-100002' })).toHaveCount(1);
  for (const text of await orders.rows().allInnerTexts()) expect(text).toContain('james.carter@example.com');
  await expect(page).toHaveURL(/q=james\.carter%40example\.com/);
});

test('search finds an order by provider reference', async ({ page }) => {
  const orders = new OrdersPage(page);
  await orders.goto();
  await orders.search('ODR1700000003');
  await expect(orders.rows()).toHaveCount(1);
  await expect(orders.rows().first()).toContainText('Ingrid Hansen');
});

test('filters narrow the list and an unmatched search says so', async ({ page }) => {
  await page.goto('/orders?provider=frontpayment&status=invoiced');
  const rows = new OrdersPage(page).rows();
  await expect(rows).not.toHaveCount(0);
  for (const text of await rows.allInnerTexts()) expect(text).toContain('Invoiced');
  await page.goto('/orders?q=no-such-order-anywhere');
  await expect(page.getByText('No orders match these filters')).toBeVisible();
});

test('a partly refunded Forage order shows paid, refunded and refundable', async ({ page }) => {
  const orders = new OrdersPage(page);
  await orders.goto();
  await orders.search('RD-100002');
  await orders.open('RD-100002');
  const order = new OrderPage(page);
  expect(plain(await order.figure('paid').textContent())).toBe('$28.45');
  expect(plain(await order.figure('refunded').textContent())).toBe('$4.49');
  expect(plain(await order.figure('refundable').textContent())).toBe('$23.96');
  // Whole Milk: 2 × $4.49, one refunded.
  await expect(order.line('0412345000018').getByTestId('line-refunded')).toHaveText('$4.49');
  await expect(order.line('0412345000018').getByTestId('line-refundable')).toHaveText('$4.49');
  await expect(page.getByTestId('payments-table')).toContainText('EBT SNAP');
  await expect(page.getByTestId('payments-table')).toContainText('Card');
  await page.screenshot({ path: 'e2e/screenshots/order-forage-partly-refunded.png', fullPage: true });
});

test('a partly refunded Frontpayment order shows the figures in NOK (in English: NOK 1,858.60)', async ({ page }) => {
  await page.goto('/orders?q=RD-100003');
  await new OrdersPage(page).open('RD-100003');
  const order = new OrderPage(page);
  expect(plain(await order.figure('paid').textContent())).toBe('NOK 2,456.60');
  expect(plain(await order.figure('refunded').textContent())).toBe('NOK 598.00');
  expect(plain(await order.figure('refundable').textContent())).toBe('NOK 1,858.60');
  // Price adjustment of 300 kr on the coffee maker.
  expect(plain(await order.line('5401').getByTestId('line-refunded').textContent())).toBe('NOK 300.00');
  expect(plain(await order.line('5401').getByTestId('line-refundable').textContent())).toBe('NOK 1,499.00');
  await page.screenshot({ path: 'e2e/screenshots/order-frontpayment-partly-refunded.png', fullPage: true });
});
