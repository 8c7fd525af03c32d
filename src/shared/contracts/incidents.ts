import { z } from 'zod';
import { categories } from '../taxonomy.ts';

const instant = z.iso.datetime({ offset: true });

export const incidentStatuses = [
  'suspected',
  'investigating',
  'confirmed',
  'contained',
  'notifying',
  'monitoring',
  'closed',
] as const;
export type IncidentStatus = (typeof incidentStatuses)[number];

/**
 * The lifecycle's allowed moves. Forward one step, skipping containment when notices start first, closing
 * a false alarm early, and reopening a closed incident.
 */
export const statusTransitions: Record<IncidentStatus, readonly IncidentStatus[]> = {
  suspected: ['investigating', 'closed'],
  investigating: ['confirmed', 'closed'],
  confirmed: ['contained', 'notifying'],
  contained: ['notifying', 'monitoring'],
  notifying: ['contained', 'monitoring'],
  monitoring: ['closed'],
  closed: ['investigating'],
};

export const incidentCauses = [
  'phishing',
  'misconfiguration',
  'ransomware',
  'malware',
  'credential_stuffing',
  'vendor',
  'insider',
  'lost_device',
  'other',
] as const;
export const incidentSeverities = ['low', 'medium', 'high', 'critical'] as const;
export const entityKinds = ['hipaa', 'sec', 'nydfs', 'ftc_safeguards'] as const;
export type EntityKind = (typeof entityKinds)[number];

/** The key times of an incident, in the order the lifecycle meets them. */
export const keyTimes = [
  'occurredAt',
  'occurredUntil',
  'detectedAt',
  'awareAt',
  'containedAt',
  'plannedNoticeAt',
  'firstNoticeAt',
  'closedAt',
] as const;
export type KeyTime = (typeof keyTimes)[number];

export const keyTimeLabels: Record<KeyTime, string> = {
  occurredAt: 'Occurred (start)',
  occurredUntil: 'Occurred (end)',
  detectedAt: 'Detected (first signal)',
  awareAt: 'Aware (legal awareness)',
  containedAt: 'Contained',
  plannedNoticeAt: 'Individual notice planned',
  firstNoticeAt: 'First individual notice sent',
  closedAt: 'Closed',
};

type Times = Partial<Record<KeyTime, string | null | undefined>>;

/**
 * Times that cannot be true together, each message naming both fields. Used by the API, the CLI and the
 * console so the same words reach everyone.
 */
export function keyTimeProblems(t: Times, now = Date.now()): Array<{ path: KeyTime; message: string }> {
  const at = (k: KeyTime) => (t[k] ? Date.parse(t[k]!) : undefined);
  const problems: Array<{ path: KeyTime; message: string }> = [];
  const order = (later: KeyTime, earlier: KeyTime) => {
    const a = at(later);
    const b = at(earlier);
    if (a !== undefined && b !== undefined && a < b) {
      problems.push({
        path: later,
        message: `${keyTimeLabels[later]} (${t[later]}) cannot be before ${keyTimeLabels[earlier].toLowerCase()} (${t[earlier]}).`,
      });
    }
  };
  order('occurredUntil', 'occurredAt');
  order('detectedAt', 'occurredAt');
  order('awareAt', 'occurredAt');
  order('containedAt', 'detectedAt');
  order('containedAt', 'occurredAt');
  order('firstNoticeAt', 'occurredAt');
  order('firstNoticeAt', 'awareAt');
  order('closedAt', 'awareAt');
  for (const k of [
    'occurredAt',
    'occurredUntil',
    'detectedAt',
    'awareAt',
    'containedAt',
    'firstNoticeAt',
  ] as const) {
    const value = at(k);
    if (value !== undefined && value > now + 60_000) {
      problems.push({ path: k, message: `${keyTimeLabels[k]} (${t[k]}) cannot be in the future.` });
    }
  }
  return problems;
}

const entityFlags = z.object({
  hipaa: z.boolean().nullable(),
  sec: z.boolean().nullable(),
  nydfs: z.boolean().nullable(),
  ftc_safeguards: z.boolean().nullable(),
});

