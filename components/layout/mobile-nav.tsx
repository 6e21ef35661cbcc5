'use client';

import { useTranslations } from 'next-intl';
import { usePathname } from 'next/navigation';
import { useEffect, useId, useState, type ReactNode } from 'react';
import { SidebarNav, type NavItem } from './sidebar-nav';

/**
 * Below the `md` breakpoint the sidebar becomes this menu: a button in the header that opens the
 * sections (and whatever `footer` holds, e.g. sign-out) over the page. It closes on Esc and when
 * a section is opened.
 */
export function MobileNav({ items, footer }: { items: NavItem[]; footer?: ReactNode }) {
  const t = useTranslations('common.nav');
  const [open, setOpen] = useState(false);
  const [openedAt, setOpenedAt] = useState<string | null>(null);
  const pathname = usePathname();
  const panelId = useId();
  // Opening another section closes the menu (the state is dropped when the path changes).
  const shown = open && openedAt === pathname;

  useEffect(() => {
    if (!shown) return;
    const onKey = (event: KeyboardEvent) => event.key === 'Escape' && setOpen(false);
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [shown]);

  const waiting = items.reduce((sum, item) => sum + (item.badge ?? 0), 0);
  return (
    <div className="md:hidden">
      <button
        type="button"
        aria-expanded={shown}
        aria-controls={panelId}
        onClick={() => {
          setOpen(!shown);
          setOpenedAt(pathname);
        }}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100"
        data-testid="mobile-menu-button"
      >
        <svg aria-hidden="true" viewBox="0 0 20 20" className="h-5 w-5" fill="currentColor">
          <path d="M3 5h14v2H3zm0 4h14v2H3zm0 4h14v2H3z" />
        </svg>
        {t('menu')}
        {waiting > 0 && (
          <span
            className="rounded-full bg-amber-400 px-1.5 text-xs font-semibold text-slate-900"
            aria-label={t('waiting', { count: waiting })}
          >
            {waiting}
          </span>
        )}
      </button>
      {shown && (
        <div id={panelId} className="absolute inset-x-0 top-12 z-20 border-b border-slate-700 bg-brand-900 py-3 shadow-lg">
          <SidebarNav items={items} />
          {footer && <div className="mt-3 border-t border-white/10 px-4 pt-3">{footer}</div>}
        </div>
      )}
    </div>
  );
}
