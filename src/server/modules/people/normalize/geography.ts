import { createRequire } from 'node:module';
import countries from 'i18n-iso-countries';

/**
 * Country and region names to ISO 3166 codes. Countries: alpha-2, alpha-3 and names in English, Spanish,
 * French and German (i18n-iso-countries), plus common abbreviations. Regions: ISO 3166-2 suffixes and names
 * from country-region-data, plus the traditional US state abbreviations ("Calif.", "Mass.").
 */
const require = createRequire(import.meta.url);
const regionData = require('country-region-data/data.json') as Array<{
  countryShortCode: string;
  regions: Array<{ name: string; shortCode?: string }>;
}>;
for (const lang of ['en', 'es', 'fr', 'de']) {
  countries.registerLocale(require(`i18n-iso-countries/langs/${lang}.json`));
}

const fold = (s: string) =>
  s
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[.'’]/g, '')
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();

const countryAliases: Record<string, string> = {
  usa: 'US',
  'u s': 'US',
  us: 'US',
  'u s a': 'US',
  america: 'US',
  'united states of america': 'US',
  uk: 'GB',
  'u k': 'GB',
  'great britain': 'GB',
  britain: 'GB',
  england: 'GB',
  scotland: 'GB',
  wales: 'GB',
  'northern ireland': 'GB',
  holland: 'NL',
  'the netherlands': 'NL',
  'south korea': 'KR',
  korea: 'KR',
  russia: 'RU',
  'czech republic': 'CZ',
  uae: 'AE',
};

const countryIndex = new Map<string, string>();
for (const [code] of Object.entries(countries.getAlpha2Codes())) {
  countryIndex.set(fold(code), code);
  const alpha3 = countries.alpha2ToAlpha3(code);
  if (alpha3) countryIndex.set(fold(alpha3), code);
  for (const lang of ['en', 'es', 'fr', 'de']) {
    const names = countries.getName(code, lang, { select: 'all' }) ?? [];
    for (const name of names) countryIndex.set(fold(name), code);
  }
}
for (const [alias, code] of Object.entries(countryAliases)) countryIndex.set(alias, code);

export function normalizeCountry(raw: string): string | null {
  const key = fold(raw);
  return key ? (countryIndex.get(key) ?? null) : null;
}

/** Traditional (AP style) US state abbreviations people still write in addresses. */
const usTraditional: Record<string, string> = {
  ala: 'AL',
  ariz: 'AZ',
  ark: 'AR',
  calif: 'CA',
  cal: 'CA',
  colo: 'CO',
  conn: 'CT',
  del: 'DE',
  fla: 'FL',
  ga: 'GA',
  ill: 'IL',
  ind: 'IN',
  kan: 'KS',
  kans: 'KS',
  ky: 'KY',
  la: 'LA',
  md: 'MD',
  mass: 'MA',
  mich: 'MI',
  minn: 'MN',
  miss: 'MS',
  mo: 'MO',
  mont: 'MT',
  neb: 'NE',
  nebr: 'NE',
  nev: 'NV',
  'n h': 'NH',
  'n j': 'NJ',
  'n m': 'NM',
  'n y': 'NY',
  'n c': 'NC',
  'n d': 'ND',
  okla: 'OK',
  ore: 'OR',
  oreg: 'OR',
  pa: 'PA',
  penn: 'PA',
  'r i': 'RI',
  's c': 'SC',
  's d': 'SD',
  tenn: 'TN',
  tex: 'TX',
  vt: 'VT',
  va: 'VA',
  wash: 'WA',
  'w va': 'WV',
  wis: 'WI',
  wisc: 'WI',
  wyo: 'WY',
  'd c': 'DC',
  'wash dc': 'DC',
  'washington dc': 'DC',
};

const regionIndex = new Map<string, Map<string, string>>();
for (const country of regionData) {
  const index = new Map<string, string>();
  for (const region of country.regions) {
    if (!region.shortCode) continue;
    const code = `${country.countryShortCode}-${region.shortCode}`;
    index.set(fold(region.name), code);
    index.set(fold(region.shortCode), code);
    index.set(fold(code), code);
  }
  regionIndex.set(country.countryShortCode, index);
}
// The UK's nations have ISO 3166-2 codes of their own that the county-level list lacks.
const gb = regionIndex.get('GB');
if (gb) {
  for (const [name, code] of [
    ['england', 'GB-ENG'],
    ['scotland', 'GB-SCT'],
    ['wales', 'GB-WLS'],
    ['northern ireland', 'GB-NIR'],
  ] as const)
    gb.set(name, code);
}
const us = regionIndex.get('US');
if (us)
  for (const [abbr, code] of Object.entries(usTraditional)) if (!us.has(abbr)) us.set(abbr, `US-${code}`);

/** A region to its ISO 3166-2 code within a country ("Calif." in US → "US-CA"), or null. */
export function normalizeRegion(raw: string, country: string | null): string | null {
  const key = fold(raw);
  if (!key) return null;
  const explicit = /^([a-z]{2}) ([a-z0-9]{1,3})$/.exec(key);
  if (explicit) {
    const inCountry = regionIndex.get(explicit[1]!.toUpperCase())?.get(key);
    if (inCountry) return inCountry;
  }
  return country ? (regionIndex.get(country)?.get(key) ?? null) : null;
}

/** ISO 3166-2 region when known, else ISO 3166-1 country, else "unknown". */
export function jurisdictionOf(country: string | null, region: string | null): string {
  return region ?? country ?? 'unknown';
}
