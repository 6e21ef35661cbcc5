import { expect, test as setup } from '@playwright/test';
import { DEMO_PASSWORD, ROLES, SignInPage, storageState, type RoleName } from './fixtures';

// One signed-in state per role, saved once and reused by the specs.
for (const role of Object.keys(ROLES) as RoleName[]) {
  setup(`sign in as ${role}`, async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(ROLES[role].email, DEMO_PASSWORD);
    await expect(page.getByTestId('current-user')).toHaveText(ROLES[role].name);
    await page.context().storageState({ path: storageState(role) });
  });
}
