import { getTranslations } from 'next-intl/server';
import Link from 'next/link';
import type { ReactNode } from 'react';
import { LanguageSwitcher } from '@/components/i18n/language-switcher';
import { Badge } from '@/components/ui/badge';
import { MobileNav } from '@/components/layout/mobile-nav';
import { SidebarNav } from '@/components/layout/sidebar-nav';
import { signOutAction } from '@/lib/auth/actions';
import { getDb } from '@/db';
import { pendingApprovalCount } from '@/db/queries/approvals';
import { can, navFor } from '@/lib/auth/permissions';
import { requirePagePermission } from '@/lib/auth/session';

export default async function DashboardLayout({ children }: { children: ReactNode }) {
  const user = await requirePagePermission();
  const pending = can(user.role, 'approvals.read') ? await pendingApprovalCount(await getDb()) : 0;
  const [t, status] = await Promise.all([getTranslations('common'), getTranslations('status')]);
  const nav = navFor(user.role).map(({ href, key }) => ({
    href,
    label: t(`nav.${key}`),
    badge: href === '/approvals' && pending > 0 ? pending : undefined,
  }));
  return (
    <div className="flex min-h-screen">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-10 focus:rounded focus:bg-white focus:px-3 focus:py-1.5"
      >
        {t('skipToContent')}
      </a>
      <aside className="hidden w-52 shrink-0 flex-col bg-brand-900 py-4 md:flex" data-testid="sidebar">
        <Link href="/" className="mb-6 px-5 text-sm font-semibold tracking-wide text-white">
          Refund Desk
        </Link>
        <SidebarNav items={nav} />
      </aside>
      <div className="flex min-w-0 flex-1 flex-col">
        <header className="relative flex h-12 items-center justify-end gap-3 border-b border-slate-200 bg-white px-3 md:px-6">
          <MobileNav
            items={nav}
            footer={
              <div className="flex flex-wrap items-center justify-between gap-2">
                <LanguageSwitcher signedIn tone="dark" />
                <SignOutButtons tone="dark" text={t} />
              </div>
            }
          />
          <span className="mr-auto text-sm font-semibold text-brand-900 md:hidden">Refund Desk</span>
          <span className="hidden truncate text-sm text-slate-700 sm:inline" data-testid="current-user">
            {user.name}
          </span>
          <Badge tone="blue">{status(`role.${user.role}`)}</Badge>
          <div className="hidden items-center gap-3 md:flex">
            <LanguageSwitcher signedIn />
            <SignOutButtons text={t} />
          </div>
        </header>
        <main id="main" className="min-w-0 flex-1 px-3 py-4 md:px-6 md:py-5">
          {children}
        </main>
      </div>
    </div>
  );
}

/** Sign out of this session, or of every session of the account. */
function SignOutButtons({
  tone = 'light',
  text: t,
}: {
  tone?: 'light' | 'dark';
  text: Awaited<ReturnType<typeof getTranslations<'common'>>>;
}) {
  const text =
    tone === 'dark'
      ? 'text-slate-200 hover:bg-white/10 hover:text-white'
      : 'text-slate-600 hover:bg-slate-100 hover:text-slate-900';
  return (
    <form action={signOutAction} className="flex items-center gap-1">
      <button type="submit" name="scope" value="this" className={`rounded-md px-2 py-1 text-sm font-medium ${text}`}>
        {t('signOut')}
      </button>
      <button
        type="submit"
        name="scope"
        value="everywhere"
        title={t('signOutEverywhereHint')}
        className={`rounded-md px-2 py-1 text-xs ${text}`}
      >
        {t('signOutEverywhere')}
      </button>
    </form>
  );
}
