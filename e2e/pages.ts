import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';
import type { UserName } from './fixtures';

/**
 * Every page of the app, as a user reaches it, for the page-by-page checks (every-page.spec.ts):
 * no axe violation (WCAG 2.1 AA), not wider than a phone at 390 px, a screenshot of each in each
 * language and size. A page behind a list is reached by opening the list's first row, as a user
 * would; `open` returns once the page's main heading shows.
 */
export interface AppPage {
  name: string;
  /** Who opens it; null: signed out. */
  as: UserName | null;
  open: (page: Page) => Promise<void>;
}

async function goto(page: Page, path: string) {
  await page.goto(path);
  await expect(page.getByRole('heading', { level: 1 }).first()).toBeVisible();
}

async function openOrder(page: Page, orderNumber: string) {
  await page.goto(`/orders?q=${orderNumber}`);
  await page.getByRole('link', { name: orderNumber, exact: true }).first().click();
  await expect(page).toHaveURL(/\/orders\/[\w-]+$/);
  await expect(page.getByRole('heading', { level: 1 })).toBeVisible();
}

export const APP_PAGES: AppPage[] = [
  { name: 'signin', as: null, open: (p) => goto(p, '/signin') },
  { name: 'overview', as: 'manager', open: (p) => goto(p, '/') },
  { name: 'orders', as: 'agent', open: (p) => goto(p, '/orders') },
  // RD-100002 is paid through Forage (USD), RD-100025 through Frontpayment (NOK).
  { name: 'order-forage', as: 'agent', open: (p) => openOrder(p, 'RD-100002') },
  { name: 'order-frontpayment', as: 'agent', open: (p) => openOrder(p, 'RD-100025') },
  { name: 'refunds', as: 'manager', open: (p) => goto(p, '/refunds') },
  {
    name: 'refund',
    as: 'manager',
    open: async (p) => {
      await goto(p, '/refunds');
      await p.locator('a[href^="/refunds/"]').first().click();
      await expect(p).toHaveURL(/\/refunds\/[\w-]+$/);
      await expect(p.getByRole('heading', { level: 1 })).toBeVisible();
    },
  },
  { name: 'approvals', as: 'manager', open: (p) => goto(p, '/approvals') },
  { name: 'audit', as: 'auditor', open: (p) => goto(p, '/audit') },
  { name: 'audit-refusals', as: 'auditor', open: (p) => goto(p, '/audit/refusals') },
  { name: 'admin-users', as: 'admin', open: (p) => goto(p, '/admin') },
  { name: 'admin-settings', as: 'admin', open: (p) => goto(p, '/admin/settings') },
  { name: 'admin-providers', as: 'admin', open: (p) => goto(p, '/admin/providers') },
  { name: 'forbidden', as: 'agent', open: (p) => goto(p, '/audit') },
  {
    name: 'not-found',
    as: 'agent',
    open: async (p) => {
      await p.goto('/orders/00000000-0000-4000-8000-000000000000');
      await expect(p.locator('#main')).toContainText(/\S/);
    },
  },
];

/** The two sizes every page is checked at: a desktop and a phone. */
export const SIZES = { desktop: { width: 1440, height: 900 }, phone: { width: 390, height: 844 } } as const;

/** The two languages, as the browser asks for them (the demo users have saved no choice). */
export const LANGUAGES = { en: 'en-US', nb: 'nb-NO' } as const;

/** How far the page reaches past the viewport's right edge, in CSS pixels (0 when it fits). */
export const overflowX = (page: Page) =>
  page.evaluate(() => Math.max(0, document.documentElement.scrollWidth - document.documentElement.clientWidth));

/**
 * What makes a page wider than the viewport: the elements reaching past its right edge that no
 * scrolling or clipping ancestor contains, outermost first (for a failing overflow check's message).
 */
export const widerThanViewport = (page: Page) =>
  page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const contained = (el: Element) => {
      for (let p = el.parentElement; p && p !== document.body; p = p.parentElement) {
        if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(p).overflowX)) return true;
      }
      return false;
    };
    return [...document.querySelectorAll('body *')]
      .filter((el) => el.getBoundingClientRect().right > width + 0.5 && !contained(el))
      .slice(0, 8)
      .map((el) => {
        const id = el.getAttribute('data-testid');
        return `${el.tagName.toLowerCase()}${id ? `[data-testid=${id}]` : ''} .${(el.getAttribute('class') ?? '').split(' ').slice(0, 4).join('.')} right ${Math.round(el.getBoundingClientRect().right)}: ${(el.textContent ?? '').slice(0, 60)}`;
      });
  });

/** axe over the whole page with the WCAG 2.0/2.1 A and AA rules; the violations, summarised. */
export async function axeViolations(page: Page) {
  const results = await new AxeBuilder({ page }).withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
  return results.violations.map((v) => ({
    rule: v.id,
    impact: v.impact,
    help: v.help,
    targets: v.nodes.slice(0, 5).map((n) => n.target.join(' ')),
  }));
}

/** Saves a full-page screenshot in the run's output folder (test-results/screens/, not committed). */
export async function screenshot(page: Page, testInfo: TestInfo, name: string) {
  const path = join(testInfo.project.outputDir, 'screens', `${name}.png`);
  await page.screenshot({ path, fullPage: true });
  return path;
}
