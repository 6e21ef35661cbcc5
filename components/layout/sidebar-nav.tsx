'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';

export interface NavItem {
  href: string;
  label: string;
  badge?: number;
}

export function SidebarNav({ items }: { items: NavItem[] }) {
  const t = useTranslations('common.nav');
  const pathname = usePathname();
  return (
    <nav aria-label={t('label')} className="flex flex-col gap-0.5 px-2">
      {items.map((item) => {
        const active = item.href === '/' ? pathname === '/' : pathname === item.href || pathname.startsWith(`${item.href}/`);
        return (
          <Link
            key={item.href}
            href={item.href}
            aria-current={active ? 'page' : undefined}
            className={cn(
              'rounded-md px-3 py-1.5 text-sm font-medium',
              active ? 'bg-brand-50 text-brand-700' : 'text-slate-300 hover:bg-white/10 hover:text-white',
              active && 'bg-white text-brand-900',
            )}
          >
            <span className="flex items-center justify-between">
              {item.label}
              {item.badge !== undefined && (
                <span
                  className="rounded-full bg-amber-400 px-1.5 text-xs font-semibold text-slate-900"
                  aria-label={t('waiting', { count: item.badge })}
                >
                  {item.badge}
                </span>
              )}
            </span>
          </Link>
        );
      })}
    </nav>
  );
}
