import type { IncomingMessage, ServerResponse } from 'node:http';

export function readBody(req: IncomingMessage, limit = 1_000_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

export function writeJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  if (res.headersSent || res.destroyed) return;
  const text = body === undefined ? '' : JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...headers });
  res.end(text);
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Minor units → "20.00" (both providers use two decimals). */
export function decimal(minor: number): string {
  const sign = minor < 0 ? '-' : '';
  const digits = Math.abs(minor).toString().padStart(3, '0');
  return `${sign}${digits.slice(0, -2)}.${digits.slice(-2)}`;
}

/** A JSON number or decimal string → minor units, exactly; null when it is not a valid amount. */
export function parseAmount(value: unknown): number | null {
  const text = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.trim() : null;
  if (text === null || !/^-?\d+(\.\d{1,2})?$/.test(text)) return null;
  const [whole, fraction = ''] = text.replace('-', '').split('.');
  const minor = Number(whole) * 100 + Number(fraction.padEnd(2, '0'));
  return text.startsWith('-') ? -minor : minor;
}

/** Forage-style refs: 10 lowercase alphanumerics (forage.md §1). */
export function ref10(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz0123456789';
  let out = '';
  for (let i = 0; i < 10; i++) out += alphabet[Math.floor(Math.random() * alphabet.length)];
  return out;
}

/** ISO-8601 with microseconds and a Pacific offset, as Forage writes them (forage.md §6.1). */
export function pacificTimestamp(date = new Date()): string {
  const offsetHours = isPacificDst(date) ? 7 : 8;
  const local = new Date(date.getTime() - offsetHours * 3_600_000);
  const iso = local.toISOString().replace('Z', '');
  return `${iso}${String(Math.floor(Math.random() * 1000)).padStart(3, '0')}-0${offsetHours}:00`;
}

function isPacificDst(date: Date): boolean {
  // US DST: second Sunday of March 10:00 UTC to first Sunday of November 09:00 UTC.
  const year = date.getUTCFullYear();
  const secondSundayMarch = nthSunday(year, 2, 2);
  const firstSundayNovember = nthSunday(year, 10, 1);
  const start = Date.UTC(year, 2, secondSundayMarch, 10);
  const end = Date.UTC(year, 10, firstSundayNovember, 9);
  return date.getTime() >= start && date.getTime() < end;
}

function nthSunday(year: number, month: number, n: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return 1 + ((7 - first) % 7) + (n - 1) * 7;
}
