import Link from 'next/link';
import { getTranslations } from 'next-intl/server';

/** An address with no page: rendered in the root layout only, so it brings its own <main>. */
export default async function NotFound() {
  const t = await getTranslations('common.notFound');
  return (
    <main id="main" className="mx-auto max-w-lg px-6 py-24 text-center">
      <p className="text-sm font-semibold text-slate-600">{t('code')}</p>
      <h1 className="mt-2 text-2xl font-semibold">{t('title')}</h1>
      <p className="mt-2 text-sm text-slate-600">{t('body')}</p>
      <Link href="/" className="mt-6 inline-block text-sm font-medium text-brand-700 underline">
        {t('home')}
      </Link>
    </main>
  );
}
