import { describe, expect, it } from 'vitest';
import { normalizeEmail } from '../../src/server/modules/people/normalize/email.ts';
import {
  jurisdictionOf,
  normalizeCountry,
  normalizeRegion,
} from '../../src/server/modules/people/normalize/geography.ts';
import {
  normalizeCustomerId,
  normalizeNationalId,
} from '../../src/server/modules/people/normalize/identifiers.ts';
import { normalizePhone } from '../../src/server/modules/people/normalize/phone.ts';

describe('emails', () => {
  it.each([
    ['  Ana.Berg@Example.COM ', 'ana.berg@example.com'],
    ['ANA.BERG@EXAMPLE.COM', 'ana.berg@example.com'],
    ['\tana.berg@example.com\r', 'ana.berg@example.com'],
    // Fullwidth letters (copied from East Asian input methods) fold to ASCII under NFKC.
    ['ａｎａ.ｂｅｒｇ@example.com', 'ana.berg@example.com'],
    ['mailto:ana.berg@example.com', 'ana.berg@example.com'],
    ["o'brien+news@mail.example.org", "o'brien+news@mail.example.org"],
    // An internationalized domain and its punycode spelling are one address.
    ['Ana@Bücher.de', 'ana@xn--bcher-kva.de'],
    ['ana@xn--bcher-kva.de', 'ana@xn--bcher-kva.de'],
  ])('normalizes %j to %s', (raw, expected) => {
    expect(normalizeEmail(raw)).toBe(expected);
  });

  it.each([
    '',
    '   ',
    'ana.berg',
    'ana.berg@',
    '@example.com',
    'ana@berg@example.com',
    'ana..berg@example.com',
    '.ana@example.com',
    'ana.@example.com',
    'ana berg@example.com',
    'ana@localhost',
    'ana@example.c',
    'ana@-example.com',
    'ana@example-.com',
    'ana@exa_mple.com',
    'ana@bü_cher.de',
    `${'a'.repeat(65)}@example.com`,
    `ana@${'a'.repeat(250)}.com`,
  ])('rejects %j', (raw) => {
    expect(normalizeEmail(raw)).toBeNull();
  });
});

describe('phones to E.164', () => {
  it.each([
    ['(415) 555-0123', 'US', '+14155550123'],
    ['415.555.0123', 'US', '+14155550123'],
    ['415-555-0123', 'US', '+14155550123'],
    ['4155550123', 'US', '+14155550123'],
    ['1 (415) 555-0123', 'US', '+14155550123'],
    ['+1 415 555 0123', null, '+14155550123'],
    ['+1 415 555 0123', 'DE', '+14155550123'],
    ['+44 20 7946 0958', null, '+442079460958'],
    ['0044 20 7946 0958', null, '+442079460958'],
    ['020 7946 0958', 'GB', '+442079460958'],
    ['030 12345678', 'DE', '+493012345678'],
    ['0151 23456789', 'DE', '+4915123456789'],
    ['+49-30-12345678', 'US', '+493012345678'],
    ['(416) 555-0199', 'CA', '+14165550199'],
  ])('reads %j in %s as %s', (raw, country, expected) => {
    expect(normalizePhone(raw, country)).toBe(expected);
  });

  it('reads the same digits differently by country (the record country, else the default)', () => {
    expect(normalizePhone('030 12345678', 'DE')).toBe('+493012345678');
    expect(normalizePhone('030 12345678', 'GB')).not.toBe('+493012345678');
    // A national number with no country to read it in cannot be placed.
    expect(normalizePhone('(415) 555-0123', null)).toBeNull();
  });

  it.each([
    ['', 'US'],
    ['n/a', 'US'],
    ['12', 'US'],
    ['555-0123', 'US'],
    ['415 555 0123 4567 8901 2345', 'US'],
    ['+44 12', null],
    ['+1 415 555', null],
  ])('refuses %j (%s)', (raw, country) => {
    expect(normalizePhone(raw, country)).toBeNull();
  });
});

describe('strong identifiers', () => {
  it.each([
    ['123-45-6789', '123456789'],
    ['123 45 6789', '123456789'],
    ['123.45.6789', '123456789'],
    [' 123/45_6789 ', '123456789'],
    ['ab 12 34 56 c', 'AB123456C'],
    ['１２３-45-6789', '123456789'],
  ])('national id %j is compared as %s', (raw, expected) => {
    expect(normalizeNationalId(raw)).toBe(expected);
  });

  it.each(['', '12', '--', '123-45-6789!'])('refuses national id %j', (raw) => {
    expect(normalizeNationalId(raw)).toBeNull();
  });

  it('keeps customer ids opaque: trimmed, inner spaces collapsed, case kept', () => {
    expect(normalizeCustomerId('  C 100   7 ')).toBe('C 100 7');
    expect(normalizeCustomerId('abc-1')).not.toBe(normalizeCustomerId('ABC-1'));
    expect(normalizeCustomerId('   ')).toBeNull();
    expect(normalizeCustomerId('x'.repeat(129))).toBeNull();
  });
});

describe('countries', () => {
  it.each([
    ['US', 'US'],
    ['us', 'US'],
    ['USA', 'US'],
    ['U.S.A.', 'US'],
    ['United States', 'US'],
    ['United States of America', 'US'],
    ['United Kingdom', 'GB'],
    ['UK', 'GB'],
    ['GBR', 'GB'],
    ['Deutschland', 'DE'],
    ['Germany', 'DE'],
    ['DEU', 'DE'],
    ['Allemagne', 'DE'],
    ['España', 'ES'],
    ['  france ', 'FR'],
  ])('%j is %s', (raw, expected) => {
    expect(normalizeCountry(raw)).toBe(expected);
  });

  it.each(['', 'Narnia', 'XX', 'Planet Earth'])('%j is unknown', (raw) => {
    expect(normalizeCountry(raw)).toBeNull();
  });
});

describe('regions', () => {
  it.each([
    ['Calif.', 'US', 'US-CA'],
    ['California', 'US', 'US-CA'],
    ['CA', 'US', 'US-CA'],
    ['ca', 'US', 'US-CA'],
    ['Mass.', 'US', 'US-MA'],
    ['N.Y.', 'US', 'US-NY'],
    ['Texas', 'US', 'US-TX'],
    ['Bayern', 'DE', 'DE-BY'],
    ['BY', 'DE', 'DE-BY'],
    ['England', 'GB', 'GB-ENG'],
    ['Scotland', 'GB', 'GB-SCT'],
    ['Ontario', 'CA', 'CA-ON'],
    ['Île-de-France', 'FR', 'FR-IDF'],
    ['US-CA', null, 'US-CA'],
  ])('%j in %s is %s', (raw, country, expected) => {
    expect(normalizeRegion(raw, country)).toBe(expected);
  });

  it('reads an abbreviation in its own country ("CA" in Canada is not California)', () => {
    expect(normalizeRegion('CA', 'CA')).not.toBe('US-CA');
  });

  it('gives no region without a country to place it, or for a name it does not know', () => {
    expect(normalizeRegion('Texas', null)).toBeNull();
    expect(normalizeRegion('Narnia', 'US')).toBeNull();
    expect(normalizeRegion('Bayern', 'US')).toBeNull();
  });
});

describe('jurisdiction', () => {
  it('is the region when known, else the country, else "unknown"', () => {
    expect(jurisdictionOf('US', 'US-CA')).toBe('US-CA');
    expect(jurisdictionOf('DE', null)).toBe('DE');
    expect(jurisdictionOf(null, null)).toBe('unknown');
  });
});
