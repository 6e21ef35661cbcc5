import { int } from './random.mjs';

// ---------------------------------------------------------------------------------------------
// References
// ---------------------------------------------------------------------------------------------

/** Refs written by hand in the fixed records below; random refs must never collide with them. */
const FIXED_FORAGE_REFS = [
  'fg7a1b2c3d',
  'sn7a1b2c3d',
  'ca7a1b2c3d',
  'cc7a1b2c3d',
  'fg8d9e0f1a',
  'sn8d9e0f1a',
  'cc8d9e0f1a',
  'rf8d9e0f1a',
];
const usedForageRefs = new Set(FIXED_FORAGE_REFS);
export const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Forage refs are 10-character lowercase alphanumeric strings (forage.md §1). */
export function forageRef() {
  for (;;) {
    let ref = '';
    for (let i = 0; i < 10; i++) ref += ALNUM[int(0, ALNUM.length - 1)];
    if (!usedForageRefs.has(ref)) {
      usedForageRefs.add(ref);
      return ref;
    }
  }
}

export const digits = (n) => {
  let s = String(int(1, 9));
  for (let i = 1; i < n; i++) s += String(int(0, 9));
  return s;
};

/**
 * Frontpayment ids (frontpayment.md §1): the order's digits are 1700000000 + its sequence number,
 * so RD-100003 is ODR1700000003 and its payment PAY1700000003.
 */
export const fpDigits = (n) => String(1_700_000_000 + n);
export const captureRef = (n, k) => (k === 1 ? `CAP${700_000 + n}` : `CAP${(700_000 + n) * 10 + k}`);
export const chargeRef = (n, k) => `CHA${3_850_000_000 + n * 10 + k}`;
