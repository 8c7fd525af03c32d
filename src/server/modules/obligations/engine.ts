import { DateTime } from 'luxon';
import type { NotApplicable, Obligation } from '../../../shared/contracts/obligations.ts';
import { type Category, categoryMask } from '../../../shared/taxonomy.ts';
import { addBusinessDays, addCalendarDays, addHours, formatInZone } from './deadlines.ts';
import type { EntityKind, ObligationRule, PiClause, RegimeRule, ThresholdRule } from './rules/schema.ts';

/**
 * The obligations engine: a pure function from the incident's facts and its affected people (counted by
 * jurisdiction and exposure) to the notices the rules require, with due times and the reasoning, and the
 * regimes that do not apply with the reason. No I/O: the service feeds it and stores decisions.
 */
export interface PopulationCell {
  jurisdiction: string;
  /** Bitmask over the taxonomy's categories. */
  categories: number;
  people: number;
}

export interface EngineInput {
  awareAt: Date;
  timezone: string;
  policyDays: number;
  encryptedWithSafeKey: boolean;
  lawEnforcementDelayUntil: Date | null;
  entity: Record<EntityKind, boolean>;
  /** The individual notice: sent (the first one went out) or planned; null when neither is known. */
  individualNotice: { at: Date; source: 'sent' | 'planned' } | null;
  population: readonly PopulationCell[];
}

export type ComputedObligation = Omit<Obligation, 'status' | 'decision' | 'history'>;

export interface EngineResult {
  obligations: ComputedObligation[];
  notApplicable: NotApplicable[];
  unknownJurisdiction: number;
}

const entityNames: Record<EntityKind, string> = {
  hipaa: 'a HIPAA covered entity or business associate',
  sec: 'an SEC registrant',
  nydfs: 'a company regulated by the New York DFS',
  ftc_safeguards: 'a financial institution under the FTC Safeguards Rule',
};

const kindNames: Record<ObligationRule['kind'], string> = {
  individuals: 'notice to individuals',
  regulator: 'notice to the regulator',
  credit_agencies: 'notice to consumer reporting agencies',
  media: 'notice to the media',
};

export function obligationKey(regime: string, rule: Pick<ObligationRule, 'kind' | 'variant'>): string {
  return rule.variant ? `${regime}:${rule.kind}:${rule.variant}` : `${regime}:${rule.kind}`;
}

/** Whether a person of this jurisdiction counts toward the regime (`US` covers `US-CA`; `*` everyone). */
export function inJurisdiction(jurisdiction: string, codes: readonly string[]): boolean {
  return codes.some((code) => code === '*' || code === jurisdiction || jurisdiction.startsWith(`${code}-`));
}

interface CompiledClause {
  all: number;
  any: number;
}

const compiled = new WeakMap<RegimeRule, CompiledClause[]>();

function clausesOf(regime: RegimeRule): CompiledClause[] {
  let clauses = compiled.get(regime);
  if (!clauses) {
    clauses = regime.personalInformation.clauses.map((c: PiClause) => ({
      all: categoryMask(c.all as Category[]),
      any: categoryMask((c.any ?? []) as Category[]),
    }));
    compiled.set(regime, clauses);
  }
  return clauses;
}

/** Whether what leaked about a person (a category bitmask) meets the regime's definition. */
export function meetsDefinition(regime: RegimeRule, mask: number): boolean {
  return clausesOf(regime).some((c) => (mask & c.all) === c.all && (c.any === 0 || (mask & c.any) !== 0));
}

export function meetsThreshold(threshold: ThresholdRule | null, count: number): boolean {
  if (!threshold) return count > 0;
  switch (threshold.comparison) {
    case 'more_than':
      return count > threshold.count;
    case 'at_least':
      return count >= threshold.count;
    case 'fewer_than':
      return count > 0 && count < threshold.count;
  }
}

export function thresholdText(threshold: ThresholdRule | null): string {
  if (!threshold) return 'any affected resident';
  const n = threshold.count.toLocaleString('en-US');
  const who = threshold.per === 'us_state' ? 'residents of one state' : 'affected residents';
  if (threshold.comparison === 'fewer_than') return `fewer than ${n} ${who}`;
  return threshold.comparison === 'more_than' ? `more than ${n} ${who}` : `${n} or more ${who}`;
}

