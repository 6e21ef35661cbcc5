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
  await expect(chart.locator('svg.recharts-surface')).toBeVisible();
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
