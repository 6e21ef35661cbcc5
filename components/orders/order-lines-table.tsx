import { getLocale, getTranslations } from 'next-intl/server';
import type { LineFigures } from '@/db/queries/refundable';
import type { OrderLine } from '@/db/schema';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { formatMoney } from '@/lib/money';

/** The order's products, read only: for those who may not refund, or while no refund can be made. */
export async function OrderLinesTable({
  currency,
  lines,
  figures,
  showEligibility,
}: {
  currency: string;
  lines: OrderLine[];
  figures: LineFigures[];
  showEligibility: boolean;
}) {
  const [t, ts, locale] = await Promise.all([getTranslations('orders.lines'), getTranslations('status'), getLocale()]);
  const byLine = new Map(figures.map((f) => [f.orderLineId, f]));
  const money = (minor: number) => formatMoney(minor, currency, locale);
  return (
    <Table data-testid="order-lines" aria-label={t('label')}>
      <thead>
        <tr>
          <Th>{t('product')}</Th>
          {showEligibility && <Th>{t('eligibility')}</Th>}
          <Th numeric>{t('bought')}</Th>
          <Th numeric>{t('paid')}</Th>
          <Th numeric>{t('refunded')}</Th>
          <Th numeric>{t('refundable')}</Th>
        </tr>
      </thead>
      <tbody className="divide-y divide-slate-100">
        {lines.map((line) => {
          const f = byLine.get(line.id);
          return (
            <tr key={line.id} data-line-id={line.providerLineId}>
              <Td>
                <div className="font-medium">{line.name}</div>
                <div className="font-mono text-xs text-slate-500">
                  {line.productId ?? line.providerLineId}
                  {line.taxRateBp > 0 && ` · ${t('tax', { rate: line.taxRateBp / 100 })}`}
                </div>
              </Td>
              {showEligibility && (
                <Td>
                  {line.eligibility ? (
                    <Badge tone={line.eligibility === 'non_ebt' ? 'gray' : 'green'}>
                      {ts(`eligibility.${line.eligibility}`)}
                    </Badge>
                  ) : (
                    '—'
                  )}
                </Td>
              )}
              <Td numeric className="whitespace-nowrap">
                {t('quantityTimesPrice', { quantity: line.quantity, price: money(line.unitPriceMinor) })}
              </Td>
              <Td numeric className="whitespace-nowrap">
                {money(line.paidMinor)}
              </Td>
              <Td numeric data-testid="line-refunded" className="whitespace-nowrap">
                {f && f.refundedMinor > 0 ? money(f.refundedMinor) : '—'}
                {f && f.reservedMinor > 0 && (
                  <div className="text-xs text-amber-800">{t('pending', { amount: money(f.reservedMinor) })}</div>
                )}
              </Td>
              <Td numeric data-testid="line-refundable" className="whitespace-nowrap font-medium">
                {f ? money(f.refundableMinor) : '—'}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