/**
 * What affected people read as the incident's name, per language: never the internal title (which may say
 * "Demo", "synthetic" or a system's name). Without one, people read the neutral default in their language.
 */
export const publicTitleLocales = ['en', 'es'] as const;
export type PublicTitleLocale = (typeof publicTitleLocales)[number];
export const neutralPublicTitle: Record<PublicTitleLocale, string> = {
  en: 'Data security incident',
  es: 'Incidente de seguridad de datos',
};
export const publicTitleSchema = z
  .object({ en: z.string().trim().max(200).optional(), es: z.string().trim().max(200).optional() })
  .strict();
export type PublicTitle = z.infer<typeof publicTitleSchema>;

/** The title a person reading in `locale` sees: the incident's own in that language, else the neutral one. */
export function publicTitleFor(publicTitle: PublicTitle | null | undefined, locale: string): string {
  const l: PublicTitleLocale = locale.startsWith('es') ? 'es' : 'en';
  return publicTitle?.[l]?.trim() || neutralPublicTitle[l];
}

const details = {
  description: z.string().trim().max(10_000),
  cause: z.enum(incidentCauses).nullable(),
  severity: z.enum(incidentSeverities),
  systemsAffected: z.array(z.string().trim().min(1).max(200)).max(100),
  categoriesEntered: z.array(z.enum(categories)),
  encryptedWithSafeKey: z.boolean(),
  lawEnforcementDelay: z.boolean(),
  lawEnforcementDelayUntil: instant.nullable(),
  entity: entityFlags.partial(),
};

export const createIncidentRequest = z
  .object({
    title: z.string().trim().min(1).max(200),
    publicTitle: publicTitleSchema.optional(),
    description: details.description.optional(),
    awareAt: instant,
    occurredAt: instant.optional(),
    occurredUntil: instant.optional(),
    detectedAt: instant.optional(),
    status: z.enum(incidentStatuses).exclude(['closed']).optional(),
    cause: details.cause.optional(),
    severity: details.severity.optional(),
    systemsAffected: details.systemsAffected.optional(),
    categoriesEntered: details.categoriesEntered.optional(),
    encryptedWithSafeKey: details.encryptedWithSafeKey.optional(),
  })
  .superRefine((v, ctx) => {
    for (const p of keyTimeProblems(v)) ctx.addIssue({ code: 'custom', path: [p.path], message: p.message });
  });

/** Edits to the descriptive fields (not the key times, which need a reason: see `setKeyTimesRequest`). */
export const updateIncidentRequest = z
  .object({
    title: z.string().trim().min(1).max(200),
    publicTitle: publicTitleSchema,
    ...details,
  })
  .partial()
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');

export const setKeyTimesRequest = z.object({
  times: z
    .object(
      Object.fromEntries(keyTimes.filter((k) => k !== 'closedAt').map((k) => [k, instant.nullable()])) as {
        [K in Exclude<KeyTime, 'closedAt'>]: z.ZodNullable<typeof instant>;
      },
    )
    .partial()
    .refine((v) => Object.keys(v).length > 0, 'Send at least one key time to change.'),
  reason: z.string().trim().min(3, 'Say why the time changes (at least 3 characters).').max(2000),
});

export const transitionRequest = z.object({
  to: z.enum(incidentStatuses),
  note: z.string().trim().max(2000).optional(),
});

export const incidentSummary = z.object({
  id: z.string(),
  title: z.string(),
  /** As set (empty: people read `neutralPublicTitle`). */
  publicTitle: publicTitleSchema,
  description: z.string(),
  status: z.enum(incidentStatuses),
  severity: z.enum(incidentSeverities),
  awareAt: z.string(),
  occurredAt: z.string().nullable(),
  detectedAt: z.string().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  people: z.number(),
});
export const incidentList = z.object({ incidents: z.array(incidentSummary) });

export const incidentMetrics = z.object({
  /** Days, or null when a time is missing. */
  identifyDays: z.number().nullable(),
  containDays: z.number().nullable(),
  notifyDays: z.number().nullable(),
});

