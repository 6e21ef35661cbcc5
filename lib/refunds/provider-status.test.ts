import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ProviderRefundStatus } from '@/lib/providers/types';
import { isForwardUpdate, settledStatus } from './provider-status';

const statuses: ProviderRefundStatus[] = ['pending', 'processing', 'succeeded', 'failed'];
const at = (iso: string) => new Date(iso);

describe('isForwardUpdate', () => {
  it('moves forward and never backwards', () => {
    expect(isForwardUpdate({ status: 'processing', providerUpdatedAt: null }, { status: 'succeeded', updatedAt: null })).toBe(
      true,
    );
    expect(isForwardUpdate({ status: 'succeeded', providerUpdatedAt: null }, { status: 'processing', updatedAt: null })).toBe(
      false,
    );
    expect(isForwardUpdate({ status: 'succeeded', providerUpdatedAt: null }, { status: 'failed', updatedAt: null })).toBe(false);
    expect(isForwardUpdate({ status: 'processing', providerUpdatedAt: null }, { status: 'processing', updatedAt: null })).toBe(
      false,
    );
  });

  it('ignores an update older than the one applied', () => {
    const current = { status: 'processing' as const, providerUpdatedAt: at('2026-01-01T10:00:05Z') };
    expect(isForwardUpdate(current, { status: 'succeeded', updatedAt: at('2026-01-01T10:00:01Z') })).toBe(false);
    expect(isForwardUpdate(current, { status: 'succeeded', updatedAt: at('2026-01-01T10:00:06Z') })).toBe(true);
  });

  it('whatever order events arrive in, the last applied status is the furthest one (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...statuses), { minLength: 1, maxLength: 8 }), (events) => {
        let current = { status: 'pending' as ProviderRefundStatus, providerUpdatedAt: null as Date | null };
        for (const status of events) {
          if (isForwardUpdate(current, { status, updatedAt: null })) current = { status, providerUpdatedAt: null };
        }
        const rank = (s: ProviderRefundStatus) => ({ pending: 0, processing: 1, succeeded: 2, failed: 2 })[s];
        const best = Math.max(0, ...events.map(rank));
        expect(rank(current.status)).toBe(best);
        // The first final status seen wins; later finals never overwrite it.
        const firstFinal = events.find((s) => rank(s) === 2);
        if (firstFinal) expect(current.status).toBe(firstFinal);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('settledStatus', () => {
  it('waits for every part, then says how it ended', () => {
    expect(settledStatus([])).toBeNull();
    expect(settledStatus([{ status: 'succeeded' }, { status: 'processing' }])).toBeNull();
    expect(settledStatus([{ status: 'succeeded' }, { status: 'succeeded' }])).toBe('succeeded');
    expect(settledStatus([{ status: 'failed' }, { status: 'failed' }])).toBe('failed');
    expect(settledStatus([{ status: 'succeeded' }, { status: 'failed' }])).toBe('partially_succeeded');
  });
});
