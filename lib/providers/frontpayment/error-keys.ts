/**
 * Frontpayment's error keys as they come off the wire, made canonical. No imports: pages (client
 * components included) look a stored code up in the message catalogue with it.
 */
/** Spellings Frontpayment uses for the same thing (§2: the 510 message comes both ways). */
const ALIASES: Record<string, string> = {
  'Something Went Wrong': 'somethingWentWrong',
  // errata 6: the status endpoints answer an unknown order with this sentence.
  'Order Not Found': 'orderNotFound',
  'Unauthenticated.': 'Unauthenticated',
  'Too Many Attempts.': 'tooManyRequests',
};

/** The canonical key for a `message` as it came off the wire. */
export function normalizeKey(code: string): string {
  return ALIASES[code] ?? code;
}
