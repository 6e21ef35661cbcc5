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
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const OUT_FILE = fileURLToPath(new URL('./dataset.json', import.meta.url));
const SEED = 0x52440001;

// ---------------------------------------------------------------------------------------------
// Seeded PRNG (mulberry32). Every draw goes through `rand`, always in the same order.
// ---------------------------------------------------------------------------------------------

function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const rand = mulberry32(SEED);
/** Integer in [lo, hi], both inclusive. */
const int = (lo, hi) => lo + Math.floor(rand() * (hi - lo + 1));
const chance = (p) => rand() < p;
const pick = (list) => list[int(0, list.length - 1)];
/** k distinct elements of `list`, in random order. */
function sample(list, k) {
  if (k > list.length) throw new Error(`sample: asked for ${k} of ${list.length}`);
  const a = list.slice();
  for (let i = 0; i < k; i++) {
    const j = int(i, a.length - 1);
    [a[i], a[j]] = [a[j], a[i]];
  }
  return a.slice(0, k);
}
const sum = (list, f = (x) => x) => list.reduce((acc, x) => acc + f(x), 0);

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
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

/** Forage refs are 10-character lowercase alphanumeric strings (forage.md §1). */
function forageRef() {
  for (;;) {
    let ref = '';
    for (let i = 0; i < 10; i++) ref += ALNUM[int(0, ALNUM.length - 1)];
    if (!usedForageRefs.has(ref)) {
      usedForageRefs.add(ref);
      return ref;
    }
  }
}

const digits = (n) => {
  let s = String(int(1, 9));
  for (let i = 1; i < n; i++) s += String(int(0, 9));
  return s;
};

/**
 * Frontpayment ids (frontpayment.md §1): the order's digits are 1700000000 + its sequence number,
 * so RD-100003 is ODR1700000003 and its payment PAY1700000003.
 */
const fpDigits = (n) => String(1_700_000_000 + n);
const captureRef = (n, k) => (k === 1 ? `CAP${700_000 + n}` : `CAP${(700_000 + n) * 10 + k}`);
const chargeRef = (n, k) => `CHA${3_850_000_000 + n * 10 + k}`;

// ---------------------------------------------------------------------------------------------
// Customers
// ---------------------------------------------------------------------------------------------

/** "Åse Kjær-Dahl" → "aase.kjaer-dahl", Norwegian style (å→aa, æ→ae, ø→o), other marks dropped. */
function emailLocal(name) {
  return name
    .toLowerCase()
    .replace(/å/g, 'aa')
    .replace(/æ/g, 'ae')
    .replace(/ø/g, 'o')
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .replace(/[^a-z -]/g, '')
    .trim()
    .replace(/\s+/g, '.');
}

function usCustomer(name) {
  // 555-0100..0199 are the NANP numbers reserved for fiction.
  const area = pick(['212', '312', '415', '602', '713', '404', '305', '206']);
  const phone = chance(0.8) ? `+1${area}5550${int(100, 199)}` : null;
  let customerId = '';
  for (let i = 0; i < 6; i++) customerId += ALNUM[int(0, ALNUM.length - 1)];
  return { name, email: `${emailLocal(name)}@example.com`, phone, customerId };
}

function noCustomer(name) {
  const phone = chance(0.8) ? `+47${pick(['4', '9'])}${digits(7)}` : null;
  return { name, email: `${emailLocal(name)}@example.no`, phone, customerId: `CSRT${digits(10)}` };
}

const US_NAMES = [
  'Maria Lopez',
  'James Carter',
  'Aisha Johnson',
  'Tyrone Williams',
  'Emily Nguyen',
  'Robert Smith',
  'Guadalupe Hernandez',
  "Kevin O'Brien",
  'Linda Martinez',
  'DeShawn Brooks',
  'Patricia Brown',
  'Michael Davis',
  'Sarah Kim',
  'José Ramírez',
];
const NO_NAMES = [
  'Ingrid Hansen',
  'Ola Nordmann',
  'Kari Nordmann',
  'Lars Johansen',
  'Nora Olsen',
  'Emma Larsen',
  'Jakob Andersen',
  'Sofie Pedersen',
  'Henrik Nilsen',
  'Ida Kristiansen',
  'Magnus Jensen',
  'Sigrid Karlsen',
  'Åse Haugen',
  'Bjørn Dahl',
  'Marte Kjær',
  'Håkon Lie',
];
const US_CUSTOMERS = Object.fromEntries(US_NAMES.map((n) => [n, usCustomer(n)]));
const NO_CUSTOMERS = Object.fromEntries(NO_NAMES.map((n) => [n, noCustomer(n)]));
const anyUs = () => US_CUSTOMERS[pick(US_NAMES)];
const anyNo = () => NO_CUSTOMERS[pick(NO_NAMES)];

// ---------------------------------------------------------------------------------------------
// Catalogs. Prices are tax/VAT-inclusive gross in minor units.
// ---------------------------------------------------------------------------------------------

/** UPC-A check digit over 11 digits. */
function upcCheck(body11) {
  let odd = 0;
  let even = 0;
  for (let i = 0; i < 11; i++) {
    if (i % 2 === 0) odd += +body11[i];
    else even += +body11[i];
  }
  return String((10 - ((odd * 3 + even) % 10)) % 10);
}

