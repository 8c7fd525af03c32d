import type { Executor } from '../../db/database.ts';
import { AppError } from '../../platform/errors.ts';

/**
 * How an incident compares customer ids: ignoring case (the default: `C9002` and `c9002` are one customer,
 * as exports from different systems spell them) or case-sensitively, for source systems that tell them
 * apart. Blind indexes are made under the rule, so one incident has one rule: its first import sets it,
 * later imports follow it, and an import that asks for the other rule is refused.
 */
export async function incidentCaseRule(db: Executor, incidentId: string): Promise<boolean | null> {
  const row = await db
    .selectFrom('imports')
    .select('case_sensitive_ids')
    .where('incident_id', '=', incidentId)
    .where('status', '!=', 'failed')
    .orderBy('created_at')
    .limit(1)
    .executeTakeFirst();
  return row ? row.case_sensitive_ids : null;
}

/** The rule a new import uses: the incident's, or the one asked for when the incident has none yet. */
export async function caseRuleForImport(
  db: Executor,
  incidentId: string,
  requested: boolean | undefined,
): Promise<boolean> {
  const current = await incidentCaseRule(db, incidentId);
  if (current === null) return requested ?? false;
  if (requested !== undefined && requested !== current) {
    const rule = (isSensitive: boolean) => (isSensitive ? 'case-sensitively' : 'ignoring case');
    throw new AppError(
      'conflict',
      `This incident's earlier imports compare customer ids ${rule(current)}, and all imports into one incident must use the same rule (this one asks to compare them ${rule(requested)}). ` +
        `Import it ${current ? 'with caseSensitiveIds: true (CLI: --case-sensitive-ids)' : 'without caseSensitiveIds (CLI: without --case-sensitive-ids)'}, or into a new incident.`,
    );
  }
  return current;
}
