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
 * CSV as a byte stream over an async iterator of rows, pulled in batches: only one batch is in
 * memory at a time, and nothing more is read from the source until the client has taken the last
 * one. The first batch is read before this resolves, so a failure before the first byte rejects
 * here (and can become a proper error response) instead of truncating a 200.
 */
export async function csvStream<T>(options: {
  header: readonly string[];
  rows: AsyncIterator<T>;
  cells: (row: T) => string[];
  batchSize?: number;
  onError?: (error: unknown) => void;
}): Promise<ReadableStream<Uint8Array>> {
  const { header, rows, cells, batchSize = 500, onError } = options;
  const encoder = new TextEncoder();

  async function readBatch() {
    const batch: string[][] = [];
    while (batch.length < batchSize) {
      const next = await rows.next();
      if (next.done) return { batch, done: true };
      batch.push(cells(next.value).map(csvSafe));
    }
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
      await rows.return?.();
    },
  });
}
