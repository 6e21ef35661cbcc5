import { describe, expect, it } from 'vitest';
import { readAhead, type BatchSource } from './cursor';

/** A cursor stand-in that counts what it was asked for and what is still in flight. */
function fakeSource(total: number, size: number) {
  const state = { fetched: 0, inFlight: 0, maxInFlight: 0, closed: 0, given: 0 };
  const source: BatchSource = {
    async next() {
      state.fetched += 1;
      state.inFlight += 1;
      state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      state.inFlight -= 1;
      const rows = Math.min(size, total - state.given);
      state.given += rows;
      return Array.from({ length: rows }, (_, i) => [state.given - rows + i]);
    },
    async close() {
      expect(state.inFlight).toBe(0);
      state.closed += 1;
    },
  };
  return { state, source };
}

describe('readAhead', () => {
  it('yields every row once, in order, asking for one batch ahead at most', async () => {
    const { state, source } = fakeSource(25, 10);
    const seen: unknown[] = [];
    for await (const batch of readAhead(source, 10)) seen.push(...batch.map((row) => row[0]));
    expect(seen).toEqual(Array.from({ length: 25 }, (_, i) => i));
    // 10 + 10 + 5: the short batch is the last; nothing is asked for after it.
    expect(state.fetched).toBe(3);
    expect(state.maxInFlight).toBe(1);
    expect(state.closed).toBe(1);
  });

  it('asks for one more batch when the rows end on a batch boundary, and gets none', async () => {
    const { state, source } = fakeSource(20, 10);
    let rows = 0;
    for await (const batch of readAhead(source, 10)) rows += batch.length;
    expect(rows).toBe(20);
    expect(state.fetched).toBe(3);
    expect(state.closed).toBe(1);
  });

  it('reads nothing more while the consumer holds a batch, and closes after the one in flight when it stops', async () => {
    const { state, source } = fakeSource(1000, 10);
    const batches = readAhead(source, 10);
    await batches.next();
    await new Promise((resolve) => setTimeout(resolve, 30));
    expect(state.fetched).toBe(2);
    await batches.return();
    expect(state.fetched).toBe(2);
    expect(state.closed).toBe(1);
  });
});
