import { z } from 'zod';

export const obligationKinds = ['individuals', 'regulator', 'credit_agencies', 'media'] as const;
export const obligationStatuses = ['open', 'done', 'not_required'] as const;
export const notApplicableReasons = [
  'no_residents',
  'definition_not_met',
  'below_threshold',
  'safe_harbor',
  'entity_not_covered',
] as const;

export const NOT_LEGAL_ADVICE =
  'Candor computes these obligations from a research summary of breach-notification laws. It is not legal advice: confirm each obligation with counsel, and mind each rule’s confidence.';

const threshold = z
  .object({
    comparison: z.enum(['more_than', 'at_least', 'fewer_than']),
    count: z.number(),
    per: z.enum(['regime', 'us_state']),
    text: z.string(),
  })
  .nullable();

export const decisionRecord = z.object({
  status: z.enum(obligationStatuses),
  reasons: z.string(),
  evidence: z.string(),
  by: z.string(),
  at: z.string(),
  rulesVersion: z.string(),
});

export const obligation = z.object({
  /** "US-CA:regulator" (with ":variant" when a regime has two of a kind). */
  key: z.string(),
  regime: z.string(),
  regimeName: z.string(),
  kind: z.enum(obligationKinds),
  variant: z.string().nullable(),
  body: z.string(),
  /** People in the regime whose exposure meets its definition of personal information. */
  affected: z.number(),
  /** For per-state thresholds: the count compared (the most affected state). */
  thresholdCount: z.number(),
  threshold: threshold,
  dueAt: z.string().nullable(),
  deadlineBasis: z.string(),
  /** The law gives no period: the due time is the company's policy target. */
  deadlineIsPolicy: z.boolean(),
  /** Computed from a date not yet fixed (the estimated individual notice). */
  deadlineEstimated: z.boolean(),
  trigger: z.string(),
  citation: z.string(),
  sourceUrls: z.array(z.string()),
  confidence: z.enum(['high', 'medium', 'low']),
  content: z.array(z.string()),
  riskOfHarmException: z.boolean(),
  notes: z.string(),
  status: z.enum(obligationStatuses),
  decision: decisionRecord.nullable(),
  history: z.array(decisionRecord),
});

export const notApplicable = z.object({
  key: z.string(),
  regime: z.string(),
  regimeName: z.string(),
  kind: z.enum(obligationKinds).nullable(),
  status: z.literal('not_applicable'),
  reasonCode: z.enum(notApplicableReasons),
  reason: z.string(),
  affected: z.number(),
  citation: z.string(),
  confidence: z.enum(['high', 'medium', 'low']),
});

export const obligationsReport = z.object({
  incidentId: z.string(),
  computedAt: z.string(),
  rulesVersion: z.string(),
  disclaimer: z.string(),
  /** Settings the computation used. */
  basis: z.object({
    timezone: z.string(),
    policyDays: z.number(),
    awareAt: z.string(),
    individualNoticeAt: z.string().nullable(),
    individualNoticeSource: z.enum(['sent', 'planned', 'none']),
    encryptedWithSafeKey: z.boolean(),
    lawEnforcementDelayUntil: z.string().nullable(),
    entity: z.object({
      hipaa: z.boolean(),
      sec: z.boolean(),
      nydfs: z.boolean(),
      ftc_safeguards: z.boolean(),
    }),
    people: z.number(),
    unknownJurisdiction: z.number(),
  }),
  obligations: z.array(obligation),
  notApplicable: z.array(notApplicable),
});

export const obligationKeyParams = z.object({
  id: z.uuid(),
  key: z
    .string()
    .max(100)
    .regex(
      /^[A-Z]{2}(-[A-Z0-9]{1,12})*:[a-z_]+(:[a-z0-9_]+)?$/,
      'An obligation key looks like US-CA:regulator.',
    ),
});

export const decideRequest = z
  .object({
    status: z.enum(obligationStatuses),
    reasons: z.string().trim().max(10_000).default(''),
    evidence: z.string().trim().max(2000).default(''),
  })
  .superRefine((v, ctx) => {
    if (v.status === 'not_required' && v.reasons.length < 10) {
      ctx.addIssue({
        code: 'custom',
        path: ['reasons'],
        message: 'Say why this notice is not required (at least 10 characters): this is the decision record.',
      });
    }
    if (v.status === 'done' && v.evidence.length < 3) {
      ctx.addIssue({
        code: 'custom',
        path: ['evidence'],
        message: 'Say what shows it was done (e.g. "emailed AG portal, confirmation 12345").',
      });
    }
  });

export const companyProfile = z.object({
  entity: z.object({ hipaa: z.boolean(), sec: z.boolean(), nydfs: z.boolean(), ftc_safeguards: z.boolean() }),
  /** Target for "without undue delay" and "most expedient time": days after awareness. */
  policyDays: z.number().int().min(1).max(365),
  /** IANA zone in which calendar and business days are counted. */
  timezone: z.string().min(1).max(64),
});

export const alert = z.object({
  incidentId: z.string(),
  incidentTitle: z.string(),
  obligationKey: z.string(),
  /** From the current rules; null if the rules no longer have the regime. */
  regimeName: z.string().nullable(),
  kind: z.enum(obligationKinds).nullable(),
  level: z.enum(['72h', '24h', 'overdue']),
  dueAt: z.string(),
  raisedAt: z.string(),
});
export const alertList = z.object({ alerts: z.array(alert) });

export const upcomingObligation = obligation.extend({ incidentId: z.string(), incidentTitle: z.string() });
export const upcomingList = z.object({ obligations: z.array(upcomingObligation), disclaimer: z.string() });

export type Obligation = z.infer<typeof obligation>;
export type NotApplicable = z.infer<typeof notApplicable>;
export type ObligationsReport = z.infer<typeof obligationsReport>;
export type DecideRequest = z.infer<typeof decideRequest>;
export type CompanyProfile = z.infer<typeof companyProfile>;
export type DecisionRecord = z.infer<typeof decisionRecord>;
export type Alert = z.infer<typeof alert>;
