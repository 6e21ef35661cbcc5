import type { LineFigures } from '@/db/queries/refundable';
import type { OrderLine } from '@/db/schema';
import { Badge } from '@/components/ui/badge';
import { Table, Td, Th } from '@/components/ui/table';
import { ELIGIBILITY_LABELS } from '@/lib/format';
import { formatMoney } from '@/lib/money';

export function OrderLinesTable({
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
  const byLine = new Map(figures.map((f) => [f.orderLineId, f]));
  const money = (minor: number) => formatMoney(minor, currency);
  return (
    <Table data-testid="order-lines">
      <thead>
        <tr>
          <Th>Product</Th>
          {showEligibility && <Th>Eligibility</Th>}
          <Th numeric>Unit price</Th>
          <Th numeric>Qty</Th>
          <Th numeric>Paid</Th>
          <Th numeric>Refunded</Th>
          <Th numeric>Refundable</Th>
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
                  {line.taxRateBp > 0 && ` · tax ${line.taxRateBp / 100}%`}
                </div>
              </Td>
              {showEligibility && (
                <Td>
                  {line.eligibility ? (
                    <Badge tone={line.eligibility === 'non_ebt' ? 'gray' : 'green'}>{ELIGIBILITY_LABELS[line.eligibility]}</Badge>
                  ) : (
                    '—'
                  )}
                </Td>
              )}
              <Td numeric>{money(line.unitPriceMinor)}</Td>
              <Td numeric>{line.quantity}</Td>
              <Td numeric>{money(line.paidMinor)}</Td>
              <Td numeric data-testid="line-refunded">
                {f && f.refundedMinor > 0 ? money(f.refundedMinor) : '—'}
                {f && f.reservedMinor > 0 && <div className="text-xs text-amber-700">{money(f.reservedMinor)} pending</div>}
              </Td>
              <Td numeric data-testid="line-refundable" className="font-medium">
                {f ? money(f.refundableMinor) : '—'}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}
