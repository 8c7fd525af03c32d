import type { Selectable } from 'kysely';
import type { ImportsTable } from '../../db/schema.ts';
import { type WarningCounts, warningCounts } from './import-warnings.ts';
import type { Mapping } from './mapping.ts';

/** What an import reports while it runs (the CLI's progress bar) and once it ends. */
export interface ImportProgress {
  phase: 'hashing' | 'parsing' | 'resolving' | 'done';
  detail?: string;
  line: number;
  accepted: number;
  rejected: number;
  /** Warnings on kept rows so far (all kinds). */
  warnings: number;
  bytesDone: number;
  bytesTotal: number;
  rowsPerSecond: number;
}

export interface ImportSummary {
  importId: string;
  rows: number;
  accepted: number;
  rejected: number;
  warnings: WarningCounts;
  people: number;
  newPeople: number;
  conflicts: number;
  isDuplicate: boolean;
  mapping: Mapping;
  unmapped: string[];
}

export function summaryOf(
  job: Selectable<ImportsTable>,
  unmapped: string[],
  isDuplicate: boolean,
): ImportSummary {
  const before = Number(job.people_before ?? 0);
  const after = Number(job.people_after ?? 0);
  return {
    importId: job.id,
    rows: isDuplicate ? 0 : Number(job.rows_total),
    accepted: isDuplicate ? 0 : Number(job.accepted),
    rejected: isDuplicate ? 0 : Number(job.rejected),
    warnings: isDuplicate ? { total: 0, byKind: {} } : warningCounts(job.warnings),
    people: after,
    newPeople: isDuplicate ? 0 : Math.max(0, after - before),
    conflicts: isDuplicate ? 0 : Number(job.conflicts_found ?? 0),
    isDuplicate,
    mapping: job.mapping as Mapping,
    unmapped,
  };
}

export interface ProgressReporter {
  update(partial: Partial<ImportProgress>): void;
}

export function progressReporter(
  onProgress: ((progress: ImportProgress) => void) | undefined,
  bytesTotal: number,
): ProgressReporter {
  const state: ImportProgress = {
    phase: 'hashing',
    line: 0,
    accepted: 0,
    rejected: 0,
    warnings: 0,
    bytesDone: 0,
    bytesTotal,
    rowsPerSecond: 0,
  };
  let startedAt = 0;
  let startRows = 0;
  return {
    update(partial) {
      if (partial.phase === 'parsing' && state.phase !== 'parsing') {
        startedAt = performance.now();
        startRows = (partial.accepted ?? 0) + (partial.rejected ?? 0);
      }
      Object.assign(state, partial);
      if (state.phase === 'parsing' && startedAt) {
        const seconds = (performance.now() - startedAt) / 1000;
        state.rowsPerSecond =
          seconds > 0 ? Math.round((state.accepted + state.rejected - startRows) / seconds) : 0;
      }
      onProgress?.({ ...state });
    },
  };
}
