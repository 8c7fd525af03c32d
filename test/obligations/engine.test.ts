import { describe, expect, it } from 'vitest';
import {
  computeObligations,
  type EngineInput,
  type EngineResult,
} from '../../src/server/modules/obligations/engine.ts';
import {
  AWARE,
  cell,
  credentials,
  DAY,
  EU27,
  engineInput,
  HOUR,
  nameAndSsn,
  obligation,
  plus,
  type RawRegime,
  regime,
  rulesOf,
} from './fixtures.ts';

function run(regimes: RawRegime[], input: Partial<EngineInput>): EngineResult {
  return computeObligations(rulesOf(...regimes).regimes, engineInput(input));
}

function applied(result: EngineResult, key: string) {
  const found = result.obligations.find((o) => o.key === key);
  if (!found) {
    const why = result.notApplicable.find((n) => n.key === key || n.regime === key.split(':')[0]);
    throw new Error(
      `${key} does not apply: ${why ? `${why.reasonCode} (${why.reason})` : 'not listed at all'}`,
    );
  }
  return found;
}

function skipped(result: EngineResult, key: string) {
  expect(result.obligations.map((o) => o.key)).not.toContain(key);
  const found = result.notApplicable.find((n) => n.key === key);
  if (!found) throw new Error(`${key} is not listed as not applicable`);
  return found;
}

describe('who counts: the definition of personal information', () => {
  const ca = regime('US-CA', { personalInformation: { clauses: [nameAndSsn, credentials] } });

  it('a name alone does not count; name + national id does', () => {
    const result = run([ca], {
      population: [cell('US-CA', ['name'], 5), cell('US-CA', ['name', 'national_id'], 2)],
    });
    expect(applied(result, 'US-CA:individuals').affected).toBe(2);
  });

  it('people whose exposure never meets it leave the regime not applicable (definition_not_met)', () => {
    const result = run([ca], {
      population: [cell('US-CA', ['name'], 5), cell('US-CA', ['email', 'phone'], 3)],
    });
    const na = skipped(result, 'US-CA');
    expect(na).toMatchObject({ reasonCode: 'definition_not_met', affected: 0, kind: null });
    expect(na.reason).toContain('8 affected people live under');
  });

  it('email + password meets the credentials clause; a password alone or an email alone does not', () => {
    const result = run([ca], {
      population: [
        cell('US-CA', ['email', 'password'], 1),
        cell('US-CA', ['username', 'password'], 10),
        cell('US-CA', ['password'], 100),
        cell('US-CA', ['email'], 1000),
      ],
    });
    expect(applied(result, 'US-CA:individuals').affected).toBe(11);
  });

  it('`any` alone: one of the listed categories suffices, and none of them is not enough', () => {
    const health = regime('US-TX', {
      personalInformation: {
        clauses: [{ any: ['medical', 'health_insurance'], text: 'health information' }],
      },
    });
    const result = run([health], {
      population: [
        cell('US-TX', ['health_insurance'], 4),
        cell('US-TX', ['medical', 'name'], 3),
        cell('US-TX', ['name', 'email'], 50),
      ],
    });
    expect(applied(result, 'US-TX:individuals').affected).toBe(7);
  });

  it('`all` needs every listed category', () => {
    const both = regime('US-NY', {
      personalInformation: { clauses: [{ all: ['name', 'date_of_birth'], text: 'name + birth date' }] },
    });
    const result = run([both], {
      population: [
        cell('US-NY', ['name'], 5),
        cell('US-NY', ['date_of_birth'], 5),
        cell('US-NY', ['name', 'date_of_birth'], 1),
      ],
    });
    expect(applied(result, 'US-NY:individuals').affected).toBe(1);
  });

  it('people living elsewhere are not residents: no_residents', () => {
    const result = run([ca], { population: [cell('US-TX', ['name', 'national_id'], 9)] });
    expect(skipped(result, 'US-CA')).toMatchObject({ reasonCode: 'no_residents', affected: 0 });
  });
});

