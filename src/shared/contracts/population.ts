import { z } from 'zod';
import { categories, riskTiers } from '../taxonomy.ts';

/** Fields a column can be mapped to (the mapping file's vocabulary). */
export const identifierFields = [
  'customer_id',
  'email',
  'phone',
  'first_name',
  'last_name',
  'full_name',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
  'locale',
  'date_of_birth',
  'national_id',
] as const;
export type IdentifierField = (typeof identifierFields)[number];

export const fieldSpec = z.union([
  z.enum(identifierFields),
  z.enum(categories.map((c) => `category:${c}`) as [`category:${(typeof categories)[number]}`]),
  z.literal('ignore'),
]);
export const mapping = z.record(z.string().max(300), fieldSpec);

export const uploadResponse = z.object({
  uploadId: z.string(),
  fileName: z.string(),
  bytes: z.number(),
  preview: z.object({
    format: z.enum(['csv', 'jsonl']),
    isGzip: z.boolean(),
    headers: z.array(z.string()),
    /** The first rows, for the person checking the mapping (they uploaded them). */
    samples: z.array(z.record(z.string(), z.string())),
    mapping,
    reasons: z.record(z.string(), z.enum(['header', 'values', 'unmapped'])),
    unmapped: z.array(z.string()),
    errors: z.array(z.object({ line: z.number(), error: z.string() })),
  }),
});

export const startImportRequest = z
  .object({
    uploadId: z.uuid().optional(),
    /** A file under the server's import directory (for files too large to upload). */
    serverPath: z.string().trim().min(1).max(1000).optional(),
    format: z.enum(['csv', 'jsonl']).optional(),
    encoding: z.enum(['utf8', 'latin1']).optional(),
    mapping: mapping.optional(),
    defaultCountry: z
      .string()
      .trim()
      .regex(/^[A-Za-z]{2}$/, 'Use a two-letter ISO country code such as US or DE.')
      .transform((v) => v.toUpperCase())
      .optional(),
  })
  .refine((v) => (v.uploadId ? 1 : 0) + (v.serverPath ? 1 : 0) === 1, {
    message: 'Give either uploadId or serverPath.',
    path: ['uploadId'],
  });

export const importStatuses = ['pending', 'parsing', 'resolving', 'done', 'failed', 'duplicate'] as const;

export const importSummary = z.object({
  id: z.string(),
  incidentId: z.string(),
  fileName: z.string(),
  format: z.enum(['csv', 'jsonl']),
  status: z.enum(importStatuses),
  rows: z.number(),
  accepted: z.number(),
  rejected: z.number(),
  bytesDone: z.number(),
  bytesTotal: z.number(),
  rowsPerSecond: z.number(),
  peopleAfter: z.number().nullable(),
  newPeople: z.number().nullable(),
  conflicts: z.number().nullable(),
  error: z.string().nullable(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  mapping,
});
export const importList = z.object({ imports: z.array(importSummary) });
export const startImportResponse = z.object({ importId: z.string(), isDuplicate: z.boolean() });

export const importIssue = z.object({
  line: z.number(),
  severity: z.enum(['rejected', 'warning']),
  reason: z.string(),
  field: z.string().nullable(),
});
export const importIssuesQuery = z.object({
  severity: z.enum(['rejected', 'warning']).optional(),
  afterLine: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(1000).default(200),
});
export const importIssuesPage = z.object({
  issues: z.array(importIssue),
  nextAfterLine: z.number().nullable(),
});

const count = z.number();
export const peopleStats = z.object({
  people: count,
  records: count,
  rejected: count,
  conflicts: count,
  byCategory: z.partialRecord(z.enum(categories), count),
  byJurisdiction: z.record(z.string(), count),
  byRiskTier: z.object({ high: count, medium: count, low: count }),
  reachable: z.object({ email: count, phone: count, postal: count, none: count }),
});

export const findPeopleRequest = z.object({
  kind: z.enum(['email', 'phone', 'customer_id']),
  value: z.string().trim().min(1).max(320),
  defaultCountry: z
    .string()
    .trim()
    .regex(/^[A-Za-z]{2}$/)
    .transform((v) => v.toUpperCase())
    .optional(),
});

export const personSummary = z.object({
  id: z.string(),
  pn: z.number(),
  categories: z.array(z.enum(categories)),
  riskTier: z.enum(riskTiers),
  jurisdiction: z.string(),
  jurisdictionDisputed: z.boolean(),
  reachable: z.object({ email: z.boolean(), phone: z.boolean(), postal: z.boolean() }),
  records: z.number(),
});
export const personList = z.object({ people: z.array(personSummary) });
export const personDetail = personSummary.extend({
  identifiers: z.record(z.string(), z.array(z.string())),
  sources: z.array(
    z.object({
      importId: z.string(),
      fileName: z.string(),
      line: z.number(),
      categories: z.array(z.enum(categories)),
    }),
  ),
});
export const personParams = z.object({ id: z.uuid(), personId: z.uuid() });

const conflictSide = z.object({
  fileName: z.string(),
  line: z.number(),
  categories: z.array(z.enum(categories)),
});
export const conflictSummary = z.object({
  id: z.string(),
  shared: z.enum(['customer_id', 'national_id', 'email', 'phone']),
  differing: z.enum(['customer_id', 'national_id']),
  status: z.enum(['open', 'merged', 'kept_apart']),
  a: conflictSide,
  b: conflictSide,
  decidedBy: z.string().nullable(),
  decidedAt: z.string().nullable(),
});
export const conflictQuery = z.object({
  status: z.enum(['open', 'merged', 'kept_apart']).default('open'),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});
export const conflictList = z.object({ conflicts: z.array(conflictSummary), total: z.number() });
export const conflictDecisionRequest = z.object({ decision: z.enum(['merge', 'keep_apart']) });
export const demoResponse = z.object({
  incidentId: z.string(),
  people: z.number(),
  conflicts: z.number(),
  campaignId: z.string(),
  noticeSlug: z.string(),
});

export type UploadResponse = z.infer<typeof uploadResponse>;
export type ImportSummaryDto = z.infer<typeof importSummary>;
export type PeopleStatsDto = z.infer<typeof peopleStats>;
export type PersonSummaryDto = z.infer<typeof personSummary>;
export type PersonDetailDto = z.infer<typeof personDetail>;
export type ConflictSummaryDto = z.infer<typeof conflictSummary>;
export type ImportIssueDto = z.infer<typeof importIssue>;

/**
 * The people search's answer. A caller with `people:read_pii` gets the people matched; any other role gets
 * only whether someone matched (`isLimited`), what an unverified inbox thread shows: exposure is disclosed
 * through verification, never by searching an identifier.
 */
export const findPeopleResponse = personList.extend({ affected: z.boolean(), isLimited: z.boolean() });
export type FindPeopleResponseDto = z.infer<typeof findPeopleResponse>;
