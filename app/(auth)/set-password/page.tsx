import type { Metadata } from 'next';
import { getTranslations } from 'next-intl/server';
import { redirect } from 'next/navigation';
import { SetPasswordForm } from '@/components/auth/set-password-form';
import { homeFor } from '@/lib/auth/permissions';
import { getCurrentUser } from '@/lib/auth/session';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('auth.setPassword'))('title') };
}

/** Where a user lands after signing in with the one-time password an admin gave them. */
export default async function SetPasswordPage() {
  const user = await getCurrentUser();
  if (!user) redirect('/signin');
  if (!user.mustChangePassword) redirect(homeFor(user.role));
  const t = await getTranslations('auth.setPassword');
  return (
    <main id="main" className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-6">
          <p className="text-xs font-semibold uppercase tracking-widest text-brand-700">Refund Desk</p>
          <h1 className="mt-1 text-lg font-semibold">{t('welcome', { name: user.name })}</h1>
          <p className="mt-1 text-sm text-slate-600">{t('intro')}</p>
        </div>
        <SetPasswordForm email={user.email} />
      </div>
    </main>
  );
}
