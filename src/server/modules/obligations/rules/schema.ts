import { z } from 'zod';
import { categories } from '../../../../shared/taxonomy.ts';

/**
 * The shape of the obligations rules data (`regimes.json`). The data is derived by hand from
 * `shared/reference/breach-laws.json`; every regime keeps its citation, sources and confidence. The file is
 * checked against this schema when the process starts: a rule that fails stops it, naming the rule.
 */
const category = z.enum(categories);

/**
 * One way a person's exposure can meet a regime's definition of personal information: every category in
 * `all`, and at least one of `any` when `any` is given. A person meets the definition when any clause
 * matches (e.g. name + national id: `{all: ['name'], any: ['national_id']}`; email or username + password:
 * `{all: ['password'], any: ['email', 'username']}`).
 */
export const piClause = z
  .object({
    all: z.array(category).default([]),
    any: z.array(category).optional(),
    /** The statute's words for this element, as in the reference data. */
    text: z.string().min(1),
  })
  .strict()
  .refine((c) => c.all.length > 0 || (c.any?.length ?? 0) > 0, 'a clause needs `all` or `any` categories');

/**
 * How a deadline is computed.
 * - `hours`, `days` (calendar days), `business_days` (Monday to Friday; public holidays are not counted):
 *   `value` units after `from` (`aware`: the legal awareness moment; `individual_notice`: when the individuals
 *   were, or are planned to be, notified; `calendar_year_end`: the end of the calendar year of awareness,
 *   e.g. HIPAA's annual log of small breaches).
 * - `policy`: the law sets no fixed period ("without undue delay", "most expedient time"): the target is the
 *   company's policy period after awareness, shown as policy, not law.
 * - `relative_to_individual_notice`: before, no later than, or at the same time as the individual notice.
 * `orIndividualNotice: true` means "or when the individuals are notified, whichever is sooner".
 */
export const deadline = z.discriminatedUnion('kind', [
  z
    .object({
      kind: z.enum(['hours', 'days', 'business_days']),
      value: z.number().int().positive(),
      from: z.enum(['aware', 'individual_notice', 'calendar_year_end']),
      orIndividualNotice: z.boolean().optional(),
      basis: z.enum(['without_undue_delay', 'most_expedient']).optional(),
    })
    .strict(),
  z
    .object({
      kind: z.literal('policy'),
      basis: z.enum(['without_undue_delay', 'most_expedient', 'unspecified']),
    })
    .strict(),
  z
    .object({
      kind: z.literal('relative_to_individual_notice'),
      relation: z.enum(['before', 'no_later_than', 'concurrent']),
    })
    .strict(),
]);

/**
 * Residents needed for the obligation to apply: `more_than` N ("more than 500") or `at_least` N ("500 or
 * more"), or `fewer_than` N (at least one but fewer than N: a small-breach route such as HIPAA's annual log). `per: 'us_state'` compares the count in the single most-affected US state or territory (HIPAA
 * media notice: "more than 500 residents of a State").
 */
export const threshold = z
  .object({
    comparison: z.enum(['more_than', 'at_least', 'fewer_than']),
    count: z.number().int().nonnegative(),
    per: z.enum(['regime', 'us_state']).default('regime'),
  })
  .strict();

export const obligationKinds = ['individuals', 'regulator', 'credit_agencies', 'media'] as const;

export const obligationRule = z
  .object({
    kind: z.enum(obligationKinds),
    /** Distinguishes two obligations of one kind in a regime (e.g. JP preliminary and final reports). */
    variant: z
      .string()
      .regex(/^[a-z][a-z0-9_]*$/)
      .optional(),
    body: z.string().min(1),
    threshold: threshold.nullable(),
    deadline: deadline,
    trigger: z.string().min(1),
    /** The law lets the company skip the notice after a documented risk-of-harm assessment. */
    riskOfHarmException: z.boolean(),
    /** A law-enforcement request may postpone this notice (individual notices under most US laws). */
    lawEnforcementDelay: z.boolean(),
    /**
     * Overrides the regime's encryption safe harbor for this notice (GDPR: encryption spares the individual
     * notice, Art. 34(3)(a), but not the one to the authority).
     */
    encryptionSafeHarbor: z.boolean().optional(),
    /** What the notice must contain: the checklist shown next to the obligation. */
    content: z.array(z.string().min(1)),
    notes: z.string(),
  })
  .strict();

export const entityKinds = ['hipaa', 'sec', 'nydfs', 'ftc_safeguards'] as const;

export const regimeRule = z
  .object({
    id: z
      .string()
      .regex(
        /^[A-Z]{2}(-[A-Z0-9]{1,12})*$/,
        'a regime id is a country code, optionally with parts like US-CA or US-GLBA-FTC',
      ),
    name: z.string().min(1),
    /**
     * Whose data counts: a person counts when their jurisdiction equals one of these codes or lies within it
     * (`US` covers `US-CA`; `FR` covers `FR-75`). `*` counts everyone wherever they live (sector rules).
     */
    jurisdictions: z.array(z.string().regex(/^(\*|[A-Z]{2}(-[A-Z0-9]{1,3})?)$/)).min(1),
    /** Sector rules apply only to a company of this kind (set on the incident or in settings). */
    appliesToEntity: z.enum(entityKinds).nullable(),
    citation: z.string().min(1),
    sourceUrls: z.array(z.url()).min(1),
    confidence: z.enum(['high', 'medium', 'low']),
    personalInformation: z
      .object({
        clauses: z.array(piClause).min(1),
        /** Where the categories cannot say exactly what the statute says: the cautious reading taken. */
        cautiousReading: z.string().optional(),
      })
      .strict(),
    /** Encrypted data whose key was not compromised is not a breach under this regime. */
    encryptionSafeHarbor: z.boolean(),
    /**
     * The regime applies whatever the number of affected people (e.g. an SEC registrant's material
     * cybersecurity incident); otherwise it applies only when at least one person meets its definition.
     */
    personIndependent: z.boolean().default(false),
    obligations: z.array(obligationRule).min(1),
    notes: z.string(),
  })
  .strict();

export const rulesFile = z
  .object({
    version: z.string().min(1),
    derivedFrom: z.string().min(1),
    regimes: z.array(z.unknown()),
  })
  .strict();

export type PiClause = z.infer<typeof piClause>;
export type DeadlineRule = z.infer<typeof deadline>;
export type ThresholdRule = z.infer<typeof threshold>;
export type ObligationRule = z.infer<typeof obligationRule>;
export type RegimeRule = z.infer<typeof regimeRule>;
export type ObligationKind = (typeof obligationKinds)[number];
export type EntityKind = (typeof entityKinds)[number];
