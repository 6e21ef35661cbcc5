import { afterEach, describe, expect, it } from 'vitest';

/**
 * The browser's zod (./refund-schema.ts, loaded by the refund form) must never try to compile code:
 * under the Content-Security-Policy the try is refused and reported as a violation. Zod tries once,
 * when the first object schema is built, unless `jitless` is set before that; so this file imports
 * nothing else that loads zod, and watches for the try.
 */
const RealFunction = globalThis.Function;
afterEach(() => {
  globalThis.Function = RealFunction;
});

describe('the refund schema as the browser loads it', () => {
  it('is built and parses without zod ever calling Function', async () => {
    const tries: unknown[][] = [];
    globalThis.Function = new Proxy(RealFunction, {
      apply(target, self, args) {
        tries.push(args);
        return Reflect.apply(target, self, args);
      },
      construct(target, args, newTarget) {
        tries.push(args);
        return Reflect.construct(target, args, newTarget);
      },
    });
    const { createRefundInput } = await import('./refund-schema');
    const parsed = createRefundInput.safeParse({
      orderId: '00000000-0000-4000-8000-000000000001',
      requestKey: '00000000-0000-4000-8000-000000000002',
      lines: [{ orderLineId: '00000000-0000-4000-8000-000000000003', quantity: 1, amountMinor: 449, reason: 'damaged' }],
      confirmedTotalMinor: 449,
    });
    expect(parsed.success).toBe(true);
    expect(tries).toEqual([]);
  });
});
