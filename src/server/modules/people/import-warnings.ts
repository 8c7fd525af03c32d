import {
  type ImportWarningCountsDto,
  type ImportWarningKind,
  importWarningKinds,
} from '../../../shared/contracts/people.ts';

/**
 * Warnings on kept rows, counted per kind on the import (`imports.warnings`, moved with each batch's
 * checkpoint); the rows themselves and their reasons are in the import's issues.
 */
export type WarningCounts = ImportWarningCountsDto;

export const warningTotal = (byKind: Record<string, number>) =>
  Object.values(byKind).reduce((sum, n) => sum + Number(n), 0);

/** The import's stored counters as the API shows them (unknown kinds left out). */
export function warningCounts(stored: unknown): WarningCounts {
  const byKind: WarningCounts['byKind'] = {};
  for (const [kind, n] of Object.entries((stored ?? {}) as Record<string, number>)) {
    if ((importWarningKinds as readonly string[]).includes(kind) && Number(n) > 0)
      byKind[kind as ImportWarningKind] = Number(n);
  }
  return { total: warningTotal(byKind), byKind };
}
