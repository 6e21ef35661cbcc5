import { expect, type Page } from '@playwright/test';

export const DEMO_PASSWORD = 'refund-desk-demo';

export const ROLES = {
  agent: { email: 'agent@refund-desk.test', name: 'Alex Agent', sections: ['Orders', 'Refunds'] },
  manager: {
    email: 'manager@refund-desk.test',
    name: 'Morgan Manager',
    sections: ['Overview', 'Orders', 'Refunds', 'Approvals'],
  },
  auditor: {
    email: 'auditor@refund-desk.test',
    name: 'Avery Auditor',
    sections: ['Overview', 'Orders', 'Refunds', 'Approvals', 'Audit log'],
  },
  admin: {
    email: 'admin@refund-desk.test',
    name: 'Ada Admin',
    sections: ['Overview', 'Orders', 'Refunds', 'Audit log', 'Admin'],
  },
} as const;

export type RoleName = keyof typeof ROLES;

/** Second users of a role, for four-eyes and per-agent limits. */
export const OTHER_USERS = {
  agent2: { email: 'agent2@refund-desk.test', name: 'Sam Support' },
  manager2: { email: 'manager2@refund-desk.test', name: 'Riley Lead' },
} as const;

export type UserName = RoleName | keyof typeof OTHER_USERS;

export const USERS: Record<UserName, { email: string; name: string }> = { ...ROLES, ...OTHER_USERS };

export const storageState = (user: UserName) => `e2e/.auth/${user}.json`;

export class SignInPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto('/signin');
  }
  async signIn(email: string, password: string) {
    await this.page.getByLabel('Email').fill(email);
    await this.page.getByLabel('Password').fill(password);
    await this.page.getByRole('button', { name: 'Sign in' }).click();
  }
}

export class OrdersPage {
  constructor(readonly page: Page) {}
  async goto() {
    await this.page.goto('/orders');
  }
  async search(text: string) {
    await this.page.getByRole('searchbox', { name: 'Search' }).fill(text);
    await this.page.getByRole('button', { name: 'Search', exact: true }).click();
    await this.page.waitForURL(/\/orders\?/);
  }
  rows() {
    return this.page.getByTestId('orders-table').locator('tbody tr');
  }
  async open(orderNumber: string) {
    await this.page.getByRole('link', { name: orderNumber, exact: true }).click();
    await expect(this.page.getByRole('heading', { name: new RegExp(`Order ${orderNumber}`) })).toBeVisible();
  }
}

export class OrderPage {
  constructor(readonly page: Page) {}
  figure(name: 'paid' | 'refunded' | 'refundable') {
    return this.page.getByTestId(`figure-${name}`);
  }
  line(lineId: string) {
    return this.page.getByTestId('order-lines').locator(`tr[data-line-id="${lineId}"]`);
  }
}

/** Intl output uses no-break spaces in nb-NO; compare with plain spaces. */
export function plain(text: string | null) {
  return (text ?? '').replace(/[\u00a0\u202f]/g, ' ').trim();
}

/** The refund form on an order page. */
export class RefundFormPage {
  constructor(readonly page: Page) {}
  form() {
    return this.page.getByTestId('refund-form');
  }
  line(providerLineId: string) {
    return this.page.getByTestId(`refund-line-${providerLineId}`);
  }
  checkbox(providerLineId: string) {
    return this.line(providerLineId).getByRole('checkbox');
  }
  quantity(providerLineId: string) {
    return this.line(providerLineId).getByLabel(/^Quantity of/);
  }
  amount(providerLineId: string) {
    return this.line(providerLineId).getByLabel(/^Amount to refund/);
  }
  reason(providerLineId: string) {
    return this.line(providerLineId).getByLabel(/^Reason for refunding/);
  }
  reasonNote(providerLineId: string) {
    return this.line(providerLineId).getByLabel(/Explain the reason|Reason note/);
  }
  async select(providerLineId: string, reason = 'damaged') {
    await this.checkbox(providerLineId).check();
    await this.reason(providerLineId).selectOption(reason);
  }
  summary() {
    return this.page.getByTestId('refund-summary');
  }
  total() {
    return this.page.getByTestId('refund-total');
  }
  approvalNote() {
    return this.page.getByTestId('refund-approval-note');
  }
  dialog() {
    return this.page.getByRole('dialog');
  }
  async review() {
    await this.page.getByTestId('refund-submit').click();
  }
}

export const SANDBOX = `http://127.0.0.1:${process.env.E2E_SANDBOX_PORT || 4210}`;

/** The refund form on an order page, driven as an agent would. */
export class RefundForm {
  constructor(readonly page: Page) {}
  async open(orderNumber: string) {
    await this.page.goto(`/orders?q=${orderNumber}`);
    await this.page.getByRole('link', { name: orderNumber, exact: true }).click();
    await expect(this.page.getByTestId('refund-form')).toBeVisible();
  }
  line(providerLineId: string) {
    return this.page.getByTestId(`refund-line-${providerLineId}`);
  }
  async pick(providerLineId: string, options: { quantity?: number; amount?: string; reason?: string } = {}) {
    const row = this.line(providerLineId);
    await row.getByRole('checkbox').check();
    if (options.quantity !== undefined) await row.getByRole('spinbutton').fill(String(options.quantity));
    if (options.amount !== undefined) await row.locator('input[id^="refund-amountMinor-"]').fill(options.amount);
    await row
      .getByRole('combobox')
      .first()
      .selectOption(options.reason ?? 'damaged');
  }
  async submit() {
    await this.page.getByTestId('refund-submit').click();
    await expect(this.page.getByRole('dialog')).toBeVisible();
    await this.page.getByTestId('refund-confirm').click();
    await expect(this.page.getByTestId('refund-result')).toBeVisible();
  }
  async openRefund() {
    await this.page.getByTestId('refund-result').getByRole('link', { name: 'View refund' }).click();
    await expect(this.page).toHaveURL(/\/refunds\/[0-9a-f-]{36}$/);
  }
}

/** How many refund calls the provider sandbox received for an order reference. */
export async function providerRefundCalls(page: Page, providerRef: string) {
  const response = await page.request.get(`${SANDBOX}/__control/requests`);
  const { requests } = (await response.json()) as { requests: { operation: string; method: string; path: string }[] };
  return requests.filter((r) => r.method === 'POST' && r.operation === 'refund' && r.path.includes(providerRef)).length;
}
