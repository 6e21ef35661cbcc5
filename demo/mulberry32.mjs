/**
 * mulberry32: a small seeded PRNG. The demo generator (demo/generate/random.mjs) and the
 * benchmark's audit log (bench/audit.ts) draw from it, so their output is the same on every run.
 *
 * @param {number} seed
 * @returns {() => number} a function returning the next number in [0, 1)
 */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