export function computeObligations(regimes: readonly RegimeRule[], input: EngineInput): EngineResult {
  const obligations: ComputedObligation[] = [];
  const notApplicable: NotApplicable[] = [];
  const unknownJurisdiction = input.population
    .filter((cell) => cell.jurisdiction === 'unknown')
    .reduce((sum, cell) => sum + cell.people, 0);

  for (const regime of regimes) {
    const skip = (
      reasonCode: NotApplicable['reasonCode'],
      reason: string,
      affected: number,
      kind?: ObligationRule,
    ) =>
      notApplicable.push({
        key: kind ? obligationKey(regime.id, kind) : regime.id,
        regime: regime.id,
        regimeName: regime.name,
        kind: kind?.kind ?? null,
        status: 'not_applicable',
        reasonCode,
        reason,
        affected,
        citation: regime.citation,
        confidence: regime.confidence,
      });

    if (regime.appliesToEntity && !input.entity[regime.appliesToEntity]) {
      skip(
        'entity_not_covered',
        `Applies only to ${entityNames[regime.appliesToEntity]}; this company is not marked as one (set it on the incident or in settings).`,
        0,
      );
      continue;
    }

    let residents = 0;
    let affected = 0;
    const byUsState = new Map<string, number>();
    for (const cell of input.population) {
      // "unknown" matches no code, only `*` (a sector rule counts everyone the company holds data on).
      if (!inJurisdiction(cell.jurisdiction, regime.jurisdictions)) continue;
      residents += cell.people;
      if (!meetsDefinition(regime, cell.categories)) continue;
      affected += cell.people;
      const state = /^US-[A-Z]{2}$/.exec(cell.jurisdiction)?.[0];
      if (state) byUsState.set(state, (byUsState.get(state) ?? 0) + cell.people);
    }

    if (!regime.personIndependent) {
      if (residents === 0) {
        skip('no_residents', `No affected person lives under ${regime.name}.`, 0);
        continue;
      }
      if (affected === 0) {
        const examples = regime.personalInformation.clauses
          .slice(0, 2)
          .map((c) => c.text)
          .join('; ');
        skip(
          'definition_not_met',
          `${residents.toLocaleString('en-US')} affected ${residents === 1 ? 'person lives' : 'people live'} under ${regime.name}, but what leaked about them does not meet its definition of personal information (e.g. ${examples}).`,
          0,
        );
        continue;
      }
    }
    const exempt = (rule: ObligationRule) =>
      input.encryptedWithSafeKey && (rule.encryptionSafeHarbor ?? regime.encryptionSafeHarbor);
    const safeHarborWords = `The data was encrypted and the key was not compromised: ${regime.name} exempts encrypted data (encryption safe harbor)`;
    if (regime.obligations.every(exempt)) {
      skip('safe_harbor', `${safeHarborWords}.`, affected);
      continue;
    }

    // Individual notices first: the others may be timed from them.
    const ordered = [...regime.obligations].sort(
      (a, b) => Number(b.kind === 'individuals') - Number(a.kind === 'individuals'),
    );
    let individualDue: Date | null = null;
    for (const rule of ordered) {
      if (exempt(rule)) {
        skip('safe_harbor', `${safeHarborWords} for the ${kindNames[rule.kind]}.`, affected, rule);
        continue;
      }
      const count = rule.threshold?.per === 'us_state' ? Math.max(0, ...byUsState.values()) : affected;
      // A person-independent regime (an SEC registrant's material incident) applies with no one affected.
      const applies =
        regime.personIndependent && !rule.threshold ? true : meetsThreshold(rule.threshold, count);
      if (!applies) {
        skip(
          'below_threshold',
          `${count.toLocaleString('en-US')} ${rule.threshold?.per === 'us_state' ? 'residents in the most affected state' : 'affected residents'}: the ${kindNames[rule.kind]} applies to ${thresholdText(rule.threshold)}.`,
          affected,
          rule,
        );
        continue;
      }
      const deadline = computeDeadline(rule, input, individualDue);
      if (rule.kind === 'individuals' && deadline.dueAt) individualDue = deadline.dueAt;
      obligations.push({
        key: obligationKey(regime.id, rule),
        regime: regime.id,
        regimeName: regime.name,
        kind: rule.kind,
        variant: rule.variant ?? null,
        body: rule.body,
        affected,
        thresholdCount: count,
        threshold: rule.threshold ? { ...rule.threshold, text: thresholdText(rule.threshold) } : null,
        dueAt: deadline.dueAt?.toISOString() ?? null,
        deadlineBasis: deadline.basis,
        deadlineIsPolicy: deadline.isPolicy,
        deadlineEstimated: deadline.estimated,
        trigger: rule.trigger,
        citation: regime.citation,
        sourceUrls: regime.sourceUrls,
        confidence: regime.confidence,
        content: rule.content,
        riskOfHarmException: rule.riskOfHarmException,
        notes: [rule.notes, regime.personalInformation.cautiousReading].filter(Boolean).join(' '),
      });
    }
  }

  obligations.sort(
    (a, b) =>
      (a.dueAt ? Date.parse(a.dueAt) : Number.POSITIVE_INFINITY) -
        (b.dueAt ? Date.parse(b.dueAt) : Number.POSITIVE_INFINITY) || a.key.localeCompare(b.key),
  );
  return { obligations, notApplicable, unknownJurisdiction };
}

