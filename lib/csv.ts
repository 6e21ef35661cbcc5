/**
 * A spreadsheet runs a cell that starts with = + - @ (or a tab or carriage return before one) as a
 * formula: a customer named `=HYPERLINK(...)` must not become a link in an auditor's Excel
 * (OWASP "CSV Injection"). A leading apostrophe makes it text.
 */
export function csvSafe(value: string): string {
  return /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
}

const NEEDS_QUOTES = /[",\n\r]/;

/**
 * One CSV record (RFC 4180, `\n` line ends): a field with a comma, a quote or a line break is
 * quoted, its quotes doubled. Written here rather than with csv-stringify, whose per-field
 * machinery was 40% of a million-row export's CPU (README, "Benchmarks"); the output is the same.
 * Cells go through csvSafe first.
 */
export function csvRecord(cells: readonly string[]): string {
  let record = '';
  for (let i = 0; i < cells.length; i++) {
    const cell = csvSafe(cells[i]!);
    if (i > 0) record += ',';
    record += NEEDS_QUOTES.test(cell) ? `"${cell.replaceAll('"', '""')}"` : cell;
  }
  return `${record}\n`;
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

  async function readBatch(): Promise<{ text: string; done: boolean }> {
    const next = await source.next();
    if (next.done) return { text: '', done: true };
    let text = '';
    for (const row of next.value) text += csvRecord(cells(row));
    return { text, done: false };
  }

  let pending: Awaited<ReturnType<typeof readBatch>> | undefined = await readBatch();
  let withHeader = true;
  return new ReadableStream<Uint8Array>({
    async pull(controller) {
      try {
        const { text, done } = pending ?? (await readBatch());
        pending = undefined;
        const chunk = withHeader ? csvRecord(header) + text : text;
        withHeader = false;
        if (chunk) controller.enqueue(encoder.encode(chunk));
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
