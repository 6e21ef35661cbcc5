import type { ReactNode } from 'react';
import { AdminTabs } from '@/components/admin/admin-tabs';
import { requirePagePermission } from '@/lib/auth/session';

// Checked here, above the section's loading boundary, so a refusal is a real 403 response.
export default async function Layout({ children }: { children: ReactNode }) {
  await requirePagePermission('users.manage');
  return (
    <>
      <AdminTabs />
      {children}
    </>
  );
}
