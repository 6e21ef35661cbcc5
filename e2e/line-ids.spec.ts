import { expect, test } from '@playwright/test';
import { OrdersPage, SANDBOX, storageState } from './fixtures';

/**
 * No published revision of Frontpayment's order details lists an id per product line (frontpayment.md
 * errata 1), yet a refund must name them. Such an order still imports, and its page says that no
 * refund can be sent from here, and what the merchant can do instead.
 */
test.use({ storageState: storageState('agent') });

test('a Frontpayment order whose details carry no line ids is imported, and its page says what cannot be refunded and why', async ({
  page,
}) => {
  const ref = 'ODRE2ENOLINEIDS';
  const created = await page.request.post(`${SANDBOX}/__control/frontpayment/orders`, {
    data: {
      providerRef: ref,
      orderNumber: 'RD-E2E-NOIDS',
      customer: { name: 'Liv Larsen', email: 'liv.larsen@example.no', phone: null },
      lines: [
        {
          lineId: '9901',
          productId: 'SKU-NO-9901',
          name: 'Kaffekopp',
          unitPrice: 14900,
          quantity: 2,
          taxRateBp: 2500,
          eligibility: null,
        },
        {
          lineId: '9902',
          productId: 'SKU-NO-9902',
          name: 'Tekanne',
          unitPrice: 39900,
          quantity: 1,
          taxRateBp: 2500,
          eligibility: null,
        },
      ],
      payments: [{ ref: 'PAYE2ENOIDS', tender: 'regular', amount: 69700 }],
    },
  });
  expect(created.status()).toBe(201);
  // The sandbox answers without line ids for the whole story (opening the order page refreshes it).
  await page.request.post(`${SANDBOX}/__control/config`, { data: { frontpayment: { detailLineIds: false } } });
  try {
    const orders = new OrdersPage(page);
    await orders.goto();
    await page.getByText('Not here? Import an order from its provider').click();
    await page.getByLabel('Provider', { exact: true }).last().selectOption('frontpayment');
    await page.getByLabel('Provider reference').fill(ref);
    await page.getByRole('button', { name: 'Import order' }).click();

    await expect(page.getByRole('heading', { name: new RegExp(`Order FP-${ref}`) })).toBeVisible();
    await expect(page.getByTestId('order-lines')).toContainText('Kaffekopp');
    await expect(page.getByTestId('order-lines')).toContainText('Tekanne');
    const blocker = page.getByTestId('refund-blocker');
    await expect(blocker).toContainText("Frontpayment did not list the ids of this order's lines");
    await expect(blocker).toContainText("Refund it in Frontpayment's own portal, or ask Frontpayment support for the line ids");
    await expect(page.getByTestId('refund-form')).toHaveCount(0);
    await page.screenshot({ path: 'e2e/screenshots/order-without-line-ids.png', fullPage: true });
  } finally {
    await page.request.post(`${SANDBOX}/__control/config`, { data: { frontpayment: { detailLineIds: true } } });
  }

  // Once Frontpayment lists the ids, the same lines take them and refunds can be made.
  await page.reload();
  await expect(page.getByTestId('refund-form')).toBeVisible();
  await expect(page.getByTestId('refund-line-9901')).toContainText('Kaffekopp');
  await expect(page.getByTestId('order-lines').locator('tbody tr')).toHaveCount(2);
});
