import { readFile } from 'node:fs/promises';
import { expect, test, type Page } from '@playwright/test';
import { parseCsv } from '../test/parse-csv';
import { storageState } from './fixtures';

/** The refund history at /refunds: filters, sortable headers, pages and the CSV export. */
class HistoryPage {
  constructor(readonly page: Page) {}
  async goto(query = '') {
    await this.page.goto(`/refunds${query}`);
  }
  rows() {
    return this.page.getByTestId('history-table').locator('tbody tr');
  }
  exportLink() {
    return this.page.getByTestId('history-export');
  }
  async filter(options: { provider?: string; statuses?: string[] }) {
    const form = this.page.getByRole('search', { name: 'Filter refunds' });
    if (options.provider) await form.getByLabel('Provider').selectOption(options.provider);
    // The statuses sit in a disclosure (closed while none is chosen).
    if (options.statuses?.length) await form.getByTestId('history-status-filter').locator('summary').click();
    for (const status of options.statuses ?? []) await form.getByLabel(status, { exact: true }).check();
    await form.getByRole('button', { name: 'Apply filters' }).click();
    await this.page.waitForURL(/\/refunds\?/);
  }
  async sortBy(header: 'Requested' | 'Amount') {
    await this.page.getByTestId('history-table').getByRole('link', { name: header }).click();
    await this.page.waitForURL(/sort=/);
  }
  /** Every row of the view, following "Next page" to the end; each row is checked as it goes. */
  async collect(check: (row: ReturnType<HistoryPage['rows']>) => Promise<void>) {
    const ids: string[] = [];
    for (let guard = 0; guard < 50; guard++) {
      await expect(this.rows().first()).toBeVisible();
      for (const row of await this.rows().all()) {
        await check(row);
        ids.push((await row.getAttribute('data-refund-id'))!);
      }
      const next = this.page.getByRole('link', { name: 'Next page' });
      if ((await next.count()) === 0) break;
      await next.click();
      await this.page.waitForURL(/cursor=/);
    }
    return ids;
  }
  async downloadCsv() {
    const download = this.page.waitForEvent('download');
    await this.exportLink().click();
    const file = await download;
    expect(file.suggestedFilename()).toMatch(/^refunds-\d{4}-\d{2}-\d{2}\.csv$/);
    const [header, ...rows] = parseCsv(await readFile((await file.path())!, 'utf8'));
    // The header row is written for people (messages/en/history.json csv); the cells keep their codes.
    const key: Record<string, string> = {
      'Refund ID': 'refund_id',
      'Status (code)': 'status',
      Currency: 'currency',
      'Amount in minor units': 'amount_minor',
      'Provider (code)': 'provider',
    };
    return rows.map((row) => Object.fromEntries(header!.map((name, i) => [key[name] ?? name, row[i]!])));
  }
}

test.describe('as an auditor', () => {
  test.use({ storageState: storageState('auditor') });

  test('the filtered view, its pages and the CSV export list exactly the same refunds', async ({ page }) => {
    const history = new HistoryPage(page);
    await history.goto();
    await expect(history.rows()).not.toHaveCount(0);
    await history.filter({ provider: 'frontpayment', statuses: ['Refunded'] });
    await expect(page).toHaveURL(/provider=frontpayment/);
    await expect(page).toHaveURL(/status=succeeded/);

    const shown = await history.collect(async (row) => {
      await expect(row).toContainText('Frontpayment');
      await expect(row.getByText('Refunded', { exact: true })).toBeVisible();
    });
    expect(shown.length).toBeGreaterThan(0);
    expect(new Set(shown).size).toBe(shown.length);
    await page.screenshot({ path: 'e2e/screenshots/history.png', fullPage: true });

    // The export link carries the filter but not the page: it writes the whole view.
    const exported = await history.downloadCsv();
    expect(exported.map((r) => r.refund_id)).toEqual(shown);
    for (const row of exported) {
      expect(row.provider).toBe('frontpayment');
      expect(row.status).toBe('succeeded');
      expect(row.currency).toBe('NOK');
    }
  });

  test('sorting by amount carries across pages and into the export', async ({ page }) => {
    const history = new HistoryPage(page);
    await history.goto();
    await history.sortBy('Amount');
    await expect(page).toHaveURL(/sort=amount_desc/);
    await expect(page.getByRole('columnheader', { name: /Amount/ })).toHaveAttribute('aria-sort', 'descending');
    // The demo data holds more refunds than one page (25), so this follows "Next page".
    const shown = await history.collect(async () => {});
    expect(shown.length).toBeGreaterThan(25);
    expect(new Set(shown).size).toBe(shown.length);
    await expect(page.getByRole('link', { name: 'First page' })).toBeVisible();
    const exported = await history.downloadCsv();
    expect(exported.map((r) => r.refund_id)).toEqual(shown);
    const amounts = exported.map((r) => Number(r.amount_minor));
    expect(amounts).toEqual([...amounts].sort((a, b) => b - a));
  });

  test('a minimum above the maximum is pointed out, not silently applied', async ({ page }) => {
    const history = new HistoryPage(page);
    await history.goto('?min=500&max=20');
    await expect(page.getByRole('alert').filter({ hasText: 'minimum amount is above the maximum' })).toBeVisible();
    await expect(page.getByLabel('Amount from')).toHaveValue('500.00');
    await expect(page.getByLabel('Amount from')).toHaveAttribute('aria-invalid', 'true');
    await expect(history.rows()).not.toHaveCount(0);
  });
});

test.describe('as an agent', () => {
  test.use({ storageState: storageState('agent') });

  test('sees the history without an export link, and the export URL refuses them', async ({ page }) => {
    const history = new HistoryPage(page);
    await history.goto();
    await expect(history.rows()).not.toHaveCount(0);
    await expect(history.exportLink()).toHaveCount(0);
    const response = await page.request.get('/api/refunds/export?provider=forage');
    expect(response.status()).toBe(403);
    expect(response.headers()['content-type']).not.toContain('text/csv');
  });
});
