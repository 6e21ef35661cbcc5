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
export const US = Object.fromEntries(US_ITEMS.map((it) => [it.key, it]));
export const US_BY_ELIG = {
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
export const NO = Object.fromEntries(NO_ITEMS.map((it) => [it.key, it]));
export const NO_RETAIL = NO_ITEMS.filter((it) => ['food', 'home', 'book', 'trip'].includes(it.group));
