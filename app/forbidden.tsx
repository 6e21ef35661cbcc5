import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/**
 * Shown when a page refuses the reader's role (lib/auth/session.ts `forbidden()`). It renders
 * inside the dashboard's <main>, so it is a section under that landmark, not a second <main>.
 */
export default async function Forbidden() {
  const t = await getTranslations('common.forbidden');
  return (
    <section
      aria-labelledby="forbidden-title"
      className="mx-auto max-w-lg px-2 py-16 text-center sm:py-24"
      data-testid="forbidden"
    >
      <p className="text-sm font-semibold text-red-700">{t('code')}</p>
      <h1 id="forbidden-title" className="mt-2 text-2xl font-semibold">
        {t('title')}
      </h1>
      <p className="mt-2 text-sm text-slate-600">{t('body')}</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-700 underline">
        {t('home')}
      </Link>
    </section>
  );
}