// Forage eligibility (forage.md §6.2): snap (SNAP-eligible groceries, untaxed), ebt_cash (hot
// food: not SNAP-eligible, EBT Cash can pay it), non_ebt (household goods: card only).
// [key, name, unitPrice ¢, eligibility, taxRateBp, PLU for loose produce]
const US_ROWS = [
  ['milk', 'Whole Milk 1 gal', 449, 'snap', 0],
  ['omilk', 'Organic Whole Milk 1 gal', 699, 'snap', 0],
  ['eggs', 'Large Grade A Eggs 12 ct', 399, 'snap', 0],
  ['bread', 'Whole Wheat Bread 24 oz', 349, 'snap', 0],
  ['bananas', 'Bananas (per lb)', 69, 'snap', 0, '4011'],
  ['avocado', 'Hass Avocado, large (each)', 129, 'snap', 0, '4225'],
  ['limes', 'Limes (each)', 39, 'snap', 0, '4048'],
  ['formula', 'Infant Formula Powder 12.4 oz', 2499, 'snap', 0],
  ['babyfood', 'Baby Food Pouches, Apple & Pear 4 ct', 549, 'snap', 0],
  ['cheddar', 'Sharp Cheddar Cheese Block 8 oz', 329, 'snap', 0],
  ['chicken', 'Boneless Chicken Breast 2 lb', 899, 'snap', 0],
  ['beef', 'Ground Beef 80/20 1 lb', 599, 'snap', 0],
  ['rice', 'Long Grain White Rice 5 lb', 549, 'snap', 0],
  ['beans', 'Black Beans 15 oz can', 119, 'snap', 0],
  ['pb', 'Creamy Peanut Butter 16 oz', 299, 'snap', 0],
  ['apples', 'Gala Apples 3 lb bag', 499, 'snap', 0],
  ['carrots', 'Baby Carrots 1 lb', 149, 'snap', 0],
  ['cereal', 'Toasted Oat Cereal 18 oz', 549, 'snap', 0],
  ['oj', 'Orange Juice 52 oz', 429, 'snap', 0],
  ['yogurt', 'Plain Greek Yogurt 32 oz', 599, 'snap', 0],
  ['broccoli', 'Frozen Broccoli Florets 12 oz', 229, 'snap', 0],
  ['spaghetti', 'Spaghetti 16 oz', 149, 'snap', 0],
  ['sauce', 'Marinara Pasta Sauce 24 oz', 329, 'snap', 0],
  ['tuna', 'Chunk Light Tuna 5 oz can', 139, 'snap', 0],
  ['coffee', 'Ground Coffee Medium Roast 12 oz', 899, 'snap', 0],
  ['strawberries', 'Strawberries 1 lb', 399, 'snap', 0],
  ['butter', 'Salted Butter 1 lb', 499, 'snap', 0],
  ['flour', 'All-Purpose Flour 5 lb', 399, 'snap', 0],
  ['tortillas', 'Flour Tortillas 10 ct', 299, 'snap', 0],
  ['onions', 'Yellow Onions 3 lb bag', 349, 'snap', 0],
  ['potatoes', 'Russet Potatoes 5 lb bag', 499, 'snap', 0],
  ['water', 'Purified Bottled Water 24 pk', 499, 'snap', 0],
  ['oats', 'Old Fashioned Oats 42 oz', 549, 'snap', 0],
  ['soup', 'Chicken Noodle Soup 10.75 oz can', 149, 'snap', 0],
  ['rotisserie', 'Rotisserie Chicken (hot)', 799, 'ebt_cash', 725],
  ['friedchicken', 'Hot Fried Chicken 8 pc', 1099, 'ebt_cash', 725],
  ['hotsoup', 'Hot Soup of the Day 16 oz', 549, 'ebt_cash', 725],
  ['hotmac', 'Hot Mac & Cheese 1 lb', 699, 'ebt_cash', 725],
  ['hotpizza', 'Hot Pizza Slice, Cheese', 349, 'ebt_cash', 725],
  ['papertowels', 'Paper Towels 6 Double Rolls', 1199, 'non_ebt', 725],
  ['barsoap', 'Bar Soap 4 ct', 549, 'non_ebt', 725],
  ['dishsoap', 'Dish Soap 19.4 oz', 349, 'non_ebt', 725],
  ['detergent', 'Liquid Laundry Detergent 92 oz', 1299, 'non_ebt', 725],
  ['toiletpaper', 'Toilet Paper 12 Mega Rolls', 1399, 'non_ebt', 725],
  ['diapers', 'Diapers Size 3, 68 ct', 2699, 'non_ebt', 725],
  ['vitamins', 'Daily Multivitamin 100 ct', 1099, 'non_ebt', 725],
  ['foil', 'Aluminum Foil 75 sq ft', 549, 'non_ebt', 725],
  ['trashbags', 'Tall Kitchen Trash Bags 40 ct', 1099, 'non_ebt', 725],
  ['toothpaste', 'Fluoride Toothpaste 4.8 oz', 399, 'non_ebt', 725],
  ['dogfood', 'Dry Dog Food 15 lb', 1999, 'non_ebt', 725],
  ['ibuprofen', 'Ibuprofen 200 mg 100 ct', 899, 'non_ebt', 725],
];
const US_ITEMS = US_ROWS.map(([key, name, price, eligibility, taxRateBp, plu], i) => {
  // Packaged goods get a made-up UPC-A in number system 4 (in-store use, never a real product),
  // written as 13 digits; loose produce is keyed by its 4-digit PLU.
  const body = `4${String(12345)}${String(i + 1).padStart(5, '0')}`;
  const upc = plu ?? `0${body}${upcCheck(body)}`;
  return { key, sku: `SKU-US-${1001 + i}`, upc, name, price, eligibility, taxRateBp };
});
const US = Object.fromEntries(US_ITEMS.map((it) => [it.key, it]));
const US_BY_ELIG = {
  snap: US_ITEMS.filter((it) => it.eligibility === 'snap'),
  ebt_cash: US_ITEMS.filter((it) => it.eligibility === 'ebt_cash'),
  non_ebt: US_ITEMS.filter((it) => it.eligibility === 'non_ebt'),
};

// Norwegian VAT (merverdiavgift): 15 % food, 25 % general, 12 % accommodation and passenger
// transport, 0 % books. [key, name, unitPrice øre, taxRateBp, group]
const NO_ROWS = [
  ['kaffe', 'Kaffe filtermalt 500 g', 8990, 1500, 'food'],
  ['brunost', 'Brunost 500 g', 8990, 1500, 'food'],
  ['laks', 'Røkelaks i skiver 200 g', 9990, 1500, 'food'],
  ['torrfisk', 'Tørrfisk (stokkfisk) 250 g', 24900, 1500, 'food'],
  ['lefse', 'Lefser, 6 stk', 4990, 1500, 'food'],
  ['multe', 'Multesyltetøy 350 g', 8990, 1500, 'food'],
  ['flatbrod', 'Flatbrød 275 g', 3490, 1500, 'food'],
  ['sjokolade', 'Melkesjokolade 200 g', 3990, 1500, 'food'],
  ['honning', 'Honning fra Hardanger 400 g', 12900, 1500, 'food'],
  ['fenalar', 'Fenalår i skiver 150 g', 8990, 1500, 'food'],
  ['eplemost', 'Eplemost 1 l', 4990, 1500, 'food'],
  ['kaffetrakter', 'Filterkaffetrakter 1,25 l, sort', 179900, 2500, 'home'],
  ['kopp', 'Kaffekopp steintøy 30 cl', 14900, 2500, 'home'],
  ['pledd', 'Ullpledd 130x170 cm', 89900, 2500, 'home'],
  ['kofte', 'Kofte i ull, unisex', 189900, 2500, 'home'],
  ['ullsokker', 'Ullsokker, 2-pk', 24900, 2500, 'home'],
  ['termos', 'Termos 1 l', 39900, 2500, 'home'],
  ['skjaerebrett', 'Skjærebrett eik 40 cm', 49900, 2500, 'home'],
  ['gryte', 'Støpejernsgryte 4 l', 149900, 2500, 'home'],
  ['osteskjaerer', 'Osteskjærer', 19900, 2500, 'home'],
  ['lykt', 'Lyslykt messing', 59900, 2500, 'home'],
  ['sengetoy', 'Sengetøysett lin 140x200', 99900, 2500, 'home'],
  ['hodelykt', 'Hodelykt 400 lm', 49900, 2500, 'home'],
  ['sovepose', 'Sovepose dun, -10 °C', 299900, 2500, 'home'],
  ['fjellsko', 'Fjellsko vanntett, herre', 249900, 2500, 'home'],
  ['ryggsekk', 'Ryggsekk 40 l', 179900, 2500, 'home'],
  ['vaffeljern', 'Vaffeljern hjerte', 69900, 2500, 'home'],
  ['kokebok', 'Kokebok: Norsk hverdagsmat', 39900, 0, 'book'],
  ['turbok', 'Turbok: Jotunheimen', 34900, 0, 'book'],
  ['strikkebok', 'Strikkebok: Mønstre fra Setesdal', 37900, 0, 'book'],
  ['cruisevoksen', 'Fjordcruise, voksen', 69000, 1200, 'trip'],
  ['cruisebarn', 'Fjordcruise, barn', 34500, 1200, 'trip'],
  ['spisebord', 'Spisebord eik 200 cm', 1299900, 2500, 'furniture'],
  ['spisestol', 'Spisestol eik', 249900, 2500, 'furniture'],
  ['sofa', 'Sofa 3-seter, ullstoff', 1899900, 2500, 'furniture'],
  ['gulvlampe', 'Gulvlampe messing', 189900, 2500, 'furniture'],
  ['frakt', 'Frakt', 9900, 2500, 'shipping'],
  ['fraktmobler', 'Frakt og innbæring, møbler', 149000, 2500, 'shipping'],
  ['hyttegeilo', 'Hytteleie Geilo, natt', 189000, 1200, 'stay'],
  ['hyttehemsedal', 'Hytteleie Hemsedal, natt', 219000, 1200, 'stay'],
  ['hotellrom', 'Hotellrom dobbelt, natt', 159000, 1200, 'stay'],
  ['sluttvask', 'Sluttvask hytte', 120000, 2500, 'stay'],
  ['sengetoyleie', 'Sengetøy og håndklær, per person', 15000, 2500, 'stay'],
  ['ved', 'Ved, sekk 40 l', 12900, 2500, 'stay'],
  ['ekstravask', 'Ekstra rengjøring', 75000, 2500, 'stay'],
  ['kajakk', 'Leie: Kajakk, dag', 65000, 2500, 'rental'],
  ['redningsvest', 'Leie: Redningsvest, dag', 9000, 2500, 'rental'],
  ['padletur', 'Guidet padletur, 3 timer', 89000, 2500, 'rental'],
  ['alpinpakke', 'Leie: Alpinpakke voksen, dag', 45000, 2500, 'rental'],
  ['hjelm', 'Leie: Hjelm, dag', 8000, 2500, 'rental'],
];
const NO_ITEMS = NO_ROWS.map(([key, name, price, taxRateBp, group], i) => ({
  key,
  sku: `SKU-NO-${2001 + i}`,
  name,
  price,
  taxRateBp,
  group,
}));
const NO = Object.fromEntries(NO_ITEMS.map((it) => [it.key, it]));
const NO_RETAIL = NO_ITEMS.filter((it) => ['food', 'home', 'book', 'trip'].includes(it.group));

