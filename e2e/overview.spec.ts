import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

test.use({ storageState: storageState('manager') });

test('a manager’s overview shows the figures, a real chart with a table alternative, and the reasons', async ({ page }) => {
  await page.goto('/');
  await expect(page.getByRole('heading', { name: 'Overview' })).toBeVisible();
  for (const id of ['overview-refunded-today', 'overview-refunded-week', 'overview-pending', 'overview-failure-rate']) {
    await expect(page.getByTestId(id)).not.toBeEmpty();
  }
  const chart = page.getByTestId('overview-chart');
  // Drawn on the server (no chart script): the wide drawing at this width, with a bar per provider.
  const svg = chart.locator('svg[data-chart="refunds-per-day"][data-size="wide"]');
  await expect(svg).toBeVisible();
  await expect(chart.locator('svg[data-size="narrow"]')).toBeHidden();
  await expect(svg.locator('rect[data-provider="forage"]').first()).toBeVisible();
  await expect(svg.locator('rect[data-provider="frontpayment"]').first()).toBeVisible();
  // Not by colour alone: the legend names each provider in text, and the data are there as a table.
  await expect(chart).toContainText('Forage');
  await expect(chart).toContainText('Frontpayment');
  await chart.getByText('Show as table').click();
  await expect(chart.getByRole('table')).toBeVisible();
  await expect(chart.getByRole('table').locator('tbody tr')).toHaveCount(30);
  await expect(page.getByTestId('overview-top-reasons')).not.toContainText('No refunds');
  await page.screenshot({ path: 'e2e/screenshots/overview.png', fullPage: true });
  await page.getByTestId('overview-pending').getByRole('link').click();
  await expect(page).toHaveURL(/\/approvals$/);
});
