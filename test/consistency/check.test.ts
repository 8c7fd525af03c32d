import { describe, expect, it } from 'vitest';
import { categoryNames, wordLocales } from '../../src/shared/consistency/category-words.ts';
import { type CheckInput, checkConsistency, type Exposure } from '../../src/shared/consistency/check.ts';
import { matcherFor, mentionsIn, normalize } from '../../src/shared/consistency/matcher.ts';
import { categories } from '../../src/shared/taxonomy.ts';

/**
 * The consistency check on its own: which sentences read as denials (in English and Spanish), which are
 * left alone (asking for a card number, evidence, conditions, questions), what "never mentioned" means
 * against the threshold, and the company's own phrases and negations.
 */
const demoLike: Exposure = {
  people: 666,
  counts: {
    email: 666,
    password: 243,
    username: 243,
    name: 646,
    postal_address: 646,
    phone: 563,
    date_of_birth: 398,
    national_id: 151,
    payment_card: 446,
    ip_address: 243,
  },
};

const denialsIn = (text: string, locale: 'en' | 'es' = 'en', extra: Partial<CheckInput> = {}) =>
  checkConsistency({
    locale,
    parts: [{ where: 'What information was involved', text }],
    exposure: demoLike,
    threshold: 0.05,
    checkMentions: false,
    ...extra,
  });

const deniedCategories = (text: string, locale: 'en' | 'es' = 'en', extra: Partial<CheckInput> = {}) =>
  denialsIn(text, locale, extra).map((w) => w.category);

describe('denials in English', () => {
  it.each([
    ['It did not hold full payment card numbers.', 'payment_card'],
    ['Payment card numbers were not exposed.', 'payment_card'],
    ['No payment card data was accessed.', 'payment_card'],
    ['Your card details were never compromised.', 'payment_card'],
    ['Your password wasn’t affected.', 'password'],
    ["Your password wasn't affected.", 'password'],
    ['The incident did not involve dates of birth.', 'date_of_birth'],
    ['Social Security numbers were not included in the files.', 'national_id'],
    ['Your IP address remained unaffected.', 'ip_address'],
  ])('“%s” denies %s', (text, category) => {
    expect(deniedCategories(text)).toEqual([category]);
  });

  it('neither … nor denies both', () => {
    expect(deniedCategories('Neither passwords nor card numbers were exposed.').sort()).toEqual([
      'password',
      'payment_card',
    ]);
  });

  it.each([
    'We will never ask for your password, card number or one-time codes.',
    'We have no evidence that your card number was misused.',
    'We have no evidence that any card number was accessed.',
    'We did not find that passwords were taken.',
    'If your card number was not involved, you do not need to do anything.',
    'Was my payment card not exposed?',
    'Passwords were stored hashed, so they cannot be read.',
    'We did not find misuse, but card numbers were exposed.',
    'Card numbers were exposed; we did not store security codes.',
    'Be careful with unexpected messages: we will never ask for your password or payment details.',
    'Why did I get a message saying my address is not affected?',
    'Payment card numbers were exposed.',
  ])('“%s” is not a denial', (text) => {
    expect(denialsIn(text)).toEqual([]);
  });

  it('names the sentence, where it is, and the people it concerns', () => {
    const [warning] = denialsIn(
      'Depending on the person, the backup held names and emails.\n\nIt did not hold full payment card numbers.',
    );
    expect(warning).toMatchObject({
      kind: 'denies_exposed',
      locale: 'en',
      category: 'payment_card',
      where: 'What information was involved',
      sentence: 'It did not hold full payment card numbers.',
      people: 446,
    });
    expect(warning!.share).toBeCloseTo(446 / 666);
    expect(warning!.message).toContain('“It did not hold full payment card numbers.”');
    expect(warning!.message).toContain('446 of 666 people (67%)');
    expect(warning!.message).toMatch(/^English, What information was involved:/);
  });

  it('says nothing of a category that was not exposed', () => {
    expect(denialsIn('Medical records were not exposed.')).toEqual([]);
  });

  it('bullets under a denying line are denied', () => {
    expect(
      deniedCategories('The backup did not contain:\n- payment card numbers\n- passport numbers').sort(),
    ).toEqual(['payment_card']);
    expect(deniedCategories('The backup contained:\n- payment card numbers\n- names')).toEqual([]);
  });

  it('an FAQ answer “No.” denies what the question asks about, and carries it to the next sentence', () => {
    const warnings = checkConsistency({
      locale: 'en',
      parts: [
        {
          where: 'FAQ 2',
          question: 'Was my payment card exposed?',
          text: 'No. The backup did not contain full numbers.',
        },
      ],
      exposure: demoLike,
      threshold: 0.05,
      checkMentions: false,
    });
    expect(warnings.map((w) => [w.category, w.sentence])).toEqual([
      ['payment_card', 'No.'],
      ['payment_card', 'The backup did not contain full numbers.'],
    ]);
  });

  it('an FAQ “No.” to a question that is not about exposure is no denial', () => {
    const warnings = checkConsistency({
      locale: 'en',
      parts: [{ where: 'FAQ 1', question: 'Do I need a new card?', text: 'No. Watch your statements.' }],
      exposure: demoLike,
      threshold: 0.05,
    });
    expect(warnings.filter((w) => w.kind === 'denies_exposed')).toEqual([]);
  });

  it('reports the same sentence once', () => {
    expect(denialsIn('Card numbers were not exposed. Card numbers were not exposed.')).toHaveLength(1);
  });
});

