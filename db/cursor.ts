import { randomUUID } from 'node:crypto';
import type { PGlite } from '@electric-sql/pglite';
import type { SQL } from 'drizzle-orm';
import { PgDialect } from 'drizzle-orm/pg-core';
import type postgres from 'postgres';
import type { Db } from '@/db';

/**
 * A query's rows streamed through a server-side cursor, batch by batch, with backpressure: the
 * next batch is asked for only when the consumer takes the one before it (one batch read ahead,
 * so the database works while JavaScript formats), so a slow client never makes the server buffer
 * more than two batches. Rows arrive as arrays of column values in select order, as the driver
 * parsed them; each caller maps them to its own shape.
 *
 * - PostgreSQL (postgres.js): the protocol's own cursor (`.cursor(n)`: one portal, Execute with a
 *   row limit). It is one statement, so one snapshot, planned for the whole result; it holds one
 *   pooled connection until the last batch or until the consumer stops.
 * - PGlite: a `DECLARE … WITH HOLD` cursor, fetched with `FETCH n` outside any transaction. PGlite
 *   has one connection and runs nothing else while a transaction is open, so a cursor inside a
 *   transaction would stall every other request for as long as a slow client downloads. A holdable
 *   cursor is computed once when it is declared (spilling to temporary files beyond work_mem) and
 *   then fetched between the app's other queries.
 */

export const CURSOR_BATCH_SIZE = 1000;

/**
 * A timestamptz as the cursor returns it: text from postgres.js (drizzle sets its timestamp parsers
 * to pass text through), a Date from PGlite. `new Date(text)` is what drizzle's column does with
 * that text, so a row read here holds the same Date as the same row read through drizzle.
 */
export function cursorDate(value: unknown): Date {
  return value instanceof Date ? value : new Date(value as string);
}

/** Compiles drizzle SQL the way the app's database objects do (db/index.ts: snake_case columns). */
const dialect = new PgDialect({ casing: 'snake_case' });

/** One batch after another; `null` once there are no more. `close` may be called at any time, once. */
export interface BatchSource {
  next(): Promise<unknown[][] | null>;
  close(): Promise<void>;
}

/**
 * Reads `source` keeping one batch in flight ahead of the consumer. The batch after a short one is
 * never asked for. Stopping early (a `return()` from `for await … break`, a cancelled stream)
 * waits for the batch in flight, then closes the cursor.
 */
export async function* readAhead(source: BatchSource, batchSize: number): AsyncGenerator<unknown[][], void, undefined> {
  let pending: Promise<unknown[][] | null> | null = source.next();
  try {
    while (pending) {
      const batch: unknown[][] | null = await pending;
      pending = null;
      if (!batch || batch.length === 0) return;
      if (batch.length === batchSize) pending = source.next();
      yield batch;
    }
  } finally {
    if (pending) await pending.catch(() => null);
    await source.close();
  }
}

type Client = postgres.Sql | PGlite;

function clientOf(db: Db): Client {
  const client = (db as unknown as { $client?: Client }).$client;
  if (!client) throw new Error('A cursor needs the database object, not a transaction: it holds a connection of its own.');
  return client;
}

function postgresSource(client: postgres.Sql, text: string, params: unknown[], batchSize: number): BatchSource {
  const rows = client
    .unsafe(text, params as postgres.ParameterOrJSON<never>[])
    .values()
    .cursor(batchSize)
    [Symbol.asyncIterator]();
  let done = false;
  return {
    async next() {
      if (done) return null;
      const result = await rows.next();
      if (result.done) {
        done = true;
        return null;
      }
      return result.value as unknown as unknown[][];
    },
    async close() {
      // Closes the portal (or does nothing once the last batch came): the connection goes back to the pool.
      if (!done) await rows.return?.();
      done = true;
    },
  };
}

async function pgliteSource(client: PGlite, text: string, params: unknown[], batchSize: number): Promise<BatchSource> {
  const name = `rd_cursor_${randomUUID().replace(/-/g, '')}`;
  await client.query(`declare ${name} no scroll cursor with hold for ${text}`, params);
  let closed = false;
  return {
    async next() {
      const result = await client.query<unknown[]>(`fetch forward ${batchSize} from ${name}`, [], { rowMode: 'array' });
      return result.rows;
    },
    async close() {
      if (closed) return;
      closed = true;
      await client.query(`close ${name}`);
    },
  };
}

/**
 * Every row of `query`, in batches of `batchSize`, through a server-side cursor (see above). The
 * generator must be run to the end or stopped (`return()`), or the cursor stays open.
 */
export async function* cursorBatches(
  db: Db,
  query: SQL,
  options: { batchSize?: number } = {},
): AsyncGenerator<unknown[][], void, undefined> {
  const batchSize = options.batchSize ?? CURSOR_BATCH_SIZE;
  const client = clientOf(db);
  const { sql: text, params } = dialect.sqlToQuery(query);
  const source =
    typeof client === 'function'
      ? postgresSource(client, text, params, batchSize)
      : await pgliteSource(client, text, params, batchSize);
  yield* readAhead(source, batchSize);
}
