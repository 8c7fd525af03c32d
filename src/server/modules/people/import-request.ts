import type { Actor } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import type { ImportProgress } from './import-progress.ts';
import type { InputEncoding, InputFormat } from './input/read-input.ts';
import type { Mapping } from './mapping.ts';

/** What an import is asked to do, and what it runs with (`import-runner.ts`, `import-finish.ts`). */
export type ImportSourceRequest =
  | { kind: 'file'; path: string }
  | { kind: 'upload'; path: string; sha256: Buffer; bytes: number };

export interface ImportRequest {
  incidentId: string;
  source: ImportSourceRequest;
  fileName: string;
  format?: InputFormat | undefined;
  encoding?: InputEncoding | undefined;
  mapping?: Mapping | undefined;
  defaultCountry?: string | undefined;
  /** Compare customer ids case-sensitively (see customer-id-rule.ts); left out, the incident's rule. */
  caseSensitiveIds?: boolean | undefined;

  actor: Actor;
  requestId?: string | undefined;
  onProgress?: (progress: ImportProgress) => void;
  /** Continue this unfinished import (its stored settings and checkpoint) instead of looking it up by content. */
  resumeImportId?: string;
  /** Called once the import has its id (a new one, the unfinished one it resumes, or the earlier duplicate). */
  onStarted?: (importId: string, isDuplicate: boolean) => void;
}

export type ImportDeps = Pick<PlatformContext, 'db' | 'crypto' | 'logger'> & {
  config?: Pick<PlatformContext['config'], 'CANDOR_IMPORT_THREADS' | 'CANDOR_IMPORT_THREADS_FROM'>;
};
