import type { EngineInput, PopulationCell } from '../../src/server/modules/obligations/engine.ts';
import { parseRules, type RulesData } from '../../src/server/modules/obligations/rules/load.ts';
import { type Category, categoryMask } from '../../src/shared/taxonomy.ts';

/**
 * Fixture rules for the engine and the reminders: regimes written here, checked by the real schema through
 * `parseRules`, so tests do not move when the research data (`regimes.json`) is revised.
 */
export type RawObligation = Record<string, unknown> & { kind: string };
export type RawRegime = Record<string, unknown> & { id: string };

export const nameAndSsn = { all: ['name'], any: ['national_id'], text: 'name + SSN' };
export const credentials = {
  all: ['password'],
  any: ['email', 'username'],
  text: 'email or username + password',
};

export function obligation(kind: string, extra: Record<string, unknown> = {}): RawObligation {
  return {
    kind,
    body: `${kind} body`,
    threshold: null,
    deadline: { kind: 'days', value: 30, from: 'aware' },
    trigger: 'discovery',
    riskOfHarmException: false,
    lawEnforcementDelay: false,
    content: [],
    notes: '',
    ...extra,
  };
}

export function regime(id: string, extra: Record<string, unknown> = {}): RawRegime {
  return {
    id,
    name: `Regime ${id}`,
    jurisdictions: [id],
    appliesToEntity: null,
    citation: `Cite ${id}`,
    sourceUrls: ['https://example.test/law'],
    confidence: 'high',
    personalInformation: { clauses: [nameAndSsn] },
    encryptionSafeHarbor: false,
    obligations: [obligation('individuals')],
    notes: '',
    ...extra,
  };
}

export function rulesOf(...regimes: RawRegime[]): RulesData {
  return parseRules({ version: 'test-1', derivedFrom: 'test fixtures', regimes });
}

export const cell = (jurisdiction: string, categories: Category[], people: number): PopulationCell => ({
  jurisdiction,
  categories: categoryMask(categories),
  people,
});

export const AWARE = new Date('2026-03-02T09:00:00Z');

export function engineInput(extra: Partial<EngineInput> = {}): EngineInput {
  return {
    awareAt: AWARE,
    timezone: 'UTC',
    policyDays: 30,
    encryptedWithSafeKey: false,
    lawEnforcementDelayUntil: null,
    entity: { hipaa: false, sec: false, nydfs: false, ftc_safeguards: false },
    individualNotice: null,
    population: [],
    ...extra,
  };
}

export const DAY = 86_400_000;
export const HOUR = 3_600_000;
export const plus = (from: Date, ms: number) => new Date(from.getTime() + ms);

/** The 27 EU member states (ISO 3166-1), whose residents count for the EU regime. */
export const EU27 = [
  'AT',
  'BE',
  'BG',
  'HR',
  'CY',
  'CZ',
  'DK',
  'EE',
  'FI',
  'FR',
  'DE',
  'GR',
  'HU',
  'IE',
  'IT',
  'LV',
  'LT',
  'LU',
  'MT',
  'NL',
  'PL',
  'PT',
  'RO',
  'SK',
  'SI',
  'ES',
  'SE',
];
