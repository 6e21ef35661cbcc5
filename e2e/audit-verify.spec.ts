import { expect, test } from '@playwright/test';
import { storageState } from './fixtures';
import { axeViolations, overflowX, SIZES, widerThanViewport } from './pages';

/**
 * The chain check's report, as an auditor reads it in Norwegian: said in their language, and it
 * fits a phone (it sat squeezed in the header's row of buttons and pushed "Eksporter CSV" off the
 * screen at 390 px).
 */
test.use({ locale: 'nb-NO', storageState: storageState('auditor') });

for (const [name, size] of Object.entries(SIZES)) {
  test(`the chain check's report in Norwegian, at ${name} width`, async ({ page }) => {
    await page.setViewportSize(size);
    await page.goto('/audit');
    await page.getByRole('button', { name: 'Kontroller kjeden' }).click();
    await expect(page.getByTestId('verify-result')).toHaveText(/^Kjeden er hel: [\d\s ]+ hendelser kontrollert\.$/, {
      timeout: 20_000,
    });
    await expect(page.getByTestId('verify-findings')).toContainText('ingen ble endret, fjernet eller stokket om');
    await expect(page.getByRole('link', { name: 'Eksporter CSV' })).toBeInViewport();
    expect(await overflowX(page), (await widerThanViewport(page)).join('\n')).toBe(0);
    expect(await axeViolations(page)).toEqual([]);
  });
}