// ---------------------------------------------------------------------------------------------
// Order builders
// ---------------------------------------------------------------------------------------------

const TENDER_OF = { snap: 'ebt_snap', ebt_cash: 'ebt_cash', non_ebt: 'credit_tpp' };
const FORAGE_TENDERS = ['ebt_snap', 'ebt_cash', 'credit_tpp'];

const usQty = (it) => {
  if (it.key === 'limes') return int(3, 6);
  if (it.key === 'bananas' || it.key === 'avocado') return int(2, 4);
  return chance(0.75) ? 1 : int(2, 3);
};
const noQty = (it) => {
  if (it.group === 'food') return int(1, 3);
  if (it.group === 'trip') return int(1, 4);
  return chance(0.85) ? 1 : 2;
};

const fLine = (it, quantity = usQty(it)) => ({
  lineId: it.upc,
  productId: it.sku,
  name: it.name,
  unitPrice: it.price,
  quantity,
  taxRateBp: it.taxRateBp,
  eligibility: it.eligibility,
});

/** Random Forage lines: `snap` SNAP items, `cash` hot-food items, `card` non-EBT items. */
function fLines({ snap = 0, cash = 0, card = 0 }, fixed = []) {
  const taken = new Set(fixed.map((l) => l.lineId));
  const from = (pool, k) =>
    sample(
      pool.filter((it) => !taken.has(it.upc)),
      k,
    ).map((it) => fLine(it));
  return [...fixed, ...from(US_BY_ELIG.snap, snap), ...from(US_BY_ELIG.ebt_cash, cash), ...from(US_BY_ELIG.non_ebt, card)];
}

let nextFpLineId = 5401;
const pLine = (it, quantity = noQty(it)) => ({
  lineId: String(nextFpLineId++),
  productId: it.sku,
  name: it.name,
  unitPrice: it.price,
  quantity,
  taxRateBp: it.taxRateBp,
  eligibility: null,
});
/** k random retail lines (none of the `exclude` products), optionally followed by shipping. */
const pLines = (k, { shipping = false, exclude = [] } = {}) => {
  const lines = sample(
    NO_RETAIL.filter((it) => !exclude.includes(it)),
    k,
  ).map((it) => pLine(it));
  if (shipping) lines.push(pLine(NO.frakt, 1));
  return lines;
};

const gross = (l) => l.unitPrice * l.quantity;
const lineById = (order, lineId) => {
  const line = order.lines.find((l) => l.lineId === lineId);
  if (!line) throw new Error(`${order.orderNumber}: no line ${lineId}`);
  return line;
};

function forageOrder(ctx, { ref, customer, status = 'succeeded', isDelivery, lines, paymentRefs = {} }) {
  const order = {
    provider: 'forage',
    providerRef: ref ?? forageRef(),
    orderNumber: ctx.orderNumber,
    kind: 'forage',
    providerStatus: status,
    currency: 'USD',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    isDelivery: isDelivery ?? chance(0.7),
    lines,
    payments: [],
    refunds: [],
  };
  if (status === 'succeeded') {
    // One payment per tender used; each pays exactly the lines of its eligibility.
    for (const tender of FORAGE_TENDERS) {
      const paid = sum(
        lines.filter((l) => TENDER_OF[l.eligibility] === tender),
        gross,
      );
      if (paid > 0) order.payments.push({ ref: paymentRefs[tender] ?? forageRef(), tender, amount: paid });
    }
  }
  return order;
}

/**
 * Whole units: { lineId, quantity }. Price adjustment (money only, no units back):
 * { lineId, amount } → quantity 0.
 */
function refundLine(order, { lineId, quantity, amount }) {
  const line = lineById(order, lineId);
  if (amount !== undefined) return { lineId, quantity: 0, amount };
  return { lineId, quantity, amount: line.unitPrice * quantity };
}

/**
 * A Forage refund goes back to the payment of each line's tender; Forage makes one refund object
 * per payment touched (forage.md §5.1), so a refund spanning tenders becomes several entries
 * with the same day, reason and note.
 */
function forageRefund(order, { daysAgo, reason, note, items, refs = [] }) {
  const lines = items.map((item) => refundLine(order, item));
  let i = 0;
  for (const tender of FORAGE_TENDERS) {
    const part = lines.filter((l) => TENDER_OF[lineById(order, l.lineId).eligibility] === tender);
    if (part.length === 0) continue;
    const payment = order.payments.find((p) => p.tender === tender);
    order.refunds.push({
      ref: refs[i++] ?? forageRef(),
      daysAgo,
      reason,
      note,
      lines: part,
      allocations: [{ paymentRef: payment.ref, amount: sum(part, (l) => l.amount) }],
    });
  }
}

const refundAllForage = (order, args) =>
  forageRefund(order, { ...args, items: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) });

const FP_PAID_STATUSES = ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'INVOICED'];

function fpOrder(ctx, { kind, status, customer, lines }) {
  const order = {
    provider: 'frontpayment',
    providerRef: `ODR${fpDigits(ctx.n)}`,
    orderNumber: ctx.orderNumber,
    kind,
    providerStatus: status,
    currency: 'NOK',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    lines,
    payments: [],
    refunds: [],
  };
  if (FP_PAID_STATUSES.includes(status)) {
    order.payments.push({
      ref: `PAY${fpDigits(ctx.n)}`,
      tender: kind === 'invoiced' ? 'invoiced' : 'regular',
      amount: sum(lines, gross),
    });
  }
  return order;
}

/**
 * A reservation's money arrives in movements (frontpayment.md §4 source/reference): each group is
 * one capture (CAP…) or charge (CHA…) paying for its lines. No groups: RESERVED, nothing taken.
 */
