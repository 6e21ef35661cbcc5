'use client';

import { useLocale, useTranslations } from 'next-intl';
import { useRouter } from 'next/navigation';
import { useId, useState, useTransition } from 'react';
import { LOCALE_COOKIE, LOCALE_NAMES, LOCALES, isLocale, type Locale } from '@/i18n/locales';
import { setLanguageAction } from '@/lib/users/actions';
import { cn } from '@/lib/cn';

/**
 * The language menu. Signed in, the choice is saved on the account (every device); signed out
 * (the sign-in page) it is kept on this device only, in a cookie. Each language is named in itself.
 */
export function LanguageSwitcher({ signedIn, tone = 'light' }: { signedIn: boolean; tone?: 'light' | 'dark' }) {
  const t = useTranslations('common.language');
  const locale = useLocale();
  const router = useRouter();
  const id = useId();
  const [pending, startTransition] = useTransition();
  const [failed, setFailed] = useState(false);

  const choose = (next: Locale) =>
    startTransition(async () => {
      setFailed(false);
      if (signedIn) {
        const result = await setLanguageAction({ locale: next });
        if (!result.ok) return setFailed(true);
      } else {
        document.cookie = `${LOCALE_COOKIE}=${next}; path=/; max-age=${365 * 24 * 60 * 60}; samesite=lax`;
      }
      router.refresh();
    });

  return (
    <div className="flex items-center gap-1.5">
      <label htmlFor={id} className={cn('text-xs', tone === 'dark' ? 'text-slate-200' : 'text-slate-600')}>
        {t('label')}
      </label>
      <select
        id={id}
        value={locale}
        disabled={pending}
        aria-busy={pending}
        onChange={(event) => isLocale(event.target.value) && choose(event.target.value)}
        className="rounded-md border border-slate-300 bg-white px-1.5 py-1 text-sm text-slate-900"
        data-testid="language-switcher"
      >
        {LOCALES.map((l) => (
          <option key={l} value={l} lang={l}>
            {LOCALE_NAMES[l]}
          </option>
        ))}
      </select>
      {failed && (
        <span role="alert" className="text-xs text-red-700">
          {t('failed')}
        </span>
      )}
    </div>
  );
}
