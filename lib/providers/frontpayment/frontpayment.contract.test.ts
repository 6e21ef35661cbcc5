import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sandboxConfig } from '@/sandbox/config';
import { frontpaymentModule } from '@/sandbox/frontpayment';
import { startSandbox, type Sandbox } from '@/sandbox/server';
import { FRONTPAYMENT_OTHER_ERROR_KEYS, FRONTPAYMENT_REFUND_ERROR_KEYS } from './errors';
import { errataChecks } from '@/test/providers/frontpayment/errata-checks';
import { flowChecks } from '@/test/providers/frontpayment/flow-checks';
import { harness, type Harness } from '@/test/providers/frontpayment/harness';
import { refundChecks } from '@/test/providers/frontpayment/refund-checks';

/**
 * The Frontpayment client against the sandbox in this process: every check of the contract
 * (testing/*-checks.ts). The same checks run against a separate sandbox process in
 * frontpayment.process.test.ts.
 */

let sandbox: Sandbox;
let h: Harness;
/** Every `message` key the client received, to prove the checks reach all of §5. */
const seen = new Set<string>();

const recordingFetch: typeof fetch = async (input, init) => {
  const response = await fetch(input, init);
  const body = (await response
    .clone()
    .json()
    .catch(() => null)) as { message?: unknown } | null;
  if (typeof body?.message === 'string') seen.add(body.message);
  return response;
};

beforeAll(async () => {
  sandbox = await startSandbox(sandboxConfig({ port: 0, settleMode: 'manual', appUrl: null }), [frontpaymentModule]);
  const base = harness(sandbox.url);
  h = { ...base, client: (overrides = {}) => base.client({ fetchImpl: recordingFetch, ...overrides }) };
});

afterAll(() => sandbox.close());

beforeEach(() => h.control.reset());

describe('Frontpayment client ↔ sandbox contract (in-process)', () => {
  for (const [name, check] of Object.entries({ ...refundChecks, ...flowChecks, ...errataChecks })) {
    it(name, () => check(h));
  }

  it('reached every documented message key (runs last)', () => {
    const expected = [
      ...FRONTPAYMENT_REFUND_ERROR_KEYS,
      ...FRONTPAYMENT_OTHER_ERROR_KEYS.filter((k) => k === 'orderRefundRequestAlreadySubmitted'),
      'Something Went Wrong',
      'Order Not Found',
      'Unauthenticated.',
      'Too Many Attempts.',
      'orderRefundedSuccessfully',
      'requestedOrderRefundSuccessfully',
    ];
    expect(expected.filter((key) => !seen.has(key))).toEqual([]);
  });
});
