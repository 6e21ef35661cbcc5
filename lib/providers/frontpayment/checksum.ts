/**
 * Which callback checksum formula Frontpayment uses (frontpayment.md errata 3, §8). The docs
 * changed it three times:
 *
 * - current: `sha256(<every query value except checksum, in the order received> . secret)`,
 *   which includes `paymentMethod` (`all-in-order`, the default);
 * - older: `sha256(orderUuid . status . createdAt . amount . timestamp . secret)`;
 * - oldest: `sha256(orderUuid . status . createdAt . secret)`.
 *
 * The older two are `fields:<comma list>` formulas. Pure: safe for config and tests alike.
 */

export type ChecksumFormula = { kind: 'all-in-order' } | { kind: 'fields'; fields: string[] };

export const ALL_IN_ORDER: ChecksumFormula = { kind: 'all-in-order' };
export const DEFAULT_CHECKSUM: ChecksumFormula = ALL_IN_ORDER;
/** The older formulas, as field lists. */
export const LEGACY_CHECKSUM_FIELDS = {
  withAmountAndTimestamp: ['orderUuid', 'status', 'createdAt', 'amount', 'timestamp'],
  original: ['orderUuid', 'status', 'createdAt'],
} as const;

/**
 * Reads a `FRONTPAYMENT_CHECKSUM` value: `all-in-order` or `fields:<comma list>`. Throws on
 * anything else, so that a typo fails loudly instead of refusing every callback.
 */
export function parseChecksumFormula(value: string): ChecksumFormula {
  const text = value.trim();
  if (text === 'all-in-order') return ALL_IN_ORDER;
  if (text.startsWith('fields:')) return fieldsFormula(text.slice('fields:'.length));
  throw new Error(`"${value}" is not a checksum formula (all-in-order, or fields:<comma list>)`);
}

/** A `fields:` formula from a comma list (also what `FRONTPAYMENT_CHECKSUM_FIELDS` holds). */
export function fieldsFormula(list: string): ChecksumFormula {
  const fields = list
    .split(',')
    .map((field) => field.trim())
    .filter(Boolean);
  if (!fields.length) throw new Error('a fields: checksum formula needs at least one field');
  return { kind: 'fields', fields };
}

/** The string the checksum is the SHA-256 of, before the secret: the values, concatenated. */
export function checksumInput(params: URLSearchParams, formula: ChecksumFormula): string {
  if (formula.kind === 'fields') return formula.fields.map((field) => params.get(field) ?? '').join('');
  let input = '';
  for (const [name, value] of params) if (name !== 'checksum') input += value;
  return input;
}
