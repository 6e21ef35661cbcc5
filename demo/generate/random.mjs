/**
 * The one seeded random source of the demo data set. Every draw goes through `rand`, always in the
 * same order, so two runs of the generator write byte-identical files.
 */
import { mulberry32 } from '../mulberry32.mjs';

const SEED = 0x52440001;

const rand = mulberry32(SEED);
/** Integer in [lo, hi], both inclusive. */
export const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
export const chance = (p) => rand() < p;
export const pick = (list) => list[int(0, list.length - 1)];
/** k distinct elements of `list`, in random order. */
export function sample(list, k) {
  if (k > list.length) throw new Error(`sample: asked for ${k} of ${list.length}`);
  const a = list.slice();
  for (let i = 0; i < k; i++) {
    const j = int(i, a.length - 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}
export const sum = (list, f = (x) => x) => list.reduce((acc, x) => acc + f(x), 0);