export const incidentDetail = incidentSummary.extend({
  cause: details.cause,
  systemsAffected: z.array(z.string()),
  /** What leaked: from the people data when present, else as entered. */
  categories: z.array(z.enum(categories)),
  categoriesSource: z.enum(['people', 'entered']),
  categoriesEntered: z.array(z.enum(categories)),
  encryptedWithSafeKey: z.boolean(),
  lawEnforcementDelay: z.boolean(),
  lawEnforcementDelayUntil: z.string().nullable(),
  times: z.object(
    Object.fromEntries(keyTimes.map((k) => [k, z.string().nullable()])) as {
      [K in KeyTime]: z.ZodNullable<z.ZodString>;
    },
  ),
  /** As set on the incident (null: the company profile decides) and as in effect. */
  entity: entityFlags,
  entityEffective: z.object({
    hipaa: z.boolean(),
    sec: z.boolean(),
    nydfs: z.boolean(),
    ftc_safeguards: z.boolean(),
  }),
  /** The company profile's flags, which apply where the incident sets none. */
  entityDefault: z.object({
    hipaa: z.boolean(),
    sec: z.boolean(),
    nydfs: z.boolean(),
    ftc_safeguards: z.boolean(),
  }),
  owners: z.array(z.object({ id: z.string(), email: z.string() })),
  nextStatuses: z.array(z.enum(incidentStatuses)),
  metrics: incidentMetrics,
});

export const timelineEvent = z.object({
  id: z.string(),
  at: z.string(),
  kind: z.string(),
  actor: z.string(),
  summary: z.string(),
  details: z.record(z.string(), z.unknown()),
});
export const timelineResponse = z.object({ events: z.array(timelineEvent) });
export const addNoteRequest = z.object({ text: z.string().trim().min(1).max(5000) });

export const taskStatuses = ['open', 'in_progress', 'done', 'cancelled'] as const;
export const task = z.object({
  id: z.string(),
  title: z.string(),
  ownerId: z.string().nullable(),
  ownerEmail: z.string().nullable(),
  dueAt: z.string().nullable(),
  status: z.enum(taskStatuses),
  obligationKey: z.string().nullable(),
  createdAt: z.string(),
  doneAt: z.string().nullable(),
});
export const taskList = z.object({ tasks: z.array(task) });
export const createTaskRequest = z.object({
  title: z.string().trim().min(1).max(300),
  ownerId: z.uuid().nullable().optional(),
  dueAt: instant.nullable().optional(),
  obligationKey: z.string().max(100).nullable().optional(),
});
export const updateTaskRequest = createTaskRequest
  .partial()
  .extend({ status: z.enum(taskStatuses).optional() })
  .refine((v) => Object.keys(v).length > 0, 'Send at least one field to change.');
export const taskParams = z.object({ id: z.uuid(), taskId: z.uuid() });

export const ownersRequest = z.object({ userIds: z.array(z.uuid()).max(50) });

/** Reference figures: mean days to identify and to contain a breach (IBM / Ponemon, 2018). */
export const referenceTimings = {
  identifyDays: 196,
  containDays: 69,
  source: 'IBM / Ponemon Cost of a Data Breach, 2018',
};

export const metricsOverview = z.object({
  reference: z.object({ identifyDays: z.number(), containDays: z.number(), source: z.string() }),
  companyAverage: incidentMetrics.extend({ incidents: z.number() }),
  incidents: z.array(incidentMetrics.extend({ id: z.string(), title: z.string(), awareAt: z.string() })),
});

export type CreateIncidentRequest = z.infer<typeof createIncidentRequest>;
export type UpdateIncidentRequest = z.infer<typeof updateIncidentRequest>;
export type SetKeyTimesRequest = z.infer<typeof setKeyTimesRequest>;
export type IncidentSummary = z.infer<typeof incidentSummary>;
export type IncidentDetail = z.infer<typeof incidentDetail>;
export type IncidentMetrics = z.infer<typeof incidentMetrics>;
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type Task = z.infer<typeof task>;
export type CreateTaskRequest = z.infer<typeof createTaskRequest>;
export type UpdateTaskRequest = z.infer<typeof updateTaskRequest>;
export type MetricsOverview = z.infer<typeof metricsOverview>;
