import { expect, test as setup } from '@playwright/test';
import { DEMO_PASSWORD, SignInPage, storageState, USERS, type UserName } from './fixtures';

// One signed-in state per demo user, saved once and reused by the specs.
for (const user of Object.keys(USERS) as UserName[]) {
  setup(`sign in as ${user}`, async ({ page }) => {
    const signIn = new SignInPage(page);
    await signIn.goto();
    await signIn.signIn(USERS[user].email, DEMO_PASSWORD);
    await expect(page.getByTestId('current-user')).toHaveText(USERS[user].name);
    await page.context().storageState({ path: storageState(user) });
  });
}
