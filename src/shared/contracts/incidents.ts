import { z } from 'zod';

const instant = z.iso.datetime({ offset: true });

export const createIncidentRequest = z
  .object({
    title: z.string().trim().min(1).max(200),
    description: z.string().trim().max(10_000).optional(),
    awareAt: instant,
    occurredAt: instant.optional(),
    detectedAt: instant.optional(),
  })
  .superRefine((v, ctx) => {
    const now = Date.now() + 60_000;
    if (Date.parse(v.awareAt) > now) {
      ctx.addIssue({ code: 'custom', path: ['awareAt'], message: 'awareAt cannot be in the future.' });
    }
    if (v.detectedAt && v.occurredAt && Date.parse(v.detectedAt) < Date.parse(v.occurredAt)) {
      ctx.addIssue({
        code: 'custom',
        path: ['detectedAt'],
        message: 'detectedAt cannot be before occurredAt.',
      });
    }
  });

export const incidentSummary = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  awareAt: z.string(),
  occurredAt: z.string().nullable(),
  detectedAt: z.string().nullable(),
  isDemo: z.boolean(),
  createdAt: z.string(),
  people: z.number(),
});
export const incidentList = z.object({ incidents: z.array(incidentSummary) });

export type CreateIncidentRequest = z.infer<typeof createIncidentRequest>;
export type IncidentSummary = z.infer<typeof incidentSummary>;
