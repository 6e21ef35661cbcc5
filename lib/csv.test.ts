import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCsv } from '@/test/parse-csv';
import { csvRecord, csvSafe, csvStream } from './csv';

describe('csvSafe', () => {
  it('makes formula-looking cells text', () => {
    for (const cell of ['=1+1', '+1', '-1+2', '@SUM(A1)', '\t=1', '\r=1']) expect(csvSafe(cell)).toBe(`'${cell}`);
  });

  it('leaves other cells alone', () => {
    for (const cell of ['', 'Ola Nordmann', '12.50', 'a=b', " '=x", 'RD-100001']) expect(csvSafe(cell)).toBe(cell);
  });
});

describe('csvStream', () => {
  function source(n: number) {
    const state = { read: 0 };
    async function* rows() {
      for (let i = 0; i < n; i++) {
        state.read += 1;
        yield { id: `r${i}`, name: i === 1 ? '=cmd' : `Name, with "quotes" ${i}` };
      }
    }
    return { state, rows: rows() };
  }

  it('writes the header once, then every row, quoted and neutralised', async () => {
    const { rows } = source(7);
    const stream = await csvStream({ header: ['id', 'name'], rows, cells: (r) => [r.id, r.name], batchSize: 3 });
    const text = await new Response(stream).text();
    const lines = text.trimEnd().split('\n');
    expect(lines[0]).toBe('id,name');
    expect(lines).toHaveLength(8);
    expect(lines[1]).toBe('r0,"Name, with ""quotes"" 0"');
    expect(lines[2]).toBe("r1,'=cmd");
  });

  it('writes only the header when there are no rows', async () => {
    const stream = await csvStream({ header: ['id'], rows: source(0).rows, cells: (r) => [r.id] });
    expect(await new Response(stream).text()).toBe('id\n');
  });

  it('reads the source only as fast as the client reads the stream', async () => {
    const { state, rows } = source(1000);
    const stream = await csvStream({ header: ['id', 'name'], rows, cells: (r) => [r.id, r.name], batchSize: 10 });
    // One batch is read up front, so an early failure can still be a proper error response.
    expect(state.read).toBe(10);
    const reader = stream.getReader();
    await reader.read();
    await new Promise((resolve) => setTimeout(resolve, 20));
    // The chunk handed out plus at most one batch queued behind it: never the whole source.
    expect(state.read).toBeLessThanOrEqual(30);
    await reader.cancel();
    expect(state.read).toBeLessThanOrEqual(30);
  });

  it('rejects before the first byte when the source fails at once', async () => {
    async function* failing(): AsyncGenerator<{ id: string }> {
      throw new Error('database down');
    }
    await expect(csvStream({ header: ['id'], rows: failing(), cells: (r) => [r.id] })).rejects.toThrow('database down');
  });
});

describe('csvRecord', () => {
  it('quotes only what needs it, as RFC 4180 says', () => {
    expect(csvRecord(['a', '', 'b c', 'x,y', 'say "hi"', 'two\nlines', 'cr\r'])).toBe(
      'a,,b c,"x,y","say ""hi""","two\nlines","cr\r"\n',
    );
  });

  it('reads back as the cells it was given, neutralised (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'binary' }), { minLength: 2, maxLength: 8 }), (cells) => {
        expect(parseCsv(csvRecord(cells))).toEqual([cells.map(csvSafe)]);
      }),
    );
  });

  it('streams batches from a cursor, one chunk each, header first', async () => {
    async function* batches() {
      yield [{ id: 'a' }, { id: '=b' }];
      yield [{ id: 'c' }];
    }
    const stream = await csvStream({ header: ['id'], batches: batches(), cells: (r) => [r.id] });
    expect(await new Response(stream).text()).toBe("id\na\n'=b\nc\n");
  });
});
