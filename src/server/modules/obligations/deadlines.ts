import { DateTime, IANAZone } from 'luxon';

/**
 * Deadline arithmetic. Hours are exact elapsed time (72 hours across a DST change is still 72 hours).
 * Calendar and business days are counted on the company's calendar (an IANA zone): the deadline falls on
 * the same wall-clock time N days later, so a day across a DST change is 23 or 25 hours long. Business days
 * skip Saturdays and Sundays; public holidays are not counted (we say so wherever it matters).
 */
export function addHours(from: Date, hours: number): Date {
  return new Date(from.getTime() + hours * 3_600_000);
}

export function addCalendarDays(from: Date, days: number, zone: string): Date {
  return zoned(from, zone).plus({ days }).toJSDate();
}

export function addBusinessDays(from: Date, days: number, zone: string): Date {
  let at = zoned(from, zone);
  let left = days;
  while (left > 0) {
    at = at.plus({ days: 1 });
    if (at.weekday <= 5) left -= 1;
  }
  return at.toJSDate();
}

/** An IANA zone name ("Europe/Paris", "UTC"); not "local" or "system", which differ from host to host. */
export function isValidZone(zone: string): boolean {
  return IANAZone.isValidZone(zone);
}

/** "2026-03-08 09:00 America/New_York" style, for deadline explanations. */
export function formatInZone(at: Date, zone: string): string {
  return `${zoned(at, zone).toFormat('yyyy-LL-dd HH:mm')} ${zone}`;
}

function zoned(at: Date, zone: string): DateTime {
  if (!isValidZone(zone)) throw new Error(`"${zone}" is not an IANA time zone`);
  const value = DateTime.fromJSDate(at, { zone });
  return value;
}