describe('thresholds', () => {
  const moreThan = regime('US-CA', {
    obligations: [
      obligation('individuals'),
      obligation('regulator', { threshold: { comparison: 'more_than', count: 500 } }),
    ],
  });
  const atLeast = regime('US-CO', {
    obligations: [
      obligation('individuals'),
      obligation('regulator', { threshold: { comparison: 'at_least', count: 500 } }),
    ],
  });
  const people = (j: string, n: number) => [cell(j, ['name', 'national_id'], n), cell(j, ['name'], 1000)];

  it('more than 500: 500 is below the threshold, with the reason', () => {
    const result = run([moreThan], { population: people('US-CA', 500) });
    expect(applied(result, 'US-CA:individuals').affected).toBe(500);
    const na = skipped(result, 'US-CA:regulator');
    expect(na).toMatchObject({ reasonCode: 'below_threshold', kind: 'regulator', affected: 500 });
    expect(na.reason).toContain('more than 500');
  });

  it('more than 500: 501 applies, and says which count it compared', () => {
    const o = applied(run([moreThan], { population: people('US-CA', 501) }), 'US-CA:regulator');
    expect(o).toMatchObject({ affected: 501, thresholdCount: 501 });
    expect(o.threshold).toMatchObject({ comparison: 'more_than', count: 500, per: 'regime' });
  });

  it('at least 500: 499 is below, 500 applies', () => {
    expect(skipped(run([atLeast], { population: people('US-CO', 499) }), 'US-CO:regulator').reasonCode).toBe(
      'below_threshold',
    );
    expect(applied(run([atLeast], { population: people('US-CO', 500) }), 'US-CO:regulator').affected).toBe(
      500,
    );
  });

  it('fewer than 500: applies from 1 to 499, not at 500 nor with no one', () => {
    const under = regime('US-HIPAA', {
      jurisdictions: ['*'],
      obligations: [
        obligation('individuals'),
        obligation('regulator', {
          variant: 'under_500',
          threshold: { comparison: 'fewer_than', count: 500 },
        }),
      ],
    });
    expect(
      applied(run([under], { population: people('US-CA', 1) }), 'US-HIPAA:regulator:under_500').affected,
    ).toBe(1);
    expect(
      applied(run([under], { population: people('US-CA', 499) }), 'US-HIPAA:regulator:under_500').affected,
    ).toBe(499);
    expect(
      skipped(run([under], { population: people('US-CA', 500) }), 'US-HIPAA:regulator:under_500').reason,
    ).toContain('fewer than 500');
  });

  describe('per US state (HIPAA media notice: more than 500 residents of a State)', () => {
    const hipaa = regime('US-HIPAA', {
      jurisdictions: ['*'],
      appliesToEntity: 'hipaa',
      personalInformation: { clauses: [{ any: ['medical'], text: 'PHI' }] },
      obligations: [
        obligation('individuals'),
        obligation('regulator', { threshold: { comparison: 'at_least', count: 500 } }),
        obligation('media', { threshold: { comparison: 'more_than', count: 500, per: 'us_state' } }),
      ],
    });
    const entity = { hipaa: true, sec: false, nydfs: false, ftc_safeguards: false };

    it('501 residents of one state trigger it', () => {
      const result = run([hipaa], { entity, population: [cell('US-CA', ['medical'], 501)] });
      expect(applied(result, 'US-HIPAA:media')).toMatchObject({ affected: 501, thresholdCount: 501 });
    });

    it('300 + 300 in two states do not (but the 500-or-more regulator notice does, on 600)', () => {
      const result = run([hipaa], {
        entity,
        population: [cell('US-CA', ['medical'], 300), cell('US-NY', ['medical', 'name'], 300)],
      });
      expect(skipped(result, 'US-HIPAA:media')).toMatchObject({
        reasonCode: 'below_threshold',
        affected: 600,
      });
      expect(applied(result, 'US-HIPAA:regulator')).toMatchObject({ affected: 600, thresholdCount: 600 });
    });

    it('people counted in the wrong category do not add to the state count', () => {
      const result = run([hipaa], {
        entity,
        population: [cell('US-CA', ['medical'], 400), cell('US-CA', ['name', 'national_id'], 400)],
      });
      expect(skipped(result, 'US-HIPAA:media').reasonCode).toBe('below_threshold');
    });
  });
});

