import type { Metadata } from 'next';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata: Metadata = {
  title: { default: 'Refund Desk', template: '%s · Refund Desk' },
  description: 'Refunds through Forage and Frontpayment, with approvals and a tamper-evident audit trail.',
  icons: { icon: { url: '/favicon.svg', type: 'image/svg+xml' } },
  // A back office: keep every page out of search engines (public/robots.txt says the same to crawlers).
  robots: { index: false, follow: false },
};

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body className="min-h-screen">{children}</body>
    </html>
  );
}
