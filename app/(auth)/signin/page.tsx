import type { Metadata } from 'next';
import { redirect } from 'next/navigation';
import { SignInForm } from '@/components/auth/sign-in-form';
import { oidcEnabled, oidcName, signIn } from '@/lib/auth';
import { getCurrentUser } from '@/lib/auth/session';

export const metadata: Metadata = { title: 'Sign in' };

export default async function SignInPage({ searchParams }: { searchParams: Promise<{ callbackUrl?: string }> }) {
  if (await getCurrentUser()) redirect('/');
  const { callbackUrl } = await searchParams;
  return (
    <main className="flex min-h-screen items-center justify-center px-4">
      <div className="w-full max-w-sm rounded-lg border border-slate-200 bg-white p-6 shadow-sm">
        <div className="mb-6">
          <p className="text-xs font-semibold uppercase tracking-widest text-brand-700">Refund Desk</p>
          <h1 className="mt-1 text-lg font-semibold">Sign in to your account</h1>
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
              Continue with {oidcName}
            </button>
          </form>
        )}
      </div>
    </main>
  );
}
