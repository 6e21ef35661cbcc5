import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';

/**
 * The language follows the user's saved choice, else the browser's (issue #13). agent2's choice is
 * put back to English at the end: other specs read its pages in English.
 */
test.describe('signed out', () => {
  test.use({ storageState: { cookies: [], origins: [] }, locale: 'en-US' });

  test('the sign-in page follows the browser, and a choice made there stays on this device', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    await expect(page.getByRole('heading', { name: 'Sign in to your account' })).toBeVisible();
    await page.getByLabel('Language').selectOption('nb');
    await expect(page.getByRole('heading', { name: 'Logg inn på kontoen din' })).toBeVisible();
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    await page.reload();
    await expect(page.getByRole('heading', { name: 'Logg inn på kontoen din' })).toBeVisible();
    await expect(page.getByLabel('E-post')).toBeVisible();
  });
});

test.describe('a Norwegian browser', () => {
  test.use({ storageState: { cookies: [], origins: [] }, locale: 'nb-NO' });

  test('gets the sign-in page in Norwegian, with field errors in Norwegian', async ({ page }) => {
    await page.goto('/signin');
    await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
    await page.getByRole('button', { name: 'Logg inn' }).click();
    await expect(page.getByText('Skriv inn e-postadressen din.')).toBeVisible();
    await expect(page.getByText('Skriv inn passordet ditt.')).toBeVisible();
  });
});

test.describe('signed in', () => {
  test.use({ storageState: storageState('agent2'), locale: 'en-US' });

  test('a saved choice wins over the browser, on every device', async ({ page, browser }) => {
    await page.goto('/orders');
    const menu = page.getByTestId('language-switcher');
    await expect(menu).toHaveValue('en');
    try {
      await menu.selectOption('nb');
      await expect(page.getByRole('navigation', { name: 'Seksjoner' }).getByRole('link', { name: 'Ordrer' })).toBeVisible();
      await expect(page.locator('html')).toHaveAttribute('lang', 'nb');
      // Another device with an English browser: the saved choice.
      const other = await browser.newContext({ storageState: storageState('agent2'), locale: 'en-US' });
      const elsewhere = await other.newPage();
      await elsewhere.goto('/orders');
      await expect(elsewhere.locator('html')).toHaveAttribute('lang', 'nb');
      await other.close();
    } finally {
      await page.getByTestId('language-switcher').selectOption('en');
      await expect(page.locator('html')).toHaveAttribute('lang', 'en');
    }
    // Saved as English now: a Norwegian browser still gets English.
    const norwegian = await browser.newContext({ storageState: storageState('agent2'), locale: 'nb-NO' });
    const phone = await norwegian.newPage();
    await phone.goto('/orders');
    await expect(phone.locator('html')).toHaveAttribute('lang', 'en');
    await norwegian.close();
  });
});
