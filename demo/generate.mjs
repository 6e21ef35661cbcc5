#!/usr/bin/env node
/**
 * Refund Desk demo data set: writes demo/dataset.json, which both the database seed and the
 * provider sandbox read. Format and rules: demo/README.md.
 *
 *   node demo/generate.mjs
 *
 * Plain Node, no dependencies, no clock: every random choice comes from one seeded PRNG and every
 * time is relative ("days ago"), so two runs write byte-identical files. The data set is checked
 * against the rules before it is written; a violation throws and nothing is written.
 *
 * The parts live in demo/generate/: random.mjs (the seeded PRNG), refs.mjs and customers.mjs
 * (identities), catalog.mjs (products), builders.mjs (orders, payments and refunds from a few
 * choices), specs-forage.mjs and specs-frontpayment.mjs (the orders), orders.mjs (the fixtures and
 * the numbering), validate.mjs and validate-contents.mjs (the rules), summary.mjs (the printout).
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { build, markSandboxOnly } from './generate/orders.mjs';
import { summarize } from './generate/summary.mjs';
import { validate } from './generate/validate.mjs';

const OUT_FILE = fileURLToPath(new URL('./dataset.json', import.meta.url));

const dataset = {
  version: 1,
  merchants: {
    forage: { merchantAccount: '9000055', fns: '9000055' },
    frontpayment: { organizationUuid: 'ORG3856236001' },
  },
  orders: markSandboxOnly(build()),
};
validate(dataset);
writeFileSync(OUT_FILE, `${JSON.stringify(dataset, null, 2)}\n`);
console.log(summarize(dataset));
