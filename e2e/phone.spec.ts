import { expect, test, type Page } from '@playwright/test';
import { storageState } from './fixtures';

test.use({ viewport: { width: 390, height: 844 } });

const widerThanViewport = (page: Page) =>
  page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);

test.describe('a manager on a phone', () => {
  test.use({ storageState: storageState('manager') });

  test('opens the sections from a menu instead of a sidebar, and reaches the approvals queue', async ({ page }) => {
    await page.goto('/');
    await expect(page.getByTestId('sidebar')).toBeHidden();
    // The overview's chart in its narrow drawing, sized for the phone.
    await expect(page.locator('svg[data-chart="refunds-per-day"][data-size="narrow"]')).toBeVisible();
    await expect(page.locator('svg[data-chart="refunds-per-day"][data-size="wide"]')).toBeHidden();
    const menu = page.getByTestId('mobile-menu-button');
    await expect(menu).toHaveAttribute('aria-expanded', 'false');
    await menu.click();
    await expect(menu).toHaveAttribute('aria-expanded', 'true');
    const sections = page.getByRole('navigation', { name: 'Sections' });
    await expect(sections.getByRole('link')).toHaveText([/^Overview/, /^Orders/, /^Refunds/, /^Approvals/]);
    await page.keyboard.press('Escape');
    await expect(sections).toBeHidden();
    await menu.click();
    await sections.getByRole('link', { name: /^Approvals/ }).click();
    await expect(page).toHaveURL(/\/approvals$/);
    await expect(sections, 'opening a section closes the menu').toBeHidden();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeHidden();
    await menu.click();
    await expect(page.getByRole('button', { name: 'Sign out', exact: true })).toBeVisible();
  });

  test('no list or detail page is wider than the phone', async ({ page }) => {
    for (const path of ['/', '/orders', '/refunds', '/approvals']) {
      await page.goto(path);
      await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
      expect(await widerThanViewport(page), path).toBeLessThanOrEqual(0);
    }
    await page.goto('/orders');
    await page.locator('a[href^="/orders/"]').first().click();
    await expect(page).toHaveURL(/\/orders\/[\w-]+$/);
    await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
    expect(await widerThanViewport(page), 'an order').toBeLessThanOrEqual(0);
    await page.goto('/refunds');
    await page.locator('a[href^="/refunds/"]').first().click();
    await expect(page).toHaveURL(/\/refunds\/[\w-]+$/);
    await expect(page.getByTestId('refund-timeline')).toBeVisible();
    expect(await widerThanViewport(page), 'a refund').toBeLessThanOrEqual(0);
  });
});
