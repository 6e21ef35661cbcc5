/** Validation helpers: a violated rule throws and nothing is written. */
export const check = (cond, msg) => {
  if (!cond) throw new Error(`dataset invalid: ${msg}`);
};
export const isInt = (x) => Number.isSafeInteger(x);
export const isMoney = (x) => Number.isSafeInteger(x) && x > 0;
