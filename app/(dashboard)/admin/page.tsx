import type { Metadata } from 'next';
import { getLocale, getTranslations } from 'next-intl/server';
import { getDb } from '@/db';
import { listUsers } from '@/db/queries/users';
import { InviteUserForm } from '@/components/admin/invite-user-form';
import { UserRowControls } from '@/components/admin/user-row-controls';
import { Badge } from '@/components/ui/badge';
import { Card, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime } from '@/lib/format';

export async function generateMetadata(): Promise<Metadata> {
  return { title: (await getTranslations('admin'))('title') };
}

export default async function AdminPage() {
  const me = await requirePagePermission('users.manage');
  const [users, t, status, locale] = await Promise.all([
    listUsers(await getDb()),
    getTranslations('admin'),
    getTranslations('status'),
    getLocale(),
  ]);
  return (
    <>
      <PageHeader title={t('title')} description={t('description')} />
      <Card title={t('users.invite')} className="mb-4">
        <InviteUserForm />
      </Card>
      <Card title={t('users.title')}>
        {/* On a phone each user is a stacked block (the controls within reach), not a row to scroll. */}
        <Table data-testid="users-table" className="max-sm:block max-sm:divide-y-0">
          <thead className="max-sm:sr-only">
            <tr>
              <Th>{t('users.columns.user')}</Th>
              <Th>{t('users.columns.role')}</Th>
              <Th>{t('users.columns.status')}</Th>
              <Th>{t('users.columns.lastSignIn')}</Th>
              <Th numeric>{t('users.columns.change')}</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100 max-sm:block">
            {users.map((u) => (
              <tr key={u.id} data-email={u.email} className="max-sm:grid max-sm:grid-cols-2 max-sm:gap-y-1 max-sm:py-2">
                <Td className="max-sm:col-span-2 max-sm:pb-0">
                  <div className="font-medium">{u.name}</div>
                  <div className="text-xs text-slate-500">{u.email}</div>
                </Td>
                <Td className="max-sm:py-0">{status(`role.${u.role}`)}</Td>
                <Td className="max-sm:py-0 max-sm:text-right">
                  {!u.active ? (
                    <Badge tone="red">{t('users.deactivated')}</Badge>
                  ) : u.mustChangePassword ? (
                    <Badge tone="amber">{t('users.awaitingFirst')}</Badge>
                  ) : (
                    <Badge tone="green">{t('users.active')}</Badge>
                  )}
                </Td>
                <Td className="whitespace-nowrap max-sm:col-span-2 max-sm:py-0 max-sm:text-xs max-sm:text-slate-600">
                  <span className="sm:hidden">{t('users.columns.lastSignIn')}: </span>
                  {formatDateTime(u.lastSignInAt, locale)}
                </Td>
                <Td numeric className="max-sm:col-span-2 max-sm:text-left">
                  <UserRowControls userId={u.id} role={u.role} active={u.active} isSelf={u.id === me.id} name={u.name} />
                </Td>
              </tr>
            ))}
          </tbody>
        </Table>
      </Card>
    </>
  );
}
