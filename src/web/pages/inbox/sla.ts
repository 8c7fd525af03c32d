import type { ThreadDsr, ThreadSla } from '../../../shared/contracts/inbox.ts';
import { formatDuration } from '../obligations/countdown.ts';

export type SlaTone = 'met' | 'ok' | 'due_soon' | 'breached' | 'none';

export interface SlaReading {
  text: string;
  tone: SlaTone;
}

const HOUR = 3_600_000;

/** "3 h 12 min" reads as "3 h" past an hour: the timer is for triage, not a stopwatch. */
function roughly(ms: number): string {
  const abs = Math.abs(ms);
  if (abs >= HOUR) return formatDuration(Math.floor(abs / HOUR) * HOUR).replace(/ 0 min$/, '');
  return formatDuration(abs).replace(/ \d+ s$/, '');
}

/**
 * The first-response timer as an agent reads it, at a given moment. The server's state can be up to a
 * refresh old, so a due time that passed since is shown as breached without waiting for it.
 */
export function readSla(sla: ThreadSla, now: number): SlaReading {
  if (sla.state === 'met') return { text: 'met', tone: 'met' };
  if (sla.state === 'none' || !sla.dueAt) return { text: 'no target', tone: 'none' };
  const left = Date.parse(sla.dueAt) - now;
  if (left <= 0) return { text: `breached ${roughly(left)} ago`, tone: 'breached' };
  return { text: `due in ${roughly(left)}`, tone: sla.state === 'due_soon' ? 'due_soon' : 'ok' };
}

export const slaColors: Record<SlaTone, string | undefined> = {
  met: 'teal.8',
  ok: undefined,
  due_soon: 'orange.8',
  breached: 'red.8',
  none: 'dimmed',
};

/** Whether a data request's legal deadline passed without it being completed. */
export function isDsrOverdue(dsr: ThreadDsr, now = Date.now()): boolean {
  return dsr.completedAt === null && Date.parse(dsr.dueAt) < now;
}
