import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { LanguageSwitcher } from '@/components/i18n/language-switcher';
import { oidcEnabled, oidcName, signIn } from '@/lib/auth';
import { getCurrentUser } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.signIn'))('title') };
}

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl } = await searchParams;
  const t = await getTranslations('auth.signIn');
  return (
    <main className="flex min-h-screen flex-col items-center justify-center gap-4 px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-6">
          <p className="text-xs font-semibold uppercase tracking-widest text-brand-700">Refund Desk</p>
          <h1 className="mt-1 text-lg font-semibold">{t('heading')}</h1>
        </div>
        <SignInForm callbackUrl={callbackUrl} />
        {oidcEnabled && (
          <form
            className="mt-4 border-t border-slate-200 pt-4"
            action={async () => {
              'use server';
              await signIn('oidc', { redirectTo: '/' });
            }}
          >
            <button
              type="submit"
              className="w-full rounded-md border border-slate-300 px-3 py-1.5 text-sm font-medium hover:bg-slate-50"
            >
              {t('sso', { name: oidcName })}
            </button>
          </form>
        )}
      </div>
      <LanguageSwitcher signedIn={false} />
    </main>
  );
}
