import { stringify } from 'csv-stringify/sync';

/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
 * formula: a customer named `=HYPERLINK(...)` must not become a link in an auditor's Excel
 * (OWASP "CSV Injection"). A leading apostrophe makes it text.
 */
export function csvSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

/**
 * CSV as a byte stream over an async iterator of rows, or of batches of rows, pulled a batch at a
 * time: only one batch is in memory here, and nothing more is read from the source until the
 * client has taken the last one. The first batch is read before this resolves, so a failure before
 * the first byte rejects here (and can become a proper error response) instead of truncating a 200.
 */
export async function csvStream<T>(
  options: {
    header: readonly string[];
    cells: (row: T) => string[];
    onError?: (error: unknown) => void;
  } & (
    | { rows: AsyncIterator<T>; batchSize?: number }
    /** A cursor's batches (db/cursor.ts): one chunk of CSV per batch, no per-row await. */
    | { batches: AsyncIterator<readonly T[]> }
  ),
): Promise<ReadableStream<Uint8Array>> {
  const { header, cells, onError } = options;
  const encoder = new TextEncoder();
  const source = 'batches' in options ? options.batches : batchesOf(options.rows, options.batchSize ?? 500);

  async function readBatch(): Promise<{ batch: string[][]; done: boolean }> {
    const next = await source.next();
    if (next.done) return { batch: [], done: true };
    const batch: string[][] = new Array(next.value.length);
    for (let i = 0; i < next.value.length; i++) batch[i] = cells(next.value[i]!).map(csvSafe);
    return { batch, done: false };
  }

  let pending: Awaited<ReturnType<typeof readBatch>> | undefined = await readBatch();
  let withHeader = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { batch, done } = pending ?? (await readBatch());
        pending = undefined;
        const records = withHeader ? [[...header], ...batch] : batch;
        withHeader = false;
        if (records.length) controller.enqueue(encoder.encode(stringify(records)));
        if (done) controller.close();
      } catch (error) {
        onError?.(error);
        controller.error(error);
      }
    },
    async cancel() {
      await source.return?.();
    },
  });
}

/** Rows gathered into batches of `size` (the last one may be shorter). */
async function* batchesOf<T>(rows: AsyncIterator<T>, size: number): AsyncGenerator<T[], void, undefined> {
  try {
    for (;;) {
      const batch: T[] = [];
      while (batch.length < size) {
        const next = await rows.next();
        if (next.done) {
          if (batch.length) yield batch;
          return;
        }
        batch.push(next.value);
      }
      yield batch;
    }
  } finally {
    await rows.return?.();
  }
}
