import { useSyncExternalStore } from 'react';

/**
 * One clock for every countdown on the page: a single interval ticks once a second while at least one
 * countdown is shown, and only the countdowns re-render.
 */
const listeners = new Set<() => void>();
let now = Date.now();
let timer: ReturnType<typeof setInterval> | undefined;

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  if (!timer) {
    now = Date.now();
    timer = setInterval(() => {
      now = Date.now();
      for (const notify of listeners) notify();
    }, 1000);
  }
  return () => {
    listeners.delete(listener);
    if (listeners.size === 0 && timer) {
      clearInterval(timer);
      timer = undefined;
    }
  };
}

export function useNow(): number {
  return useSyncExternalStore(
    subscribe,
    () => now,
    () => now,
  );
}

export type Urgency = 'overdue' | 'day' | 'soon' | 'later';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** "2 d 4 h", "5 h 12 min", "12 min 5 s": the two largest units of a duration. */
export function formatDuration(ms: number): string {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor((abs % DAY) / HOUR);
  const minutes = Math.floor((abs % HOUR) / MINUTE);
  const seconds = Math.floor((abs % MINUTE) / 1000);
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${minutes} min`;
  if (minutes > 0) return `${minutes} min ${seconds} s`;
  return `${seconds} s`;
}

export interface CountdownState {
  text: string;
  urgency: Urgency;
}

/** The countdown to a due time as a person reads it: "2 d 4 h left", "overdue by 3 h 10 min". */
export function countdown(dueAt: string, at: number): CountdownState {
  const left = Date.parse(dueAt) - at;
  if (left < 0) return { text: `overdue by ${formatDuration(left)}`, urgency: 'overdue' };
  return {
    text: `${formatDuration(left)} left`,
    urgency: left <= DAY ? 'day' : left <= 3 * DAY ? 'soon' : 'later',
  };
}

/** Red once overdue, orange within a day, dark yellow within three days (the theme's text shades: AA on white). */
export const urgencyColors: Record<Urgency, string | undefined> = {
  overdue: 'red',
  day: 'orange',
  soon: 'yellow',
  later: undefined,
};

export function isOverdue(dueAt: string | null, at = Date.now()): boolean {
  return dueAt !== null && Date.parse(dueAt) < at;
}