function fpReservation(ctx, { status, customer, groups }) {
  const order = {
    provider: 'frontpayment',
    providerRef: `RES${fpDigits(ctx.n)}`,
    orderNumber: ctx.orderNumber,
    kind: 'reservation',
    providerStatus: status,
    currency: 'NOK',
    customer,
    placedDaysAgo: ctx.days,
    placedMinuteOfDay: ctx.minute,
    lines: groups.flatMap((g) => g.lines),
    payments: [],
    refunds: [],
  };
  const seen = { captured: 0, charged: 0 };
  for (const g of groups) {
    if (!g.source) continue;
    const k = ++seen[g.source];
    order.payments.push({
      ref: g.source === 'captured' ? captureRef(ctx.n, k) : chargeRef(ctx.n, k),
      tender: g.source,
      amount: sum(g.lines, gross),
    });
  }
  return order;
}

/** Frontpayment has no refund id (frontpayment.md §3): ref is null. */
function fpRefund(order, { daysAgo, reason, note, items, paymentRef }) {
  const lines = items.map((item) => refundLine(order, item));
  const ref = paymentRef ?? order.payments[0].ref;
  order.refunds.push({
    ref: null,
    daysAgo,
    reason,
    note,
    lines,
    allocations: [{ paymentRef: ref, amount: sum(lines, (l) => l.amount) }],
  });
}

const refundAllFp = (order, args) =>
  fpRefund(order, { ...args, items: order.lines.map((l) => ({ lineId: l.lineId, quantity: l.quantity })) });

/** A refund day 1..maxGap days after `days` ago (never in the future). */
const after = (days, maxGap = 6) => days - int(1, Math.min(maxGap, days));
const minuteOfDay = () => int(7 * 60, 22 * 60 - 1);

const NOTES = {
  damaged: [
    'Customer reported crushed box',
    'Item arrived broken',
    'Packaging torn, contents spoiled',
    'Dented and leaking on arrival',
  ],
  not_delivered: [
    'Delivery never arrived; driver marked it delivered',
    'Courier lost the parcel',
    'Order not delivered within the delivery window',
  ],
  wrong_item: ['Substitute item sent without consent', 'Received a different size', 'Wrong variant picked'],
  missing_item: [
    'Item missing from the bag',
    'Not in the delivery, confirmed by the driver',
    'Customer received the order without this item',
  ],
  quality: ['Past its best-by date on arrival', 'Customer unhappy with quality', 'Product was spoiled'],
};
const note = (reason) => pick(NOTES[reason]);

// ---------------------------------------------------------------------------------------------
// Orders. The first four are fixed test fixtures; the rest are numbered by placement time.
// ---------------------------------------------------------------------------------------------

