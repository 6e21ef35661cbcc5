/**
 * Pure helpers the list queries share: how a typed search becomes a LIKE pattern, how UTC days
 * become a time range. No SQL here, so the zod schemas in lib/ can use them too.
 */

/** LIKE wildcards typed by a person are literal characters. */
export function escapeLike(text: string) {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** `to` is inclusive for people; queries want `from <= t < to`, so the end moves to the next UTC midnight. */
export function utcDayRange(days: { from?: string; to?: string }): { from: Date | undefined; to: Date | undefined } {
  const from = days.from ? new Date(`${days.from}T00:00:00.000Z`) : undefined;
  const to = days.to ? new Date(Date.parse(`${days.to}T00:00:00.000Z`) + 86_400_000) : undefined;
  return { from, to };
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export const isUuid = (value: string | null | undefined): value is string => !!value && UUID.test(value);
