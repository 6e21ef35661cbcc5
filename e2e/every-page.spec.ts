import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';
import { APP_PAGES, axeViolations, LANGUAGES, overflowX, screenshot, SIZES } from './pages';

/**
 * Every page, in both languages, at a desktop and a phone width (issue #13): axe finds no WCAG
 * 2.1 AA violation, nothing is wider than the viewport, the document says which language it is
 * in, and a screenshot of each is saved under test-results/screens/<language>-<size>/.
 */
for (const [language, browserLocale] of Object.entries(LANGUAGES)) {
  for (const [size, viewport] of Object.entries(SIZES)) {
    test.describe(`${language} at ${viewport.width} px`, () => {
      test.use({ locale: browserLocale, viewport });
      for (const appPage of APP_PAGES) {
        test.describe(() => {
          test.use({ storageState: appPage.as ? storageState(appPage.as) : { cookies: [], origins: [] } });
          test(appPage.name, async ({ page }, testInfo) => {
            await appPage.open(page);
            await expect(page.locator('html')).toHaveAttribute('lang', language);
            await screenshot(page, testInfo, `${language}-${size}/${appPage.name}`);
            expect(await overflowX(page), `${appPage.name} is wider than ${viewport.width} px`).toBe(0);
            expect(await axeViolations(page)).toEqual([]);
          });
        });
      }
    });
  }
}