const FIXED = [
  {
    provider: 'forage',
    days: 12,
    minute: 615,
    build: (ctx) =>
      forageOrder(ctx, {
        ref: 'fg7a1b2c3d',
        customer: US_CUSTOMERS['Maria Lopez'],
        isDelivery: true,
        lines: [fLine(US.milk, 1), fLine(US.bananas, 3), fLine(US.formula, 2), fLine(US.rotisserie, 1), fLine(US.papertowels, 1)],
        paymentRefs: { ebt_snap: 'sn7a1b2c3d', ebt_cash: 'ca7a1b2c3d', credit_tpp: 'cc7a1b2c3d' },
      }),
  },
  {
    provider: 'forage',
    days: 9,
    minute: 1092,
    build: (ctx) => {
      const o = forageOrder(ctx, {
        ref: 'fg8d9e0f1a',
        customer: US_CUSTOMERS['James Carter'],
        isDelivery: true,
        lines: [fLine(US.milk, 2), fLine(US.eggs, 1), fLine(US.bread, 1), fLine(US.papertowels, 1)],
        paymentRefs: { ebt_snap: 'sn8d9e0f1a', credit_tpp: 'cc8d9e0f1a' },
      });
      forageRefund(o, {
        daysAgo: 7,
        reason: 'damaged',
        note: 'Jug leaking on delivery',
        items: [{ lineId: US.milk.upc, quantity: 1 }],
        refs: ['rf8d9e0f1a'],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: 7,
    minute: 840,
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: NO_CUSTOMERS['Ingrid Hansen'],
        lines: [pLine(NO.kaffetrakter, 1), pLine(NO.kaffe, 4), pLine(NO.kopp, 2)],
      });
      const [trakter, , kopp] = o.lines;
      fpRefund(o, {
        daysAgo: 5,
        reason: 'price_adjustment',
        note: 'Price match: same coffee maker advertised at 1 499,00 kr',
        items: [{ lineId: trakter.lineId, amount: 30000 }],
      });
      fpRefund(o, {
        daysAgo: 3,
        reason: 'damaged',
        note: 'Both cups arrived cracked',
        items: [{ lineId: kopp.lineId, quantity: 2 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: 4,
    minute: 1230,
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'CAPTURED',
        customer: NO_CUSTOMERS['Ola Nordmann'],
        groups: [{ source: 'captured', lines: [pLine(NO.hyttegeilo, 3), pLine(NO.sluttvask, 1), pLine(NO.sengetoyleie, 4)] }],
      }),
  },
];

/** Each spec: provider, placement window [lo, hi] days ago, and a builder. */
const SPECS = [
  // ---- Forage ----
  { provider: 'forage', days: [1, 55], build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: 14 }) }) },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(4, 7) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5) }) });
      refundAllForage(o, { daysAgo: after(ctx.days, 3), reason: 'not_delivered', note: note('not_delivered') });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [1, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: 12, card: 4 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(3, 6), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 5), card: int(1, 2) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 6), card: int(1, 2) }) });
      const snapLine = o.lines.find((l) => l.eligibility === 'snap');
      const cardLine = o.lines.find((l) => l.eligibility === 'non_ebt');
      forageRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'missing_item',
        note: 'Two items missing from the delivery, confirmed by the driver',
        items: [
          { lineId: snapLine.lineId, quantity: 1 },
          { lineId: cardLine.lineId, quantity: 1 },
        ],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(2, 4), card: 1 }) });
      refundAllForage(o, { daysAgo: after(ctx.days, 2), reason: 'not_delivered', note: note('not_delivered') });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(3, 6), cash: 1, card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) =>
      forageOrder(ctx, { customer: US_CUSTOMERS['Maria Lopez'], lines: fLines({ snap: int(2, 4), cash: int(1, 2), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, {
        customer: anyUs(),
        isDelivery: true,
        lines: fLines({ snap: int(2, 5), card: 1 }, [fLine(US.rotisserie, 1)]),
      });
      forageRefund(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'quality',
        note: 'Rotisserie chicken arrived cold',
        items: [{ lineId: US.rotisserie.upc, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), isDelivery: false, lines: fLines({ cash: 2 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 5), cash: 1 }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 4), card: 1 }, [fLine(US.coffee, 2)]) });
      forageRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'price_adjustment',
        note: 'Sale price $7.99 not applied at checkout (2 x $1.00)',
        items: [{ lineId: US.coffee.upc, amount: 200 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [10, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5), card: 1 }) });
      const cardLine = o.lines.find((l) => l.eligibility === 'non_ebt');
      const snapLine = o.lines.find((l) => l.eligibility === 'snap');
      const first = after(ctx.days, 2);
      forageRefund(o, {
        daysAgo: first,
        reason: 'wrong_item',
        note: note('wrong_item'),
        items: [{ lineId: cardLine.lineId, quantity: cardLine.quantity }],
      });
      forageRefund(o, {
        daysAgo: after(first, 4),
        reason: 'quality',
        note: note('quality'),
        items: [{ lineId: snapLine.lineId, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), lines: fLines({ snap: int(2, 4) }, [fLine(US.yogurt, 3)]) });
      forageRefund(o, {
        daysAgo: after(ctx.days, 3),
        reason: 'quality',
        note: 'Two tubs past their best-by date',
        items: [{ lineId: US.yogurt.upc, quantity: 2 }],
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), status: 'canceled', lines: fLines({ snap: int(2, 4), card: 1 }) }),
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: anyUs(), status: 'canceled', lines: fLines({ snap: int(1, 3) }) }),
  },
  {
    provider: 'forage',
    days: [5, 55],
    build: (ctx) => {
      const o = forageOrder(ctx, { customer: anyUs(), isDelivery: true, lines: fLines({ snap: int(3, 5), cash: 1, card: 2 }) });
      const one = (elig) => o.lines.find((l) => l.eligibility === elig);
      forageRefund(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'missing_item',
        note: 'Bag left behind at the store: three items missing',
        items: ['snap', 'ebt_cash', 'non_ebt'].map((e) => ({ lineId: one(e).lineId, quantity: 1 })),
      });
      return o;
    },
  },
  {
    provider: 'forage',
    days: [0, 55],
    build: (ctx) => forageOrder(ctx, { customer: US_CUSTOMERS['James Carter'], lines: fLines({ snap: int(2, 5), card: 1 }) }),
  },

  // ---- Frontpayment: regular ----
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'regular', status: 'PAID', customer: anyNo(), lines: pLines(int(3, 5), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [1, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'PAID', customer: anyNo(), lines: pLines(16, { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [1, 40],
    build: (ctx) =>
      fpOrder(ctx, {
        kind: 'regular',
        status: 'PAID',
        customer: anyNo(),
        lines: [pLine(NO.spisebord, 1), pLine(NO.spisestol, 6), pLine(NO.fraktmobler, 1)],
      }),
  },
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) =>
      fpOrder(ctx, {
        kind: 'regular',
        status: 'PAID',
        customer: NO_CUSTOMERS['Ingrid Hansen'],
        lines: [pLine(NO.brunost, 2), pLine(NO.flatbrod, 3)],
      }),
  },
  {
    provider: 'frontpayment',
    days: [5, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: pLines(int(3, 4), { shipping: true }),
      });
      const line = o.lines[1];
      fpRefund(o, {
        daysAgo: after(ctx.days),
        reason: 'wrong_item',
        note: note('wrong_item'),
        items: [{ lineId: line.lineId, quantity: line.quantity }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [10, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.ullsokker, 3), ...pLines(2, { exclude: [NO.ullsokker] }), pLine(NO.frakt, 1)],
      });
      const first = after(ctx.days, 3);
      fpRefund(o, {
        daysAgo: first,
        reason: 'other',
        note: 'Delivered four days late; shipping refunded as goodwill',
        items: [{ lineId: o.lines[3].lineId, quantity: 1 }],
      });
      fpRefund(o, {
        daysAgo: after(first, 4),
        reason: 'damaged',
        note: 'One pair torn at the heel',
        items: [{ lineId: o.lines[0].lineId, quantity: 1 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [5, 40],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.sofa, 1), pLine(NO.gulvlampe, 1), pLine(NO.fraktmobler, 1)],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 4),
        reason: 'price_adjustment',
        note: 'Sofa went on sale two days after purchase; difference refunded',
        items: [{ lineId: o.lines[0].lineId, amount: 200000 }],
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [5, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'regular',
        status: 'REFUNDED',
        customer: anyNo(),
        lines: pLines(int(2, 3), { shipping: true }),
      });
      refundAllFp(o, {
        daysAgo: after(ctx.days, 2),
        reason: 'duplicate_charge',
        note: 'Customer placed the same order twice; duplicate refunded',
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [10, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, { kind: 'regular', status: 'REFUNDED', customer: anyNo(), lines: pLines(3) });
      const [a, ...rest] = o.lines;
      const first = after(ctx.days, 3);
      fpRefund(o, {
        daysAgo: first,
        reason: 'damaged',
        note: note('damaged'),
        items: [{ lineId: a.lineId, quantity: a.quantity }],
      });
      fpRefund(o, {
        daysAgo: after(first, 5),
        reason: 'other',
        note: 'Customer returned the remaining items within the 30-day return period',
        items: rest.map((l) => ({ lineId: l.lineId, quantity: l.quantity })),
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [0, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'CANCELLED', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [0, 2],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'regular', status: 'SENT', customer: anyNo(), lines: pLines(int(1, 3), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [0, 2],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'SENT', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [16, 45],
    build: (ctx) => fpOrder(ctx, { kind: 'regular', status: 'EXPIRED', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },

  // ---- Frontpayment: invoiced ----
  {
    provider: 'frontpayment',
    days: [2, 12],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'invoiced', status: 'INVOICED', customer: anyNo(), lines: pLines(int(2, 4), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [2, 12],
    build: (ctx) => fpOrder(ctx, { kind: 'invoiced', status: 'INVOICED', customer: anyNo(), lines: pLines(int(2, 4)) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) =>
      fpOrder(ctx, { kind: 'invoiced', status: 'PAID', customer: anyNo(), lines: pLines(int(2, 5), { shipping: true }) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) => fpOrder(ctx, { kind: 'invoiced', status: 'PAID', customer: anyNo(), lines: pLines(int(1, 3)) }),
  },
  {
    provider: 'frontpayment',
    days: [15, 55],
    build: (ctx) => {
      const o = fpOrder(ctx, {
        kind: 'invoiced',
        status: 'PARTIAL REFUNDED',
        customer: anyNo(),
        lines: [pLine(NO.termos, 2), ...pLines(2, { exclude: [NO.termos] })],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 10),
        reason: 'quality',
        note: 'Lid does not seal; one thermos returned',
        items: [{ lineId: o.lines[0].lineId, quantity: 1 }],
      });
      return o;
    },
  },

  // ---- Frontpayment: reservations ----
  {
    provider: 'frontpayment',
    days: [8, 40],
    build: (ctx) => {
      const o = fpReservation(ctx, {
        status: 'CAPTURED',
        customer: anyNo(),
        groups: [
          { source: 'captured', lines: [pLine(NO.kajakk, 3), pLine(NO.redningsvest, 3)] },
          { source: 'captured', lines: [pLine(NO.padletur, 1)] },
        ],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 3),
        reason: 'other',
        note: 'Guided tour cancelled because of strong wind',
        items: [{ lineId: o.lines[2].lineId, quantity: 1 }],
        paymentRef: o.payments[1].ref,
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [8, 40],
    build: (ctx) => {
      const o = fpReservation(ctx, {
        status: 'CHARGED',
        customer: anyNo(),
        groups: [
          { source: 'captured', lines: [pLine(NO.hyttehemsedal, 2), pLine(NO.sluttvask, 1)] },
          { source: 'charged', lines: [pLine(NO.ved, 2), pLine(NO.ekstravask, 1)] },
        ],
      });
      fpRefund(o, {
        daysAgo: after(ctx.days, 4),
        reason: 'other',
        note: 'Charged for two sacks of firewood; guest used one',
        items: [{ lineId: o.lines[2].lineId, quantity: 1 }],
        paymentRef: o.payments[1].ref,
      });
      return o;
    },
  },
  {
    provider: 'frontpayment',
    days: [3, 30],
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'CHARGED',
        customer: anyNo(),
        // No-show: the first night charged to the card on file.
        groups: [{ source: 'charged', lines: [pLine(NO.hotellrom, 1)] }],
      }),
  },
  {
    provider: 'frontpayment',
    days: [0, 3],
    build: (ctx) =>
      fpReservation(ctx, {
        status: 'RESERVED',
        customer: NO_CUSTOMERS['Ola Nordmann'],
        groups: [{ source: null, lines: [pLine(NO.alpinpakke, 3), pLine(NO.hjelm, 3)] }],
      }),
  },
];

function build() {
  // Placement times are drawn first, in spec order; orders from RD-100005 on are then numbered
  // oldest first, so order numbers grow with time after the four fixtures.
  const timed = SPECS.map((spec) => ({ ...spec, days: int(spec.days[0], spec.days[1]), minute: minuteOfDay() }));
  timed.sort((a, b) => b.days - a.days || a.minute - b.minute);
  return [...FIXED, ...timed].map((spec, i) => {
    const n = i + 1;
    return spec.build({ n, orderNumber: `RD-${100_000 + n}`, days: spec.days, minute: spec.minute });
  });
}

/**
 * Two orders exist only at the providers, not in Refund Desk's seed, so that importing an order
 * by its provider reference can be shown: the newest paid, unrefunded Forage order and the newest
 * paid, unrefunded regular Frontpayment order under NOK 10 000 (the fixtures are never chosen).
 */
function markSandboxOnly(orders) {
  const candidates = orders.slice(4).reverse();
  const forage = candidates.find((o) => o.provider === 'forage' && o.providerStatus === 'succeeded' && o.refunds.length === 0);
  const fp = candidates.find(
    (o) =>
      o.provider === 'frontpayment' &&
      o.kind === 'regular' &&
      o.providerStatus === 'PAID' &&
      o.refunds.length === 0 &&
      o.lines.reduce((sum, l) => sum + l.unitPrice * l.quantity, 0) < 1_000_000,
  );
  for (const order of [forage, fp]) if (order) order.sandboxOnly = true;
  return orders;
}

// ---------------------------------------------------------------------------------------------
// Validation: the rules the seed and the sandbox rely on. Throws on the first violation.
// ---------------------------------------------------------------------------------------------

const REASONS = [
  'damaged',
  'not_delivered',
  'wrong_item',
  'missing_item',
  'quality',
  'price_adjustment',
  'duplicate_charge',
  'other',
];
const FP_ORDER_STATUSES = ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'CANCELLED', 'INVOICED', 'SENT', 'EXPIRED'];
const FP_RES_STATUSES = ['RESERVED', 'CAPTURED', 'CHARGED'];
const isInt = (x) => Number.isSafeInteger(x);
const isMoney = (x) => Number.isSafeInteger(x) && x > 0;

function validate(ds) {
  const check = (cond, msg) => {
    if (!cond) throw new Error(`dataset invalid: ${msg}`);
  };

  check(ds.version === 1, 'version');
  check(ds.merchants.forage.merchantAccount === '9000055' && ds.merchants.forage.fns === '9000055', 'forage merchant');
  check(ds.merchants.frontpayment.organizationUuid === 'ORG3856236001', 'frontpayment merchant');
  check(ds.orders.length >= 44, `at least 44 orders (have ${ds.orders.length})`);

  const refs = new Set();
  const uniqueRef = (ref, where) => {
    check(!refs.has(ref), `${where}: ref ${ref} used twice`);
    refs.add(ref);
  };
  const fpLineIds = new Set();
  const customers = new Map();

  ds.orders.forEach((o, i) => {
    const at = o.orderNumber;
    check(o.orderNumber === `RD-${100_001 + i}`, `order ${i}: orderNumber ${o.orderNumber} not sequential`);
    const forage = o.provider === 'forage';
    check(forage || o.provider === 'frontpayment', `${at}: provider`);

    // identity
    if (forage) {
      check(/^[a-z0-9]{10}$/.test(o.providerRef), `${at}: forage ref format`);
      check(o.kind === 'forage' && o.currency === 'USD', `${at}: forage kind/currency`);
      check(['succeeded', 'canceled'].includes(o.providerStatus), `${at}: forage status ${o.providerStatus}`);
      check(typeof o.isDelivery === 'boolean', `${at}: isDelivery`);
    } else {
      check(o.currency === 'NOK', `${at}: currency`);
      check(!('isDelivery' in o), `${at}: isDelivery is Forage-only`);
      if (o.kind === 'reservation') {
        check(/^RES\d{10}$/.test(o.providerRef), `${at}: reservation ref format`);
        check(FP_RES_STATUSES.includes(o.providerStatus), `${at}: reservation status ${o.providerStatus}`);
      } else {
        check(['regular', 'invoiced'].includes(o.kind), `${at}: kind ${o.kind}`);
        check(/^ODR\d{10}$/.test(o.providerRef), `${at}: order ref format`);
        check(FP_ORDER_STATUSES.includes(o.providerStatus), `${at}: status ${o.providerStatus}`);
        if (o.providerStatus === 'INVOICED') check(o.kind === 'invoiced', `${at}: INVOICED must be kind invoiced`);
      }
    }
    uniqueRef(o.providerRef, at);

    // customer: lowercase email at the provider's domain, one identity per email and per id
    const c = o.customer;
    check(typeof c.name === 'string' && c.name.length > 0, `${at}: customer name`);
    check(
      c.email === c.email.toLowerCase() && c.email.endsWith(forage ? '@example.com' : '@example.no'),
      `${at}: email ${c.email}`,
    );
    check(c.phone === null || /^\+\d{8,15}$/.test(c.phone), `${at}: phone`);
    check(forage ? /^[a-z0-9]{6}$/.test(c.customerId) : /^CSRT\d{10}$/.test(c.customerId), `${at}: customerId`);
    for (const key of [`email:${c.email}`, `id:${c.customerId}`]) {
      const prev = customers.get(key);
      if (prev) check(JSON.stringify(prev) === JSON.stringify(c), `${at}: customer ${key} differs between orders`);
      else customers.set(key, c);
    }

    // times
    check(isInt(o.placedDaysAgo) && o.placedDaysAgo >= 0 && o.placedDaysAgo <= 60, `${at}: placedDaysAgo`);
    check(isInt(o.placedMinuteOfDay) && o.placedMinuteOfDay >= 0 && o.placedMinuteOfDay <= 1439, `${at}: placedMinuteOfDay`);

    // lines
    check(o.lines.length > 0, `${at}: no lines`);
    const lines = new Map();
    for (const l of o.lines) {
      check(/^\d+$/.test(l.lineId), `${at}: lineId ${l.lineId}`);
      check(!lines.has(l.lineId), `${at}: lineId ${l.lineId} twice in the order`);
      lines.set(l.lineId, l);
      if (!forage) {
        check(!fpLineIds.has(l.lineId), `${at}: Frontpayment lineId ${l.lineId} used by another order`);
        fpLineIds.add(l.lineId);
      }
      check(/^SKU-/.test(l.productId) && l.name.length > 0, `${at}: line ${l.lineId} product`);
      check(isMoney(l.unitPrice) && isInt(l.quantity) && l.quantity > 0, `${at}: line ${l.lineId} price/quantity`);
      if (forage) {
        check(['snap', 'ebt_cash', 'non_ebt'].includes(l.eligibility), `${at}: line ${l.lineId} eligibility`);
        check([0, 725].includes(l.taxRateBp), `${at}: line ${l.lineId} taxRateBp`);
      } else {
        check(l.eligibility === null, `${at}: line ${l.lineId} eligibility must be null`);
        check([0, 1200, 1500, 2500].includes(l.taxRateBp), `${at}: line ${l.lineId} taxRateBp`);
      }
    }
    const total = sum(o.lines, gross);

    // payments
    const payments = new Map();
    for (const p of o.payments) {
      uniqueRef(p.ref, at);
      payments.set(p.ref, p);
      check(isMoney(p.amount), `${at}: payment ${p.ref} amount`);
      if (forage) {
        check(/^[a-z0-9]{10}$/.test(p.ref) && FORAGE_TENDERS.includes(p.tender), `${at}: payment ${p.ref}`);
      } else if (o.kind === 'reservation') {
        check(
          (p.tender === 'captured' && /^CAP\d{6,10}$/.test(p.ref)) || (p.tender === 'charged' && /^CHA\d{10}$/.test(p.ref)),
          `${at}: reservation payment ${p.ref}`,
        );
      } else {
        check(p.ref === `PAY${o.providerRef.slice(3)}` && p.tender === o.kind, `${at}: payment ${p.ref}`);
      }
    }
    const paid = sum(o.payments, (p) => p.amount);
    const status = o.providerStatus;
    const unpaid = ['canceled', 'CANCELLED', 'SENT', 'EXPIRED', 'RESERVED'].includes(status);
    if (unpaid) {
      check(o.payments.length === 0 && o.refunds.length === 0, `${at}: ${status} has payments or refunds`);
    } else {
      check(paid === total, `${at}: paid ${paid} != lines total ${total}`);
    }
    if (forage && status === 'succeeded') {
      for (const tender of FORAGE_TENDERS) {
        const ps = o.payments.filter((p) => p.tender === tender);
        const due = sum(
          o.lines.filter((l) => TENDER_OF[l.eligibility] === tender),
          gross,
        );
        check(ps.length === (due > 0 ? 1 : 0), `${at}: one ${tender} payment per tender used`);
        if (due > 0) check(ps[0].amount === due, `${at}: ${tender} pays ${ps[0].amount}, its lines cost ${due}`);
      }
    }
    if (!forage && o.kind !== 'reservation' && !unpaid) check(o.payments.length === 1, `${at}: one payment`);
    if (status === 'INVOICED') check(o.refunds.length === 0, `${at}: INVOICED order cannot have refunds`);
    if (status === 'CAPTURED')
      check(o.payments.length > 0 && o.payments.every((p) => p.tender === 'captured'), `${at}: CAPTURED`);
    if (status === 'CHARGED')
      check(
        o.payments.some((p) => p.tender === 'charged'),
        `${at}: CHARGED without a charge`,
      );

    // refunds
    const lineRefunded = new Map();
    const lineQty = new Map();
    const paymentRefunded = new Map();
    let prevDay = Infinity;
    for (const r of o.refunds) {
      check(forage ? /^[a-z0-9]{10}$/.test(r.ref) : r.ref === null, `${at}: refund ref ${r.ref}`);
      if (forage) uniqueRef(r.ref, at);
      check(isInt(r.daysAgo) && r.daysAgo >= 0 && r.daysAgo <= o.placedDaysAgo, `${at}: refund daysAgo ${r.daysAgo}`);
      check(r.daysAgo <= prevDay, `${at}: refunds not in chronological order`);
      prevDay = r.daysAgo;
      check(REASONS.includes(r.reason), `${at}: reason ${r.reason}`);
      check(typeof r.note === 'string' && r.note.trim().length > 0, `${at}: refund note`);
      check(r.lines.length > 0, `${at}: refund without lines`);
      check(new Set(r.lines.map((l) => l.lineId)).size === r.lines.length, `${at}: refund repeats a line`);
      for (const rl of r.lines) {
        const line = lines.get(rl.lineId);
        check(line, `${at}: refund of unknown line ${rl.lineId}`);
        check(isMoney(rl.amount) && isInt(rl.quantity) && rl.quantity >= 0, `${at}: refund line ${rl.lineId} figures`);
        if (rl.quantity === 0) {
          check(r.reason === 'price_adjustment', `${at}: amount-only refund line needs reason price_adjustment`);
        } else {
          check(rl.amount === line.unitPrice * rl.quantity, `${at}: refund line ${rl.lineId} amount != unitPrice*quantity`);
        }
        lineRefunded.set(rl.lineId, (lineRefunded.get(rl.lineId) ?? 0) + rl.amount);
        lineQty.set(rl.lineId, (lineQty.get(rl.lineId) ?? 0) + rl.quantity);
        check(lineRefunded.get(rl.lineId) <= gross(line), `${at}: line ${rl.lineId} refunded beyond what was paid`);
        check(lineQty.get(rl.lineId) <= line.quantity, `${at}: line ${rl.lineId} refunded beyond its quantity`);
      }
      check(r.allocations.length === 1, `${at}: a refund goes to exactly one payment`);
      const [alloc] = r.allocations;
      const payment = payments.get(alloc.paymentRef);
      check(payment, `${at}: allocation to unknown payment ${alloc.paymentRef}`);
      check(isMoney(alloc.amount) && alloc.amount === sum(r.lines, (l) => l.amount), `${at}: allocations != refund lines`);
      paymentRefunded.set(payment.ref, (paymentRefunded.get(payment.ref) ?? 0) + alloc.amount);
      check(paymentRefunded.get(payment.ref) <= payment.amount, `${at}: payment ${payment.ref} refunded beyond its amount`);
      if (forage) {
        for (const rl of r.lines) {
          check(
            TENDER_OF[lines.get(rl.lineId).eligibility] === payment.tender,
            `${at}: line ${rl.lineId} refunded to the wrong tender`,
          );
        }
      }
    }
    const refunded = sum(o.refunds, (r) => r.allocations[0].amount);
    if (!forage && o.kind !== 'reservation') {
      if (status === 'REFUNDED') check(refunded === paid, `${at}: REFUNDED but ${refunded} of ${paid} refunded`);
      else if (status === 'PARTIAL REFUNDED')
        check(refunded > 0 && refunded < paid, `${at}: PARTIAL REFUNDED but ${refunded} of ${paid}`);
      else check(refunded === 0, `${at}: ${status} with refunds`);
    }
  });

  // ---- what the set must contain ----
  const byNumber = Object.fromEntries(ds.orders.map((o) => [o.orderNumber, o]));
  const F = ds.orders.filter((o) => o.provider === 'forage');
  const P = ds.orders.filter((o) => o.provider === 'frontpayment');
  const count = (list, pred) => list.filter(pred).length;
  const need = (n, actual, what) => check(actual >= n, `need ${n} ${what}, have ${actual}`);
  const mix = (o) =>
    o.payments
      .map((p) => p.tender)
      .sort()
      .join('+');
  const refundedSum = (o) => sum(o.refunds, (r) => r.allocations[0].amount);
  const fully = (o) => o.payments.length > 0 && refundedSum(o) === sum(o.payments, (p) => p.amount);

  need(20, F.length, 'Forage orders');
  need(20, P.length, 'Frontpayment orders');
  need(
    1,
    count(F, (o) => mix(o) === 'ebt_snap'),
    'Forage SNAP-only orders',
  );
  need(
    1,
    count(F, (o) => mix(o) === 'credit_tpp+ebt_snap'),
    'Forage SNAP + card orders',
  );
  need(
    3,
    count(F, (o) => mix(o) === 'credit_tpp+ebt_cash+ebt_snap'),
    'Forage SNAP + EBT Cash + card orders',
  );
  need(
    1,
    count(F, (o) => mix(o) === 'ebt_cash'),
    'Forage EBT-Cash-only orders',
  );
  need(
    1,
    count(F, (o) => o.providerStatus === 'canceled'),
    'canceled Forage orders',
  );
  need(
    3,
    count(F, (o) => o.refunds.length > 0 && !fully(o)),
    'partly refunded Forage orders',
  );
  need(
    1,
    count(F, (o) => fully(o)),
    'fully refunded Forage orders',
  );
  need(
    2,
    count(F, (o) => o.lines.length >= 12),
    'Forage orders with 12+ lines',
  );
  need(
    1,
    count(F, (o) => {
      const byDay = new Map();
      for (const r of o.refunds) byDay.set(`${r.daysAgo}|${r.note}`, [...(byDay.get(`${r.daysAgo}|${r.note}`) ?? []), r]);
      return [...byDay.values()].some((rs) => {
        const tenders = new Set(rs.map((r) => o.payments.find((p) => p.ref === r.allocations[0].paymentRef).tender));
        return tenders.has('ebt_snap') && tenders.has('credit_tpp');
      });
    }),
    'Forage refund split across SNAP and card',
  );
  for (const s of ['PAID', 'PARTIAL REFUNDED', 'REFUNDED', 'CANCELLED', 'INVOICED', 'SENT', 'EXPIRED']) {
    const min = { PAID: 3, 'PARTIAL REFUNDED': 3, INVOICED: 2, SENT: 2 }[s] ?? 1;
    need(
      min,
      count(P, (o) => o.providerStatus === s),
      `Frontpayment ${s} orders`,
    );
  }
  need(
    1,
    count(P, (o) => o.kind === 'invoiced' && o.providerStatus === 'PAID'),
    'paid invoiced-kind orders',
  );
  need(
    1,
    count(
      P,
      (o) =>
        o.providerStatus === 'PARTIAL REFUNDED' &&
        o.refunds.some((r) => r.reason === 'price_adjustment' && r.lines.some((l) => l.quantity === 0)),
    ),
    'FP partial refund by amount',
  );
  need(
    1,
    count(P, (o) => o.lines.length >= 15),
    'Frontpayment order with 15+ lines',
  );
  need(
    1,
    count(P, (o) => sum(o.lines, gross) > 1_000_000),
    'Frontpayment order above NOK 10 000',
  );
  const R = P.filter((o) => o.kind === 'reservation');
  need(
    1,
    count(R, (o) => mix(o) === 'captured+charged'),
    'reservation with a capture and a charge',
  );
  need(
    1,
    count(R, (o) => count(o.payments, (p) => p.tender === 'captured') >= 2),
    'reservation with two captures',
  );
  need(
    1,
    count(R, (o) => o.providerStatus === 'RESERVED'),
    'RESERVED reservation',
  );
  need(
    1,
    [...new Set(ds.orders.map((o) => o.customer.email))].filter((e) => count(ds.orders, (o) => o.customer.email === e) > 1)
      .length,
    'customer with several orders',
  );

  // ---- the four fixtures tests rely on ----
  const f1 = byNumber['RD-100001'];
  check(f1 === ds.orders[0] && f1.provider === 'forage' && f1.providerRef === 'fg7a1b2c3d', 'fixture RD-100001 identity');
  check(f1.customer.name === 'Maria Lopez' && f1.customer.email === 'maria.lopez@example.com', 'fixture RD-100001 customer');
  check(
    f1.providerStatus === 'succeeded' &&
      mix(f1) === 'credit_tpp+ebt_cash+ebt_snap' &&
      f1.lines.length === 5 &&
      f1.refunds.length === 0,
    'fixture RD-100001 shape',
  );
  const f2 = byNumber['RD-100002'];
  check(f2 === ds.orders[1] && f2.provider === 'forage' && f2.providerRef === 'fg8d9e0f1a', 'fixture RD-100002 identity');
  check(f2.customer.name === 'James Carter' && f2.customer.email === 'james.carter@example.com', 'fixture RD-100002 customer');
  check(f2.lines.length === 4 && f2.refunds.length === 1 && f2.refunds[0].lines.length === 1, 'fixture RD-100002 shape');
  const f2line = f2.lines.find((l) => l.lineId === f2.refunds[0].lines[0].lineId);
  check(
    f2line.eligibility === 'snap' && f2line.quantity === 2 && f2.refunds[0].lines[0].quantity === 1,
    'fixture RD-100002 refund',
  );
  const f3 = byNumber['RD-100003'];
  check(
    f3 === ds.orders[2] && f3.provider === 'frontpayment' && f3.kind === 'regular' && f3.providerRef === 'ODR1700000003',
    'fixture RD-100003 identity',
  );
  check(f3.customer.name === 'Ingrid Hansen' && f3.customer.email === 'ingrid.hansen@example.no', 'fixture RD-100003 customer');
  check(f3.providerStatus === 'PARTIAL REFUNDED' && f3.lines.length === 3, 'fixture RD-100003 shape');
  check(
    f3.refunds.some((r) => r.reason === 'price_adjustment') &&
      f3.refunds.some((r) => r.lines.some((l) => l.amount === gross(f3.lines.find((x) => x.lineId === l.lineId)))),
    'fixture RD-100003 refunds',
  );
  const f4 = byNumber['RD-100004'];
  check(
    f4 === ds.orders[3] && f4.kind === 'reservation' && f4.providerRef === 'RES1700000004' && f4.providerStatus === 'CAPTURED',
    'fixture RD-100004 identity',
  );
  check(f4.customer.name === 'Ola Nordmann' && f4.customer.email === 'ola.nordmann@example.no', 'fixture RD-100004 customer');
  check(
    f4.payments.length === 1 &&
      f4.payments[0].ref === 'CAP700004' &&
      f4.payments[0].amount === sum(f4.lines, gross) &&
      f4.refunds.length === 0,
    'fixture RD-100004 payment',
  );
}

// ---------------------------------------------------------------------------------------------
// Summary
// ---------------------------------------------------------------------------------------------

function summarize(ds) {
  const tally = (keyOf) => {
    const m = new Map();
    for (const o of ds.orders) m.set(keyOf(o), (m.get(keyOf(o)) ?? 0) + 1);
    return [...m].sort(([a], [b]) => a.localeCompare(b));
  };
  const out = [];
  const nRefunds = sum(ds.orders, (o) => o.refunds.length);
  out.push(
    `demo/dataset.json: ${ds.orders.length} orders, ${sum(ds.orders, (o) => o.lines.length)} lines, ` +
      `${sum(ds.orders, (o) => o.payments.length)} payments, ${nRefunds} refunds`,
  );
  out.push('by provider:');
  for (const [k, n] of tally((o) => o.provider)) out.push(`  ${k.padEnd(44)} ${n}`);
  out.push('by provider / kind / status:');
  for (const [k, n] of tally((o) => `${o.provider} / ${o.kind} / ${o.providerStatus}`)) out.push(`  ${k.padEnd(44)} ${n}`);
  out.push('Forage tender mix (succeeded orders):');
  for (const [k, n] of tally((o) =>
    o.provider === 'forage' && o.payments.length ? o.payments.map((p) => p.tender).join(' + ') : '',
  )) {
    if (k) out.push(`  ${k.padEnd(44)} ${n}`);
  }
  out.push('orders with refunds:');
  for (const [k, n] of tally((o) => {
    if (o.refunds.length === 0) return '';
    const full = sum(o.refunds, (r) => r.allocations[0].amount) === sum(o.payments, (p) => p.amount);
    return `${o.provider} ${full ? 'fully' : 'partly'} refunded`;
  })) {
    if (k) out.push(`  ${k.padEnd(44)} ${n}`);
  }
  return out.join('\n');
}

// ---------------------------------------------------------------------------------------------

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
