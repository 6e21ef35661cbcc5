import { chance, int, pick } from './random.mjs';
import { ALNUM, digits } from './refs.mjs';

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
export const US_CUSTOMERS = Object.fromEntries(US_NAMES.map((n) => [n, usCustomer(n)]));
export const NO_CUSTOMERS = Object.fromEntries(NO_NAMES.map((n) => [n, noCustomer(n)]));
export const anyUs = () => US_CUSTOMERS[pick(US_NAMES)];
export const anyNo = () => NO_CUSTOMERS[pick(NO_NAMES)];
