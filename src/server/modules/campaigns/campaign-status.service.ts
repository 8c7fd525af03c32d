import type { Channel, StateCounts } from '../../../shared/contracts/campaigns.ts';
import type { Executor } from '../../db/database.ts';
import { notFound } from '../../platform/errors.ts';
import { deliveryProgress } from '../outbound/index.ts';
import { campaignState } from './campaigns.repository.ts';

/**
 * A started campaign's progress: how far the preparation of its rows got, deliveries per state and channel,
 * throughput, time left, recent errors.
 */

const emptyCounts = (): StateCounts => ({
  pending: 0,
  claimed: 0,
  sent: 0,
  delivered: 0,
  bounced: 0,
  failed: 0,
  suppressed: 0,
  fellBack: 0,
});

export function addCount(counts: StateCounts, state: string, n: number) {
  const key = (state === 'fell_back' ? 'fellBack' : state) as keyof StateCounts;
  counts[key] += n;
}

/**
 * People whose rows exist of those the incident had at the start (an import during the preparation may
 * add some, so the total never shows below what is prepared); null before the start.
 */
function preparationOf(row: NonNullable<Awaited<ReturnType<typeof campaignState>>>) {
  if (!row.started_at) return null;
  const prepared = row.prepared_people;
  return {
    prepared,
    total: Math.max(prepared, row.prepare_total ?? 0),
    isDone: row.prepared_at !== null,
  };
}

export async function campaignStatus(db: Executor, campaignId: string) {
  const row = await campaignState(db, campaignId);
  if (!row) throw notFound('A campaign with this id');
  const progress = await deliveryProgress(db, row.incident_id, campaignId);
  const byState = emptyCounts();
  const byChannel: Record<Channel | string, StateCounts> = {};
  let people = 0;
  for (const c of progress.counts) {
    addCount(byState, c.state, c.n);
    byChannel[c.channel] ??= emptyCounts();
    addCount(byChannel[c.channel]!, c.state, c.n);
    if (c.state !== 'fell_back') people += c.n;
  }
  const perMinute = Math.round(progress.sentLastFiveMinutes / 5);
  const remaining = byState.pending + byState.claimed;
  return {
    state: row.status,
    total: people,
    byState,
    byChannel,
    throughputPerMinute: perMinute,
    etaSeconds: remaining === 0 ? 0 : perMinute > 0 ? Math.round((remaining / perMinute) * 60) : null,
    pausedReason: row.paused_reason,
    recentErrors: progress.errors,
    preparation: preparationOf(row),
  };
}