describe('denials in Spanish', () => {
  it.each([
    ['No contenía números completos de tarjetas de pago.', 'payment_card'],
    ['Los datos de tu tarjeta no se vieron afectados.', 'payment_card'],
    ['No se expusieron contraseñas.', 'password'],
    ['Nunca se accedió a tu fecha de nacimiento.', 'date_of_birth'],
    ['La copia no incluía números de Seguro Social.', 'national_id'],
    ['Tu dirección IP no estaba en los archivos.', 'ip_address'],
  ])('«%s» niega %s', (text, category) => {
    expect(deniedCategories(text, 'es')).toEqual([category]);
  });

  it('ni … ni niega las dos', () => {
    expect(
      deniedCategories('Ni tu contraseña ni tu tarjeta de pago se vieron afectadas.', 'es').sort(),
    ).toEqual(['password', 'payment_card']);
  });

  it.each([
    'Nunca te pediremos tu contraseña, tu tarjeta ni códigos de un solo uso.',
    'No hay indicios de que se haya accedido a tu contraseña.',
    'No tenemos constancia de que se usaran los datos de tu tarjeta.',
    'Si tu tarjeta de pago no se vio afectada, no tienes que hacer nada.',
    '¿No se expuso mi tarjeta de pago?',
    'Sin embargo, tus contraseñas se vieron afectadas.',
    'No hemos detectado que se usaran contraseñas, pero se expusieron.',
    'Los nombres de usuario se expusieron.',
  ])('«%s» no es una negación', (text) => {
    expect(denialsIn(text, 'es')).toEqual([]);
  });

  it('a username is not also a name', () => {
    expect(deniedCategories('Los nombres de usuario no se vieron afectados.', 'es')).toEqual(['username']);
  });

  it('an FAQ answer “No.” in Spanish', () => {
    const warnings = checkConsistency({
      locale: 'es',
      parts: [
        {
          where: 'FAQ 2',
          question: '¿Se expuso mi tarjeta de pago?',
          text: 'No. La copia no contenía números completos de tarjetas.',
        },
      ],
      exposure: demoLike,
      threshold: 0.05,
      checkMentions: false,
    });
    expect(warnings.map((w) => w.sentence)).toEqual([
      'No.',
      'La copia no contenía números completos de tarjetas.',
    ]);
    expect(warnings[0]!.message).toMatch(/^Spanish, FAQ 2:/);
  });
});

