'use client';

import { useTranslations } from 'next-intl';
import Link from 'next/link';
import { usePathname } from 'next/navigation';
import { cn } from '@/lib/cn';

const TABS = [
  { href: '/admin', key: 'users' },
  { href: '/admin/settings', key: 'policy' },
  { href: '/admin/providers', key: 'providers' },
] as const;

export function AdminTabs() {
  const t = useTranslations('admin.tabs');
  const pathname = usePathname();
  return (
    <nav aria-label={t('label')} className="mb-4 flex gap-1 overflow-x-auto border-b border-slate-200">
      {TABS.map((tab) => {
        const active = pathname === tab.href;
        return (
          <Link
            key={tab.href}
            href={tab.href}
            aria-current={active ? 'page' : undefined}
            className={cn(
              '-mb-px whitespace-nowrap border-b-2 px-3 py-2 text-sm font-medium',
              active ? 'border-brand-600 text-brand-700' : 'border-transparent text-slate-600 hover:text-slate-900',
            )}
          >
            {t(tab.key)}
          </Link>
        );
      })}
    </nav>
  );
}