describe('encryption safe harbor', () => {
  const withHarbor = regime('US-CA', { encryptionSafeHarbor: true });
  const without = regime('US-TX', { encryptionSafeHarbor: false });
  const population = [cell('US-CA', ['name', 'national_id'], 3), cell('US-TX', ['name', 'national_id'], 4)];

  it('encrypted data with a safe key: a regime with a safe harbor does not apply', () => {
    const result = run([withHarbor, without], { population, encryptedWithSafeKey: true });
    expect(skipped(result, 'US-CA')).toMatchObject({ reasonCode: 'safe_harbor', affected: 3 });
    expect(applied(result, 'US-TX:individuals').affected).toBe(4);
  });

  it('without encryption both apply', () => {
    const result = run([withHarbor, without], { population, encryptedWithSafeKey: false });
    expect(applied(result, 'US-CA:individuals').affected).toBe(3);
    expect(applied(result, 'US-TX:individuals').affected).toBe(4);
  });
});

describe('jurisdictions', () => {
  const eu = regime('EU', {
    jurisdictions: EU27,
    obligations: [
      obligation('individuals'),
      // A threshold of 3 shows the three member states are counted together.
      obligation('regulator', { threshold: { comparison: 'at_least', count: 3 } }),
    ],
  });

  it('people in FR, DE-BY and IT count together under one EU regime; a GB person does not', () => {
    const result = run([eu], {
      population: [
        cell('FR', ['name', 'national_id'], 1),
        cell('DE-BY', ['name', 'national_id'], 1),
        cell('IT', ['name', 'national_id'], 1),
        cell('GB', ['name', 'national_id'], 1),
        cell('GB-ENG', ['name', 'national_id'], 1),
      ],
    });
    expect(applied(result, 'EU:regulator')).toMatchObject({ affected: 3, thresholdCount: 3 });
    expect(applied(result, 'EU:individuals').affected).toBe(3);
  });

  it('a country code does not match a longer code that merely starts with it (DE vs DEX)', () => {
    const result = run([regime('DE', { jurisdictions: ['DE'] })], {
      population: [cell('DEX', ['name', 'national_id'], 1)],
    });
    expect(skipped(result, 'DE').reasonCode).toBe('no_residents');
  });

  it('people without a known jurisdiction are counted apart and count toward no country regime', () => {
    const result = run([regime('US-CA')], {
      population: [cell('unknown', ['name', 'national_id'], 4), cell('US-CA', ['name', 'national_id'], 1)],
    });
    expect(result.unknownJurisdiction).toBe(4);
    expect(applied(result, 'US-CA:individuals').affected).toBe(1);
  });

  it('a `*` regime counts people whatever they live, including those whose residence is unknown', () => {
    // A HIPAA covered entity's patient list often has no addresses: its patients are still covered.
    const sector = regime('US-HIPAA', {
      jurisdictions: ['*'],
      appliesToEntity: 'hipaa',
      personalInformation: { clauses: [{ any: ['medical'], text: 'PHI' }] },
    });
    const result = run([sector], {
      entity: { hipaa: true, sec: false, nydfs: false, ftc_safeguards: false },
      population: [cell('unknown', ['email', 'medical'], 4), cell('US-CA', ['medical'], 1)],
    });
    expect(result.unknownJurisdiction).toBe(4);
    expect(applied(result, 'US-HIPAA:individuals').affected).toBe(5);
  });
});

describe('entity regimes', () => {
  const hipaa = regime('US-HIPAA', {
    jurisdictions: ['*'],
    appliesToEntity: 'hipaa',
    personalInformation: { clauses: [{ any: ['medical'], text: 'PHI' }] },
  });
  const population = [cell('US-CA', ['name', 'medical'], 2)];

  it('do not apply unless the company is that kind of entity (entity_not_covered, on the regime)', () => {
    const result = run([hipaa], { population });
    expect(skipped(result, 'US-HIPAA')).toMatchObject({ reasonCode: 'entity_not_covered', kind: null });
  });

  it('apply when it is', () => {
    const result = run([hipaa], {
      population,
      entity: { hipaa: true, sec: false, nydfs: false, ftc_safeguards: false },
    });
    expect(applied(result, 'US-HIPAA:individuals').affected).toBe(2);
  });

  const sec = regime('US-SEC-8K', {
    jurisdictions: ['*'],
    appliesToEntity: 'sec',
    personIndependent: true,
    obligations: [obligation('regulator', { deadline: { kind: 'business_days', value: 4, from: 'aware' } })],
  });
  const secEntity = { hipaa: false, sec: true, nydfs: false, ftc_safeguards: false };

  it('a person-independent regime applies with no affected people at all', () => {
    const result = run([sec], { entity: secEntity, population: [] });
    const o = applied(result, 'US-SEC-8K:regulator');
    expect(o.affected).toBe(0);
    // Aware Monday 2026-03-02 09:00 UTC + 4 business days.
    expect(o.dueAt).toBe('2026-03-06T09:00:00.000Z');
  });

  it('a person-independent regime applies when no one meets any definition', () => {
    const result = run([sec], { entity: secEntity, population: [cell('US-CA', ['email'], 7)] });
    expect(applied(result, 'US-SEC-8K:regulator').key).toBe('US-SEC-8K:regulator');
  });

  it('a person-independent regime still needs the entity', () => {
    expect(skipped(run([sec], { population: [] }), 'US-SEC-8K').reasonCode).toBe('entity_not_covered');
  });
});

