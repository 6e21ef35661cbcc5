import { describe, expect, it } from 'vitest';
import { demoDataset } from '@/demo/schema';
import { actionResult } from './app-client';
import { proveDataset, rng } from './harness';

describe('the proof harness', () => {
  it('the same seed draws the same numbers, another seed others', () => {
    const draw = (seed: number) => {
      const r = rng(seed);
      return Array.from({ length: 8 }, () => r.int(0, 1_000_000));
    };
    expect(draw(42)).toEqual(draw(42));
    expect(draw(42)).not.toEqual(draw(43));
  });

  it('copies of the demo orders are valid and share no reference, order number or payment', () => {
    const dataset = demoDataset.parse(proveDataset(4));
    const demo = proveDataset(1).orders.length;
    expect(dataset.orders).toHaveLength(demo * 4);
    const unique = (values: string[]) => new Set(values).size === values.length;
    expect(unique(dataset.orders.map((o) => `${o.provider}:${o.providerRef}`))).toBe(true);
    expect(unique(dataset.orders.map((o) => o.orderNumber))).toBe(true);
    expect(unique(dataset.orders.flatMap((o) => o.payments.map((p) => p.ref)))).toBe(true);
    // Past refunds still point at their own order's payments.
    for (const order of dataset.orders) {
      const refs = new Set(order.payments.map((p) => p.ref));
      for (const refund of order.refunds) for (const a of refund.allocations) expect(refs.has(a.paymentRef)).toBe(true);
    }
  });

  it("reads a server action's result out of a Flight answer that also carries a page", () => {
    const flight = [
      '2:"$Sreact.fragment"',
      '0:{"a":"$@1","q":"","i":false,"b":"x"}',
      '9:I[39756,["$7"],"LoadingBoundaryProvider"]',
      '1:{"ok":false,"error":"Some fields need your attention.","code":"invalid_input"}',
    ].join('\n');
    expect(actionResult(flight)).toEqual({ ok: false, error: 'Some fields need your attention.', code: 'invalid_input' });
    expect(actionResult('<html>500</html>')).toBeNull();
  });
});
