import { afterEach, describe, expect, it, vi } from 'vitest';
import { sandboxConfig } from '@/sandbox/config';

/** The sandbox's Frontpayment switches for the errata (frontpayment.md errata 1, 2, 5), read from the environment. */

const dataset = { version: 1, merchants: {}, orders: [] };

describe('sandbox Frontpayment switches', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('default to the variant under which refunds work: amounts, line ids and history uuids on', () => {
    expect(sandboxConfig({ dataset }).frontpayment).toMatchObject({
      statusAmounts: true,
      detailLineIds: true,
      historyUuids: true,
    });
  });

  it('turn off with SANDBOX_FP_STATUS_AMOUNTS=0, SANDBOX_FP_DETAIL_LINE_IDS=0, SANDBOX_FP_HISTORY_UUIDS=0', () => {
    vi.stubEnv('SANDBOX_FP_STATUS_AMOUNTS', '0');
    vi.stubEnv('SANDBOX_FP_DETAIL_LINE_IDS', '0');
    vi.stubEnv('SANDBOX_FP_HISTORY_UUIDS', '0');
    expect(sandboxConfig({ dataset }).frontpayment).toMatchObject({
      statusAmounts: false,
      detailLineIds: false,
      historyUuids: false,
    });
  });
});
