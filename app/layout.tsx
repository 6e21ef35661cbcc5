import type { Metadata } from 'next';
import { NextIntlClientProvider } from 'next-intl';
import { getLocale } from 'next-intl/server';
import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Refund Desk', template: '%s · Refund Desk' },
  description: 'Refunds through Forage and Frontpayment, with approvals and a tamper-evident audit trail.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
  // A back office: keep every page out of search engines (public/robots.txt says the same to crawlers).
  robots: { index: false, follow: false },
};

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page is rendered per request, never prerendered at build time: its scripts carry the
  // nonce of the answer's Content-Security-Policy (proxy.ts), which only exists per request.
  await connection();
  // The request's language (lib/i18n.ts): the user's saved choice, else the browser's.
  const locale = await getLocale();
  return (
    <html lang={locale}>
      <body className="min-h-screen">
        <NextIntlClientProvider>{children}</NextIntlClientProvider>
      </body>
    </html>
  );
}