interface Deadline {
  dueAt: Date | null;
  basis: string;
  isPolicy: boolean;
  estimated: boolean;
}

const policyWords = {
  without_undue_delay: '“without undue delay”',
  most_expedient: '“in the most expedient time possible”',
  unspecified: 'no period',
};

function computeDeadline(
  rule: ObligationRule,
  input: EngineInput,
  regimeIndividualDue: Date | null,
): Deadline {
  const zone = input.timezone;
  const policyTarget = addCalendarDays(input.awareAt, input.policyDays, zone);
  const aware = `awareness (${formatInZone(input.awareAt, zone)})`;

  // When the individual notice is, or is expected to be.
  const notice = input.individualNotice
    ? {
        at: input.individualNotice.at,
        estimated: input.individualNotice.source === 'planned',
        words: `the individual notice (${input.individualNotice.source}: ${formatInZone(input.individualNotice.at, zone)})`,
      }
    : {
        at: regimeIndividualDue ?? policyTarget,
        estimated: true,
        words: `the individual notice (not yet planned; estimated at ${regimeIndividualDue ? 'its deadline' : 'the policy target'}, ${formatInZone(regimeIndividualDue ?? policyTarget, zone)}: set the planned notice date to fix it)`,
      };

  let result: Deadline;
  const d = rule.deadline;
  if (d.kind === 'policy') {
    result = {
      dueAt: policyTarget,
      basis: `The law sets ${policyWords[d.basis]}${d.basis === 'unspecified' ? '' : ' and no fixed period'}: target from company policy, ${input.policyDays} days after ${aware}. Policy, not law.`,
      isPolicy: true,
      estimated: false,
    };
  } else if (d.kind === 'relative_to_individual_notice') {
    const relation = { before: 'Before', no_later_than: 'No later than', concurrent: 'At the same time as' }[
      d.relation
    ];
    result = {
      dueAt: notice.at,
      basis: `${relation} ${notice.words}.`,
      isPolicy: false,
      estimated: notice.estimated,
    };
  } else {
    const fromNotice = d.from === 'individual_notice';
    const yearEnd = DateTime.fromJSDate(input.awareAt, { zone })
      .endOf('year')
      .plus({ milliseconds: 1 })
      .toJSDate();
    const base = fromNotice ? notice.at : d.from === 'calendar_year_end' ? yearEnd : input.awareAt;
    const dueAt =
      d.kind === 'hours'
        ? addHours(base, d.value)
        : d.kind === 'days'
          ? addCalendarDays(base, d.value, zone)
          : addBusinessDays(base, d.value, zone);
    const unit =
      d.kind === 'hours'
        ? `${d.value} hours`
        : d.kind === 'days'
          ? `${d.value} calendar days`
          : `${d.value} business days (weekends skipped; public holidays not counted)`;
    const start = fromNotice
      ? notice.words
      : d.from === 'calendar_year_end'
        ? `the end of the calendar year of awareness (${formatInZone(yearEnd, zone)})`
        : aware;
    let basis = `${unit} after ${start}`;
    if (d.basis) basis = `${policyWords[d.basis]}, and at the latest ${basis}`;
    result = {
      dueAt,
      basis: `${basis[0]!.toUpperCase()}${basis.slice(1)}.`,
      isPolicy: false,
      estimated: fromNotice && notice.estimated,
    };
    if (d.orIndividualNotice && input.individualNotice && input.individualNotice.at < dueAt) {
      result.dueAt = input.individualNotice.at;
      result.basis += ` Or at ${notice.words}, whichever is sooner: the individual notice comes first.`;
    } else if (d.orIndividualNotice) {
      result.basis += ' Or at the individual notice, whichever is sooner.';
    }
  }
  if (
    rule.lawEnforcementDelay &&
    input.lawEnforcementDelayUntil &&
    result.dueAt &&
    input.lawEnforcementDelayUntil > result.dueAt
  ) {
    result.dueAt = input.lawEnforcementDelayUntil;
    result.basis += ` Postponed at law enforcement’s request until ${formatInZone(input.lawEnforcementDelayUntil, zone)}.`;
  }
  return result;
}
