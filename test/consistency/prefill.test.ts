import { describe, expect, it } from 'vitest';
import { checkConsistency, type Exposure } from '../../src/shared/consistency/check.ts';
import { whatInformationText } from '../../src/shared/consistency/prefill.ts';

/** "What information was involved", written from the measured exposure. */
const exposure: Exposure = {
  people: 666,
  counts: { email: 666, name: 646, payment_card: 446, national_id: 3, date_of_birth: 398 },
};

describe('the prefilled section', () => {
  it('lists every exposed category with its people, most common first, in English', () => {
    expect(whatInformationText(exposure, 'en')).toBe(
      [
        'The information involved differs from person to person. Across the 666 people affected, it included:',
        '- email addresses (all 666 people)',
        '- names (646 people, 97%)',
        '- payment card details (446 people, 67%)',
        '- dates of birth (398 people, 60%)',
        '- national identification numbers (such as Social Security numbers) (3 people, under 1%)',
        '',
        'Use the check on this page to find out whether your information was involved, and what it included.',
      ].join('\n'),
    );
  });

  it('and in Spanish', () => {
    const text = whatInformationText(exposure, 'es')!;
    expect(text).toContain('Entre las 666 personas afectadas, incluía:');
    expect(text).toContain('- direcciones de correo electrónico (las 666 personas)');
    expect(text).toContain('- datos de tarjetas de pago (446 personas, 67 %)');
    expect(text).toContain('(3 personas, menos del 1 %)');
  });

  it('without counts, lists the categories entered on the incident', () => {
    expect(whatInformationText({ people: 0, counts: { email: null, medical: null } }, 'en')).toBe(
      [
        'The information involved may include:',
        '- email addresses',
        '- medical information',
        '',
        'Use the check on this page to find out whether your information was involved, and what it included.',
      ].join('\n'),
    );
  });

  it('is null when nothing is known to be exposed', () => {
    expect(whatInformationText({ people: 0, counts: {} }, 'en')).toBeNull();
  });

  it.each(['en', 'es'] as const)('passes the consistency check it feeds (%s)', (locale) => {
    const text = whatInformationText(exposure, locale)!;
    expect(checkConsistency({ locale, parts: [{ where: 'x', text }], exposure, threshold: 0 })).toEqual([]);
  });
});