describe('deadlines', () => {
  const someone = [cell('US-CA', ['name', 'national_id'], 1)];
  const withDeadline = (deadline: Record<string, unknown>, extra: Record<string, unknown> = {}) =>
    regime('US-CA', { obligations: [obligation('individuals', { deadline, ...extra })] });
  const dueOf = (r: RawRegime, input: Partial<EngineInput> = {}, key = 'US-CA:individuals') =>
    applied(run([r], { population: someone, ...input }), key);

  it('hours from awareness', () => {
    const o = dueOf(withDeadline({ kind: 'hours', value: 72, from: 'aware' }));
    expect(o).toMatchObject({
      dueAt: plus(AWARE, 72 * HOUR).toISOString(),
      deadlineIsPolicy: false,
      deadlineEstimated: false,
    });
  });

  it('calendar days from awareness', () => {
    expect(dueOf(withDeadline({ kind: 'days', value: 30, from: 'aware' })).dueAt).toBe(
      plus(AWARE, 30 * DAY).toISOString(),
    );
  });

  it('calendar days are counted on the company calendar (a DST change makes one 23 hours long)', () => {
    const o = dueOf(withDeadline({ kind: 'days', value: 15, from: 'aware' }), {
      awareAt: new Date('2026-03-01T14:00:00Z'),
      timezone: 'America/New_York',
    });
    expect(o.dueAt).toBe('2026-03-16T13:00:00.000Z');
  });

  it('business days from awareness skip the weekend', () => {
    // Thursday 2026-03-05 + 4 business days = Wednesday 2026-03-11.
    expect(
      dueOf(withDeadline({ kind: 'business_days', value: 4, from: 'aware' }), {
        awareAt: new Date('2026-03-05T16:00:00Z'),
      }).dueAt,
    ).toBe('2026-03-11T16:00:00.000Z');
  });

  it('no period in the law: the company policy target, shown as policy', () => {
    const o = dueOf(withDeadline({ kind: 'policy', basis: 'without_undue_delay' }), { policyDays: 10 });
    expect(o).toMatchObject({ dueAt: plus(AWARE, 10 * DAY).toISOString(), deadlineIsPolicy: true });
    expect(o.deadlineBasis).toContain('10 days');
    expect(o.deadlineBasis).toContain('Policy, not law');
  });

  describe('timed from the individual notice', () => {
    const ca = regime('US-CA', {
      obligations: [
        obligation('individuals', { deadline: { kind: 'days', value: 30, from: 'aware' } }),
        obligation('regulator', { deadline: { kind: 'days', value: 15, from: 'individual_notice' } }),
        obligation('media', {
          deadline: { kind: 'relative_to_individual_notice', relation: 'no_later_than' },
        }),
      ],
    });
    const planned = (at: Date) => ({ individualNotice: { at, source: 'planned' as const } });

    it('15 days after the planned notice, and it moves when the planned date moves', () => {
      const first = plus(AWARE, 10 * DAY);
      const o1 = dueOf(ca, planned(first), 'US-CA:regulator');
      expect(o1).toMatchObject({ dueAt: plus(first, 15 * DAY).toISOString(), deadlineEstimated: true });
      const later = plus(AWARE, 20 * DAY);
      expect(dueOf(ca, planned(later), 'US-CA:regulator').dueAt).toBe(plus(later, 15 * DAY).toISOString());
    });

    it('once the first notice is sent the date is no longer an estimate', () => {
      const sent = plus(AWARE, 5 * DAY);
      const o = dueOf(ca, { individualNotice: { at: sent, source: 'sent' } }, 'US-CA:regulator');
      expect(o).toMatchObject({ dueAt: plus(sent, 15 * DAY).toISOString(), deadlineEstimated: false });
    });

    it('with no notice date, estimated from the individual notice deadline (30 + 15 days)', () => {
      const o = dueOf(ca, {}, 'US-CA:regulator');
      expect(o).toMatchObject({ dueAt: plus(AWARE, 45 * DAY).toISOString(), deadlineEstimated: true });
      expect(o.deadlineBasis).toContain('set the planned notice date');
    });

    it('"no later than the individual notice" is the notice date itself', () => {
      const at = plus(AWARE, 12 * DAY);
      expect(dueOf(ca, planned(at), 'US-CA:media')).toMatchObject({
        dueAt: at.toISOString(),
        deadlineEstimated: true,
      });
    });

    it.each(['before', 'no_later_than', 'concurrent'])(
      'relation %s is due at the planned notice',
      (relation) => {
        const r = regime('US-MD', {
          jurisdictions: ['US-CA'],
          obligations: [
            obligation('individuals'),
            obligation('regulator', { deadline: { kind: 'relative_to_individual_notice', relation } }),
          ],
        });
        const at = plus(AWARE, 7 * DAY);
        expect(dueOf(r, planned(at), 'US-MD:regulator').dueAt).toBe(at.toISOString());
      },
    );
  });

  describe('"or at the individual notice, whichever is sooner"', () => {
    const ar = regime('US-AR', {
      jurisdictions: ['US-CA'],
      obligations: [
        obligation('individuals'),
        obligation('regulator', {
          deadline: { kind: 'days', value: 45, from: 'aware', orIndividualNotice: true },
        }),
      ],
    });

    it('a notice planned before the period ends comes first', () => {
      const at = plus(AWARE, 10 * DAY);
      expect(dueOf(ar, { individualNotice: { at, source: 'planned' } }, 'US-AR:regulator').dueAt).toBe(
        at.toISOString(),
      );
    });

    it('a notice planned after the period ends does not postpone it', () => {
      const at = plus(AWARE, 60 * DAY);
      expect(dueOf(ar, { individualNotice: { at, source: 'planned' } }, 'US-AR:regulator').dueAt).toBe(
        plus(AWARE, 45 * DAY).toISOString(),
      );
    });
  });

  describe('law-enforcement delay', () => {
    const ca = regime('US-CA', {
      obligations: [
        obligation('individuals', { lawEnforcementDelay: true }),
        obligation('regulator', { deadline: { kind: 'days', value: 10, from: 'aware' } }),
      ],
    });

    it('postpones an individual notice to the end of the delay when that is later', () => {
      const until = plus(AWARE, 40 * DAY);
      const result = run([ca], { population: someone, lawEnforcementDelayUntil: until });
      expect(applied(result, 'US-CA:individuals').dueAt).toBe(until.toISOString());
      expect(applied(result, 'US-CA:individuals').deadlineBasis).toContain('law enforcement');
      // A notice whose rule does not allow the delay keeps its date.
      expect(applied(result, 'US-CA:regulator').dueAt).toBe(plus(AWARE, 10 * DAY).toISOString());
    });

    it('never brings a deadline earlier', () => {
      const result = run([ca], { population: someone, lawEnforcementDelayUntil: plus(AWARE, 5 * DAY) });
      expect(applied(result, 'US-CA:individuals').dueAt).toBe(plus(AWARE, 30 * DAY).toISOString());
    });
  });
});

describe('the result', () => {
  it('lists obligations soonest first and names keys by regime, kind and variant', () => {
    const jp = regime('JP', {
      obligations: [
        obligation('individuals', { deadline: { kind: 'days', value: 20, from: 'aware' } }),
        obligation('regulator', {
          variant: 'preliminary',
          deadline: { kind: 'days', value: 5, from: 'aware' },
        }),
        obligation('regulator', { variant: 'final', deadline: { kind: 'days', value: 30, from: 'aware' } }),
      ],
    });
    const result = run([jp], { population: [cell('JP', ['name', 'national_id'], 1)] });
    expect(result.obligations.map((o) => o.key)).toEqual([
      'JP:regulator:preliminary',
      'JP:individuals',
      'JP:regulator:final',
    ]);
    expect(applied(result, 'JP:regulator:final').variant).toBe('final');
  });
});
