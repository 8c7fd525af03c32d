import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { copyBytea, copyText } from './copy.ts';
import type { InputRow } from './input/read-input.ts';
import type { Mapping } from './mapping.ts';
import {
  type BuiltRecord,
  compileMapping,
  createRecordBuilder,
  type RecordBuilder,
  type RowIssue,
} from './record-builder.ts';

/**
 * Turns a chunk of input rows into COPY lines and issues: the CPU-heavy middle of an import (normalizing,
 * hashing, sealing), run in the import's thread or in worker threads (build-pool.ts) with the same code.
 */
export interface ChunkContext {
  incidentId: string;
  importId: string;
  rnBase: number;
  defaultCountry: string | null;
  /** The incident's rule for comparing customer ids (see customerIdKey). */
  caseSensitiveIds: boolean;
}

export interface ChunkResult {
  /** COPY text of the accepted records, one newline-terminated line each (one string: cheap to pass between threads). */
  records: string;
  issues: Array<{ line: number; issue: RowIssue }>;
  accepted: number;
  rejected: number;
}

export function createChunkBuilder(context: ChunkContext, crypto: Pick<PiiCrypto, 'encrypt' | 'blindIndex'>) {
  let builder: RecordBuilder | undefined;
  let headerCount = -1;
  return (headers: string[], mapping: Mapping, rows: InputRow[]): ChunkResult => {
    if (headers.length !== headerCount) {
      // JSON lines may add keys as they go (and the mapping with them): recompile so a mapped one is read.
      builder = createRecordBuilder(compileMapping(headers, mapping), crypto as PiiCrypto, {
        defaultCountry: context.defaultCountry,
        caseSensitiveIds: context.caseSensitiveIds,
      });
      headerCount = headers.length;
    }
    const result: ChunkResult = { records: '', issues: [], accepted: 0, rejected: 0 };
    const lines: string[] = [];
    for (const row of rows) {
      if (row.error || !row.values) {
        result.rejected++;
        result.issues.push({
          line: row.line,
          issue: { severity: 'rejected', reason: row.error ?? 'unreadable row', field: null },
        });
        continue;
      }
      const built = builder!.build(row.values);
      if ('rejection' in built) {
        result.rejected++;
        result.issues.push({ line: row.line, issue: built.rejection });
        continue;
      }
      result.accepted++;
      lines.push(recordLine(context, row.line, built.record));
      for (const warning of row.warnings ?? []) result.issues.push({ line: row.line, issue: warning });
      for (const warning of built.warnings) result.issues.push({ line: row.line, issue: warning });
    }
    result.records = lines.length > 0 ? `${lines.join('\n')}\n` : '';
    return result;
  };
}

function recordLine(context: ChunkContext, line: number, r: BuiltRecord): string {
  // One template rather than an array joined: this runs once per record.
  return `${context.incidentId}\t${context.rnBase + line}\t${context.importId}\t${line}\t${copyBytea(r.customerIdx)}\t${copyBytea(r.nationalIdx)}\t${copyBytea(r.emailIdx)}\t${copyBytea(r.phoneIdx)}\t${r.categories}\t${copyText(r.country)}\t${copyText(r.region)}\t${copyText(r.locale)}\t${r.hasEmail ? 't' : 'f'}\t${r.hasPhone ? 't' : 'f'}\t${r.hasPostal ? 't' : 'f'}\t${copyBytea(r.payload)}\t${r.isEmailSmtpUtf8 ? 't' : 'f'}`;
}
