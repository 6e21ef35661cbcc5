import { getDb } from '@/db';
import type { Role } from '@/db/schema/enums';
import { can } from '@/lib/auth/permissions';
import { getRefundFormData } from '@/lib/refunds/form-data';
import { RefundArea } from './refund-area';

/**
 * The refund form for one order, or the reason no refund can be made right now. Only for roles
 * that may create refunds; the action checks the permission again on the server.
 */
export async function RefundPanel({ orderId, user }: { orderId: string; user: { id: string; role: Role } }) {
  if (!can(user.role, 'refunds.create')) return null;
  const data = await getRefundFormData(await getDb(), orderId, user);
  if (!data) return null;
  return <RefundArea data={data} />;
}

export function RefundPanelSkeleton() {
  return (
    <div aria-busy="true" className="mb-4 h-56 animate-pulse rounded-lg border border-slate-200 bg-white">
      <span className="sr-only">Loading the refund form…</span>
    </div>
  );
}
