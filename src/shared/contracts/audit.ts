import { z } from 'zod';

export const auditOutcomes = ['success', 'failure', 'denied'] as const;
export const actorTypes = ['user', 'api_token', 'cli', 'system', 'anonymous'] as const;

export const auditQuery = z.object({
  action: z.string().trim().max(100).optional(),
  actorId: z.string().trim().max(100).optional(),
  targetType: z.string().trim().max(60).optional(),
  targetId: z.string().trim().max(100).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  from: z.string().datetime({ offset: true }).optional(),
  to: z.string().datetime({ offset: true }).optional(),
  /** Cursor: entries with a smaller sequence number than this. */
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditEntry = z.object({
  seq: z.number(),
  at: z.string(),
  actorType: z.enum(actorTypes),
  actorId: z.string().nullable(),
  actorLabel: z.string(),
  /** A staff actor's current name (display name, else email); the label stays as recorded. */
  actorName: z.string().nullable().optional(),
  action: z.string(),
  targetType: z.string().nullable(),
  targetId: z.string().nullable(),
  requestId: z.string().nullable(),
  outcome: z.enum(auditOutcomes),
  details: z.record(z.string(), z.unknown()),
  hash: z.string(),
});
export const auditPage = z.object({ entries: z.array(auditEntry), nextBefore: z.number().nullable() });

export const auditVerifyResponse = z.object({
  ok: z.boolean(),
  entries: z.number(),
  headSeq: z.number().optional(),
  headHash: z.string().optional(),
  badSeq: z.number().optional(),
  reason: z.string().optional(),
});

export type AuditQuery = z.input<typeof auditQuery>;
export type AuditEntryDto = z.infer<typeof auditEntry>;
