import type { Metadata } from 'next';
import { getDb } from '@/db';
import { listUsers } from '@/db/queries/users';
import { InviteUserForm } from '@/components/admin/invite-user-form';
import { UserRowControls } from '@/components/admin/user-row-controls';
import { Badge } from '@/components/ui/badge';
import { Card, PageHeader } from '@/components/ui/card';
import { Table, Td, Th } from '@/components/ui/table';
import { requirePagePermission } from '@/lib/auth/session';
import { formatDateTime, ROLE_LABELS } from '@/lib/format';

export const metadata: Metadata = { title: 'Admin' };

export default async function AdminPage() {
  const me = await requirePagePermission('users.manage');
  const users = await listUsers(await getDb());
  return (
    <>
      <PageHeader title="Admin" description="Users and roles. Changes apply on the user's next request." />
      <Card title="Invite a user" className="mb-4">
        <InviteUserForm />
      </Card>
      <Card title="Users">
        <Table data-testid="users-table">
          <thead>
            <tr>
              <Th>User</Th>
              <Th>Role</Th>
              <Th>Status</Th>
              <Th>Last sign-in</Th>
              <Th numeric>Change</Th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {users.map((u) => (
              <tr key={u.id} data-email={u.email}>
                <Td>
                  <div className="font-medium">{u.name}</div>
                  <div className="text-xs text-slate-500">{u.email}</div>
                </Td>
                <Td>{ROLE_LABELS[u.role]}</Td>
                <Td>
                  {!u.active ? (
                    <Badge tone="red">Deactivated</Badge>
                  ) : u.mustChangePassword ? (
                    <Badge tone="amber">Awaiting first sign-in</Badge>
                  ) : (
                    <Badge tone="green">Active</Badge>
                  )}
                </Td>
                <Td className="whitespace-nowrap">{formatDateTime(u.lastSignInAt)}</Td>
                <Td numeric>
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
