import type { Db } from '@/db';
import { getOrderProviderRef } from '@/db/queries/orders';
import type { Provider } from '@/db/schema';
import type { AuditContext } from '@/lib/audit';
import { SafeError } from '@/lib/errors';
import type { ProviderClient } from '@/lib/providers/types';
import { syncProviderOrder } from './sync';

/** Fetches an order from its provider by reference and writes it into the local mirror. */
export async function importOrder(db: Db, client: ProviderClient, audit: AuditContext, providerRef: string) {
  const result = await client.getOrder(providerRef);
  if (!result.ok) {
    const described = client.profile.describeError(result.code);
    throw new SafeError(
      `${described.message} ${described.action}`.trim(),
      'order_import_failed',
      { providerRef: [described.message] },
      {
        provider: client.profile.label,
        code: result.code,
      },
    );
  }
  return syncProviderOrder(db, audit, result.order);
}

/** Refreshes a known order from its provider, so refunds made elsewhere show up. */
export async function refreshOrder(
  db: Db,
  clientFor: (provider: Provider) => ProviderClient,
  audit: AuditContext,
  orderId: string,
) {
  const order = await getOrderProviderRef(db, orderId);
  if (!order) throw new SafeError('That order does not exist.', 'order_not_found');
  const client = clientFor(order.provider);
  const result = await client.getOrder(order.providerRef);
  // A failed read changes nothing: the provider's sentence for the code may be about a refund
  // ("may or may not have been made"), which would alarm here, so the read has its own words.
  if (!result.ok)
    throw new SafeError(
      `${client.profile.label} could not be read just now (${result.code}). Nothing was changed.`,
      'order_read_failed',
      undefined,
      { provider: client.profile.label, code: result.code },
    );
  return syncProviderOrder(db, audit, result.order);
}
