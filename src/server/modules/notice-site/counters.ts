import { sql } from 'kysely';
import type { Db } from '../../db/database.ts';
import type { Logger } from '../../platform/logging/logger.ts';

/**
 * What staff see of the public's use of the site: counts per UTC day and metric, never who. Counted in
 * memory and written once a second in one statement, so a surge of lookups does not queue on the same
 * counter row (a crash loses at most a second of counts, never a request).
 */
export const metrics = [
  'lookups',
  'answeredAffected',
  'answeredUnaffected',
  'answersThrottled',
  'verifyGenuine',
  'verifyUnknown',
  'personalViews',
  'contacts',
  'subscribed',
  'rateLimited',
] as const;
export type Metric = (typeof metrics)[number];

const FLUSH_MS = 1_000;

export function createCounters(db: Db, logger: Logger) {
  let pending = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let flushing: Promise<void> = Promise.resolve();

  async function write(batch: Map<string, number>): Promise<void> {
    if (batch.size === 0) return;
    const rows = [...batch].map(([key, n]) => {
      const [incidentId, day, metric] = key.split('|') as [string, string, string];
      return sql`(${incidentId}::uuid, ${day}::date, ${metric}, ${n})`;
    });
    await sql`
      INSERT INTO notice_counters (incident_id, day, metric, n) VALUES ${sql.join(rows)}
      ON CONFLICT (incident_id, day, metric) DO UPDATE SET n = notice_counters.n + EXCLUDED.n`.execute(db);
  }

  function flush(): Promise<void> {
    if (timer) {
      clearTimeout(timer);
      timer = null;
    }
    const batch = pending;
    pending = new Map();
    flushing = flushing
      .then(() => write(batch))
      .catch((error: unknown) => {
        logger.warn({ err: error }, 'could not record notice site counts; keeping them for the next write');
        for (const [key, n] of batch) pending.set(key, (pending.get(key) ?? 0) + n);
      });
    return flushing;
  }

  return {
    add(incidentId: string, metric: Metric, n = 1): void {
      const key = `${incidentId}|${new Date().toISOString().slice(0, 10)}|${metric}`;
      pending.set(key, (pending.get(key) ?? 0) + n);
      if (!timer) {
        timer = setTimeout(() => void flush(), FLUSH_MS);
        timer.unref();
      }
    },
    /** Writes what was counted so far (staff reading the counts, shutdown). */
    flush,
  };
}
export type Counters = ReturnType<typeof createCounters>;
