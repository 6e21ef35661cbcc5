import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OrderPage, OrdersPage, plain, storageState, SANDBOX } from './fixtures';

const FP_TOKEN = 'sandbox-frontpayment-token';

test.describe('providers', () => {
  test.use({ storageState: storageState('agent') });

  test('an order known only to the provider is imported by its reference', async ({ page }) => {
    const orders = new OrdersPage(page);
    await orders.goto();
    await orders.search('juuel5arij');
    await expect(page.getByText('No orders match these filters')).toBeVisible();

    await page.getByText('Not here? Import an order from its provider').click();
    await page.getByLabel('Provider', { exact: true }).last().selectOption('forage');
    await page.getByLabel('Provider reference').fill('juuel5arij');
    await page.getByRole('button', { name: 'Import order' }).click();

    await expect(page.getByRole('heading', { name: /Order FG-juuel5arij/ })).toBeVisible();
    const order = new OrderPage(page);
    expect(plain(await order.figure('paid').textContent())).toBe('$102.45');
    await expect(page.getByTestId('payments-table')).toContainText('EBT SNAP');
    await expect(page.getByTestId('payments-table')).toContainText('Card');
    await expect(order.line('4225')).toContainText('$5.16');
  });

  test('a bad reference gets a plain error next to the field', async ({ page }) => {
    await new OrdersPage(page).goto();
    await page.getByText('Not here? Import an order from its provider').click();
    await page.getByLabel('Provider reference').fill('nope!');
    await page.getByRole('button', { name: 'Import order' }).click();
    await expect(page.getByText('Use only letters, digits, - and _.')).toBeVisible();
  });

  test('a refund made at the provider outside Refund Desk shows up when the order is opened', async ({ page, request }) => {
    // 100,00 kr refunded directly at Frontpayment on RD-100042's first line, then settled.
    const refund = await request.post(`${SANDBOX}/api/v1/connect/orders/refund/ODR1700000042`, {
      headers: { authorization: `Bearer ${FP_TOKEN}` },
      data: { type: 'regular', grandTotal: 100, products: [{ id: 5474, amount: 100 }], source: null, reference: null },
    });
    expect(refund.status()).toBe(202);
    expect((await request.post(`${SANDBOX}/__control/settle`, { data: { provider: 'frontpayment' } })).ok()).toBe(true);

    await page.goto('/orders?q=RD-100042');
    await new OrdersPage(page).open('RD-100042');
    await expect(page.getByTestId('order-sync')).toContainText('Updated from Frontpayment');
    const order = new OrderPage(page);
    await expect(order.figure('refunded')).toHaveText(/100,00/);
    expect(plain(await order.figure('refundable').textContent())).toBe('29 383,00 kr');
    await expect(page.getByRole('note')).toContainText('outside Refund Desk');
  });
});

test('health reports the database and both providers', async ({ request }) => {
  const response = await request.get('/api/health');
  expect(response.status()).toBe(200);
  const body = await response.json();
  expect(body.checks.database.status).toBe('ok');
  // Public: it says whether the database answers, not which database it is.
  expect(Object.keys(body.checks.database).sort()).toEqual(['latencyMs', 'status']);
  expect(body.checks.providers).toMatchObject({ forage: { status: 'ok' }, frontpayment: { status: 'ok' } });
});

test('every answer carries the security headers, HSTS included', async ({ request }) => {
  const headers = (await request.get('/signin')).headers();
  expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  expect(headers['content-security-policy']).toContain("frame-ancestors 'none'");
  expect(headers['x-frame-options']).toBe('DENY');
  expect(headers['x-content-type-options']).toBe('nosniff');
});

test('no provider secret is in the browser bundle', () => {
  const secrets = [
    'sandbox-client-secret',
    'sandbox-forage-webhook-secret',
    FP_TOKEN,
    'sandbox-frontpayment-secret',
    'FORAGE_CLIENT_SECRET',
    'FRONTPAYMENT_TOKEN',
  ];
  const files: string[] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else files.push(full);
    }
  };
  walk(path.join(process.cwd(), '.next', 'static'));
  expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(5);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const secret of secrets) expect(text.includes(secret), `${secret} found in ${file}`).toBe(false);
  }
});