describe('categories never mentioned', () => {
  const mentions = (text: string, threshold = 0.05, exposure: Exposure = demoLike) =>
    checkConsistency({
      locale: 'en',
      parts: [{ where: 'Summary', text }],
      exposure,
      threshold,
    }).filter((w) => w.kind === 'not_mentioned');

  it('lists each exposed category above the threshold that the text never names, most common first', () => {
    const found = mentions('Your name, email address and postal address were exposed.');
    expect(found.map((w) => w.category)).toEqual([
      'phone',
      'payment_card',
      'date_of_birth',
      'password',
      'username',
      'ip_address',
      'national_id',
    ]);
    expect(found[0]!.message).toBe(
      'English: the text never mentions phone numbers, exposed for 563 of 666 people (85%); every category above 5% should be named.',
    );
  });

  it('the threshold is a share of people, and equal is not above', () => {
    const exposure: Exposure = { people: 100, counts: { email: 100, passport: 5, medical: 6 } };
    expect(mentions('Your email address was exposed.', 0.05, exposure).map((w) => w.category)).toEqual([
      'medical',
    ]);
    expect(mentions('Your email address was exposed.', 0.1, exposure)).toEqual([]);
    expect(mentions('Your email address was exposed.', 0, exposure).map((w) => w.category)).toEqual([
      'medical',
      'passport',
    ]);
  });

  it('a mention anywhere counts, an FAQ question included', () => {
    const exposure: Exposure = { people: 10, counts: { email: 10, payment_card: 8 } };
    const warnings = checkConsistency({
      locale: 'en',
      parts: [
        { where: 'Summary', text: 'Your email address was exposed.' },
        { where: 'FAQ 1', question: 'What about my credit card?', text: 'Call your bank.' },
      ],
      exposure,
      threshold: 0.05,
    });
    expect(warnings).toEqual([]);
  });

  it('categories known only from the incident record are always expected', () => {
    const exposure: Exposure = { people: 0, counts: { email: null, medical: null } };
    const found = mentions('Your email address was exposed.', 0.05, exposure);
    expect(found.map((w) => w.category)).toEqual(['medical']);
    expect(found[0]!.message).toContain('listed as exposed in the incident record');
    expect(found[0]!.share).toBeNull();
  });

  it('can be switched off for texts that do not list what leaked', () => {
    expect(
      checkConsistency({
        locale: 'en',
        parts: [{ where: 'SMS', text: 'A security incident involved your information.' }],
        exposure: demoLike,
        threshold: 0.05,
        checkMentions: false,
      }),
    ).toEqual([]);
  });
});

describe('the company’s words', () => {
  it('an extra phrase names a category', () => {
    const exposure: Exposure = { people: 10, counts: { financial_account: 10 } };
    const run = (phrases?: Record<string, { en?: string[] }>) =>
      checkConsistency({
        locale: 'en',
        parts: [{ where: 'Summary', text: 'Your Acme Wallet number was exposed.' }],
        exposure,
        threshold: 0.05,
        words: { phrases: phrases as never },
      });
    expect(run().map((w) => w.category)).toEqual(['financial_account']);
    expect(run({ financial_account: { en: ['Acme Wallet number'] } })).toEqual([]);
  });

  it('an extra phrase also finds denials, in its own language only', () => {
    const words = { phrases: { payment_card: { es: ['monedero Acme'] } } };
    expect(deniedCategories('Tu monedero Acme no se vio afectado.', 'es')).toEqual([]);
    expect(deniedCategories('Tu monedero Acme no se vio afectado.', 'es', { words })).toEqual([
      'payment_card',
    ]);
    expect(deniedCategories('Your monedero Acme was not affected.', 'en', { words })).toEqual([]);
  });

  it('an extra negation is read as one', () => {
    const text = 'We ruled out that card numbers were exposed.';
    expect(deniedCategories(text)).toEqual([]);
    expect(deniedCategories(text, 'en', { words: { negations: { en: ['ruled out'] } } })).toEqual([
      'payment_card',
    ]);
    expect(
      deniedCategories('Descartamos que se expusieran tarjetas de pago.', 'es', {
        words: { negations: { es: ['descartamos'] } },
      }),
    ).toEqual(['payment_card']);
  });
});

describe('the word lists', () => {
  it.each(wordLocales)('each category’s own name in %s is recognised as that category alone', (locale) => {
    const matcher = matcherFor(locale);
    for (const category of categories) {
      expect(mentionsIn(normalize(categoryNames[category][locale]), matcher)).toEqual([category]);
    }
  });

  it('longer phrases win over the words inside them', () => {
    const en = matcherFor('en');
    expect(mentionsIn(normalize('your email address and IP address'), en)).toEqual(['email', 'ip_address']);
    const es = matcherFor('es');
    expect(mentionsIn(normalize('información de seguros médicos'), es)).toEqual(['health_insurance']);
    expect(mentionsIn(normalize('número de identificación fiscal'), es)).toEqual(['tax_id']);
  });

  it('ignores case, accents and plural endings', () => {
    const es = matcherFor('es');
    expect(mentionsIn(normalize('CONTRASENAS y Direcciones Postales'), es)).toEqual([
      'password',
      'postal_address',
    ]);
  });
});

describe('what is not a denial of the card', () => {
  it('saying the security code (CVV) was not stored, while the card number was', () => {
    expect(
      denialsIn(
        'Depending on the order, it included:\n- your card number and its expiry date; the backup did not hold the security code (CVV)',
      ),
    ).toEqual([]);
    expect(denialsIn('La copia no contenía el código de seguridad (CVV) de tu tarjeta.', 'es')).toEqual([]);
  });
});
