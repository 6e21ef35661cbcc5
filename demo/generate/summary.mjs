import { sum } from './random.mjs';

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

export function summarize(ds) {
  const tally = (keyOf) => {
    const m = new Map();
    for (const o of ds.orders) m.set(keyOf(o), (m.get(keyOf(o)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  const out = [];
  const nRefunds = sum(ds.orders, (o) => o.refunds.length);
  out.push(
    `demo/dataset.json: ${ds.orders.length} orders, ${sum(ds.orders, (o) => o.lines.length)} lines, ` +
      `${sum(ds.orders, (o) => o.payments.length)} payments, ${nRefunds} refunds`,
  );
  out.push('by provider:');
  for (const [k, n] of tally((o) => o.provider)) out.push(`  ${k.padEnd(44)} ${n}`);
  out.push('by provider / kind / status:');
  for (const [k, n] of tally((o) => `${o.provider} / ${o.kind} / ${o.providerStatus}`)) out.push(`  ${k.padEnd(44)} ${n}`);
  out.push('Forage tender mix (succeeded orders):');
  for (const [k, n] of tally((o) =>
    o.provider === 'forage' && o.payments.length ? o.payments.map((p) => p.tender).join(' + ') : '',
  )) {
    if (k) out.push(`  ${k.padEnd(44)} ${n}`);
  }
  out.push('orders with refunds:');
  for (const [k, n] of tally((o) => {
    if (o.refunds.length === 0) return '';
    const full = sum(o.refunds, (r) => r.allocations[0].amount) === sum(o.payments, (p) => p.amount);
    return `${o.provider} ${full ? 'fully' : 'partly'} refunded`;
  })) {
    if (k) out.push(`  ${k.padEnd(44)} ${n}`);
  }
  return out.join('\n');
}
