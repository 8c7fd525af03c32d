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

/**
 * Warnings an import records on rows it keeps (with their line, in the import's issues), counted per kind
 * on the import. Stable codes: the console names them, the reasons in the issues explain them.
 */
export const importWarningKinds = [
  /** A quote inside an unquoted CSV field (`O"Neil`), taken literally. */
  'literal_quote',
  /** An internationalized email address (non-ASCII before the @): only a relay with SMTPUTF8 takes it. */
  'email_needs_smtputf8',
  'malformed_email',
  'malformed_phone',
  'malformed_national_id',
  'unknown_country',
  'unknown_region',
  /** A JSON key first seen after the preview, mapped by its name. */
  'new_key_mapped',
  /** A JSON key first seen after the preview that the mapping does not cover: not imported. */
  'new_key_unmapped',
] as const;
export type ImportWarningKind = (typeof importWarningKinds)[number];
export const importWarningCounts = z.object({
  total: z.number(),
  byKind: z.partialRecord(z.enum(importWarningKinds), z.number()),
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
    /**
     * Customer ids compare ignoring case and surrounding spaces unless this is true (for source systems
     * where `C9002` and `c9002` are two customers). Every import into one incident uses the same rule;
     * left out, an incident's later imports follow its first.
     */
    caseSensitiveIds: z.boolean().optional(),
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
  /** Warnings on kept rows, per kind (the rows and reasons are in the import's issues). */
  warnings: importWarningCounts,
  /** Whether customer ids were compared case-sensitively (the incident's rule). */
  caseSensitiveIds: z.boolean(),
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
  reachable: z.object({
    email: count,
    phone: count,
    postal: count,
    none: count,
    /**
     * Of `email`: people whose address has a non-ASCII local part (RFC 6531). They are sent email only
     * through a relay that supports SMTPUTF8; otherwise their delivery fails with "email needs SMTPUTF8"
     * and falls over to the next channel.
     */
    emailNeedsSmtpUtf8: count,
  }),
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

/** What a conflict card shows of a record to decide on it: masked in the list, whole once revealed. */
export const conflictIdentifiers = z.object({
  name: z.string().nullable(),
  email: z.string().nullable(),
  phone: z.string().nullable(),
  customerId: z.string().nullable(),
  nationalId: z.string().nullable(),
  dateOfBirth: z.string().nullable(),
  /** Region or country as imported (not masked: jurisdictions are shown everywhere). */
  place: z.string().nullable(),
});
const conflictSide = z.object({
  fileName: z.string(),
  line: z.number(),
  categories: z.array(z.enum(categories)),
  /** Masked identifiers, for roles with `people:read_pii` (the list read is audited); absent otherwise. */
  masked: conflictIdentifiers.optional(),
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
/**
 * An incident's re-resolution after conflict decisions, run in the background: 'none' until a decision asks
 * for one; while 'queued' or 'running' the console polls it; 'done' with the people it counted.
 */
export const peopleResolution = z.object({
  state: z.enum(['none', 'queued', 'running', 'done', 'failed']),
  /** What it is doing ('linking by email'…), or while queued what it waits for. */
  phase: z.string().max(200).nullable(),
  /** Decisions were taken while it runs: it runs once more when this run ends. */
  isFollowUpQueued: z.boolean(),
  requestedAt: z.string().nullable(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  /** People after the last run that finished. */
  people: z.number().nullable(),
  /** Why the last run failed, for staff (never a raw error). */
  error: z.string().max(500).nullable(),
});
export type PeopleResolutionDto = z.infer<typeof peopleResolution>;
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
export type ImportWarningCountsDto = z.infer<typeof importWarningCounts>;

/**
 * The people search's answer. A caller with `people:read_pii` gets the people matched; any other role gets
 * only whether someone matched (`isLimited`), what an unverified inbox thread shows: exposure is disclosed
 * through verification, never by searching an identifier.
 */
export const findPeopleResponse = personList.extend({ affected: z.boolean(), isLimited: z.boolean() });
export type FindPeopleResponseDto = z.infer<typeof findPeopleResponse>;

/** The affected-people list: filters, keyset paging by person number. */
export const reachFilters = ['email', 'phone', 'postal', 'none'] as const;
export const peopleListQuery = z.object({
  category: z.enum(categories).optional(),
  jurisdiction: z.string().trim().min(1).max(20).optional(),
  risk: z.enum(riskTiers).optional(),
  /** Reachable by this channel; `none`: by no channel. */
  reach: z.enum(reachFilters).optional(),
  /** Cursor: people with a greater person number (the previous page's `nextAfter`). */
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
export const listedPerson = personSummary.extend({
  /** Masked identifiers (`j•••@example.com`, `•••• 0142`); null for roles without `people:read_pii`. */
  masked: z.object({ email: z.string().nullable(), phone: z.string().nullable() }).nullable(),
});
export const peoplePage = z.object({
  people: z.array(listedPerson),
  nextAfter: z.number().nullable(),
  /** People matching the filters, counted on the first page only (null on later pages). */
  total: z.number().nullable(),
});
export type PeopleListQuery = z.input<typeof peopleListQuery>;
export type ListedPersonDto = z.infer<typeof listedPerson>;
export type PeoplePageDto = z.infer<typeof peoplePage>;

/** Both records of a conflict, unmasked: an audited read for `people:read_pii`, never cached. */
export const conflictReveal = z.object({ a: conflictIdentifiers, b: conflictIdentifiers });
export type ConflictIdentifiersDto = z.infer<typeof conflictIdentifiers>;
export type ConflictRevealDto = z.infer<typeof conflictReveal>;
