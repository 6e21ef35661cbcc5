import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import { OrderPage, OrdersPage, plain, RefundForm, storageState, SANDBOX } from './fixtures';

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
    await expect(order.figure('refunded')).toHaveText(/100\.00/);
    expect(plain(await order.figure('refundable').textContent())).toBe('NOK 29,383.00');
    await expect(page.getByRole('note')).toContainText('outside Refund Desk');
  });
});

test('health says only up or down; with the token, metrics report the database and both providers', async ({ request }) => {
  const live = await request.get('/api/health/live');
  expect(live.status()).toBe(200);
  expect(await live.json()).toEqual({ status: 'live' });
  for (const path of ['/api/health/ready', '/api/health']) {
    const ready = await request.get(path);
    expect(ready.status(), path).toBe(200);
    // Public: nothing but up or down.
    expect(await ready.json(), path).toEqual({ status: 'ready' });
  }
  expect((await request.get('/api/metrics')).status()).toBe(401);
  const scrape = async () => {
    const response = await request.get('/api/metrics', { headers: { authorization: `Bearer ${process.env.METRICS_TOKEN}` } });
    expect(response.status()).toBe(200);
    return response.text();
  };
  expect(await scrape()).toMatch(/^refund_desk_database_up 1$/m);
  // Providers are checked at most every 30 s: one checked before the sandbox was up may show 0 until the next check.
  test.setTimeout(60_000);
  await expect.poll(scrape, { timeout: 45_000, intervals: [2_000] }).toMatch(/^refund_desk_provider_up\{provider="forage"\} 1$/m);
  await expect
    .poll(scrape, { timeout: 45_000, intervals: [2_000] })
    .toMatch(/^refund_desk_provider_up\{provider="frontpayment"\} 1$/m);
});

/** The directives of a Content-Security-Policy header, by name. */
function cspDirectives(header: string | undefined): Map<string, string[]> {
  const directives = new Map<string, string[]>();
  for (const part of (header ?? '').split(';')) {
    const [name, ...sources] = part.trim().split(/\s+/);
    if (name) directives.set(name.toLowerCase(), sources);
  }
  return directives;
}

test('every answer carries the security headers, HSTS and a nonce-based CSP included', async ({ request }) => {
  const nonces = new Set<string>();
  for (const path of ['/signin', '/signin']) {
    const headers = (await request.get(path)).headers();
    expect(headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
    expect(headers['x-frame-options']).toBe('DENY');
    expect(headers['x-content-type-options']).toBe('nosniff');
    const csp = cspDirectives(headers['content-security-policy']);
    const scriptSrc = csp.get('script-src') ?? [];
    const nonce = scriptSrc.find((source) => /^'nonce-[A-Za-z0-9+/_-]{16,}={0,2}'$/.test(source));
    expect(nonce, `script-src ${scriptSrc.join(' ')}`).toBeDefined();
    nonces.add(nonce!);
    expect(scriptSrc).toContain("'strict-dynamic'");
    expect(scriptSrc).not.toContain("'unsafe-inline'");
    expect(scriptSrc).not.toContain("'unsafe-eval'");
    expect(csp.get('frame-ancestors')).toEqual(["'none'"]);
    expect(csp.get('object-src')).toEqual(["'none'"]);
    expect(csp.get('base-uri')).toEqual(["'self'"]);
    expect(csp.get('form-action')).toEqual(["'self'"]);
  }
  // A fresh nonce for every answer: a nonce that repeats can be copied into an injected script.
  expect(nonces.size).toBe(2);
});

test.describe('pages run their scripts under the CSP', () => {
  test.use({ storageState: storageState('agent') });

  test('signed in: hydrated, client-side navigation works, no CSP violation', async ({ page }) => {
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.addInitScript(() => {
      document.addEventListener('securitypolicyviolation', (event) => {
        console.error(
          `Content Security Policy violation: ${event.violatedDirective} ${event.blockedURI} at ${event.sourceFile}:${event.lineNumber}:${event.columnNumber}`,
        );
      });
    });

    const response = await page.goto('/orders');
    const nonce = cspDirectives(response!.headers()['content-security-policy'])
      .get('script-src')
      ?.find((source) => source.startsWith("'nonce-"))
      ?.slice("'nonce-".length, -1);
    expect(nonce).toBeTruthy();
    // Next.js put this answer's nonce on its scripts.
    expect(await page.locator(`script[nonce]`).count()).toBeGreaterThan(0);
    // A mark on the window survives only a client-side navigation: a full page load would drop it.
    await page.evaluate(() => ((window as unknown as { cspMark?: number }).cspMark = 1));
    await page.getByTestId('sidebar').getByRole('link', { name: 'Refunds' }).click();
    await expect(page).toHaveURL(/\/refunds$/);
    expect(await page.evaluate(() => (window as unknown as { cspMark?: number }).cspMark)).toBe(1);

    // A page that does not exist renders (not-found) at request time too, with the nonce.
    await page.goto('/no-such-page');
    await expect(page.getByRole('heading', { name: 'Page not found' })).toBeVisible();
    await page.evaluate(() => ((window as unknown as { cspMark?: number }).cspMark = 2));
    await page.getByRole('link', { name: 'Go to the start page' }).click();
    await expect(page).toHaveURL(/\/$/);
    expect(await page.evaluate(() => (window as unknown as { cspMark?: number }).cspMark)).toBe(2);

    // The refund form loads the server's schema (the browser's only zod) after the page shows, and
    // parses with it without compiling code: "Choose a reason." is the schema's own message.
    await new RefundForm(page).open('RD-100013');
    await page.getByTestId('refund-line-0412345000346').getByRole('checkbox').check();
    await page.getByTestId('refund-submit').click();
    await expect(page.getByTestId('refund-form')).toContainText('Choose a reason.');
    await expect(page.getByRole('dialog')).toBeHidden();

    expect(violations).toEqual([]);
  });

  test('signed out: the sign-in page hydrates with no CSP violation', async ({ browser }) => {
    const context = await browser.newContext({ storageState: { cookies: [], origins: [] } });
    const page = await context.newPage();
    const violations: string[] = [];
    page.on('console', (message) => {
      if (message.text().includes('Content Security Policy')) violations.push(message.text());
    });
    await page.goto('/signin');
    // Hydrated: React has attached itself to the server-rendered form, which only its scripts do.
    await page.waitForFunction(() => {
      const form = document.querySelector('form');
      return form !== null && Object.keys(form).some((key) => key.startsWith('__reactFiber'));
    });
    await page.getByLabel('Email').fill('nobody@refund-desk.test');
    await page.getByLabel('Password').fill('not-the-password');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect(page.getByRole('status')).not.toBeEmpty();
    expect(violations).toEqual([]);
    await context.close();
  });
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
  walk(path.join(process.cwd(), process.env.NEXT_DIST_DIR || '.next-e2e', 'static'));
  expect(files.filter((f) => f.endsWith('.js')).length).toBeGreaterThan(5);
  for (const file of files) {
    const text = readFileSync(file, 'utf8');
    for (const secret of secrets) expect(text.includes(secret), `${secret} found in ${file}`).toBe(false);
  }
});
