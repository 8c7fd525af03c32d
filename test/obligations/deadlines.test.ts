import { describe, expect, it } from 'vitest';
import {
  addBusinessDays,
  addCalendarDays,
  addHours,
  formatInZone,
  isValidZone,
} from '../../src/server/modules/obligations/deadlines.ts';

const HOUR = 3_600_000;
const NY = 'America/New_York';
const at = (iso: string) => new Date(iso);

describe('hours are exact elapsed time', () => {
  it('72 hours across the spring DST change are 72 × 3600 s, so 13:00 local three days later', () => {
    // 2026-03-08 02:00 America/New_York jumps to 03:00: the local clock gains an hour.
    const from = at('2026-03-07T12:00:00-05:00');
    const due = addHours(from, 72);
    expect(due.getTime() - from.getTime()).toBe(72 * HOUR);
    expect(due.toISOString()).toBe('2026-03-10T17:00:00.000Z');
    expect(formatInZone(due, NY)).toBe('2026-03-10 13:00 America/New_York');
  });

  it('does not depend on a zone: 24 hours after a UTC instant is the next day, same minute', () => {
    expect(addHours(at('2026-06-30T23:30:00Z'), 24).toISOString()).toBe('2026-07-01T23:30:00.000Z');
  });
});

describe('calendar days keep the wall-clock time in the company zone', () => {
  it('one day across the spring change is 23 hours long', () => {
    const from = at('2026-03-07T12:00:00-05:00');
    const due = addCalendarDays(from, 1, NY);
    expect(formatInZone(due, NY)).toBe('2026-03-08 12:00 America/New_York');
    expect(due.getTime() - from.getTime()).toBe(23 * HOUR);
  });

  it('one day across the autumn change is 25 hours long', () => {
    // 2026-11-01 02:00 EDT falls back to 01:00 EST.
    const from = at('2026-10-31T12:00:00-04:00');
    const due = addCalendarDays(from, 1, NY);
    expect(formatInZone(due, NY)).toBe('2026-11-01 12:00 America/New_York');
    expect(due.getTime() - from.getTime()).toBe(25 * HOUR);
  });

  it('15 days spanning the change are 15 × 24 − 1 hours', () => {
    const from = at('2026-03-01T09:00:00-05:00');
    const due = addCalendarDays(from, 15, NY);
    expect(formatInZone(due, NY)).toBe('2026-03-16 09:00 America/New_York');
    expect(due.getTime() - from.getTime()).toBe((15 * 24 - 1) * HOUR);
  });

  it('in UTC a day is always 24 hours', () => {
    const from = at('2026-03-07T12:00:00Z');
    expect(addCalendarDays(from, 3, 'UTC').getTime() - from.getTime()).toBe(72 * HOUR);
  });
});

describe('business days skip Saturdays and Sundays', () => {
  it('Friday + 1 is Monday (same time of day)', () => {
    const due = addBusinessDays(at('2026-03-06T10:00:00Z'), 1, 'UTC');
    expect(due.toISOString()).toBe('2026-03-09T10:00:00.000Z');
  });

  it('Saturday + 1 is Monday', () => {
    expect(addBusinessDays(at('2026-03-07T10:00:00Z'), 1, 'UTC').toISOString()).toBe(
      '2026-03-09T10:00:00.000Z',
    );
  });

  it('Sunday + 1 is Monday', () => {
    expect(addBusinessDays(at('2026-03-08T10:00:00Z'), 1, 'UTC').toISOString()).toBe(
      '2026-03-09T10:00:00.000Z',
    );
  });

  it('Wednesday + 5 is the next Wednesday', () => {
    expect(addBusinessDays(at('2026-03-04T10:00:00Z'), 5, 'UTC').toISOString()).toBe(
      '2026-03-11T10:00:00.000Z',
    );
  });

  it('Thursday + 4 (the SEC 8-K period) is the next Wednesday', () => {
    expect(addBusinessDays(at('2026-03-05T16:00:00Z'), 4, 'UTC').toISOString()).toBe(
      '2026-03-11T16:00:00.000Z',
    );
  });

  it('counts the weekday in the company zone, not in UTC', () => {
    // Friday 23:00 in New York is already Saturday 04:00 UTC.
    const fridayNight = at('2026-02-27T23:00:00-05:00');
    expect(formatInZone(addBusinessDays(fridayNight, 1, NY), NY)).toBe('2026-03-02 23:00 America/New_York');
    // Counted in UTC, the same instant is a Saturday: + 1 business day is Monday 04:00 UTC, a day earlier
    // on the New York calendar.
    expect(addBusinessDays(fridayNight, 1, 'UTC').toISOString()).toBe('2026-03-02T04:00:00.000Z');
  });

  it('keeps the wall-clock time across the DST change (Friday 10:00 EST + 1 = Monday 10:00 EDT)', () => {
    const due = addBusinessDays(at('2026-03-06T10:00:00-05:00'), 1, NY);
    expect(due.toISOString()).toBe('2026-03-09T14:00:00.000Z');
  });
});

describe('zones', () => {
  it('accepts IANA names and refuses made-up ones', () => {
    expect(isValidZone('Europe/Paris')).toBe(true);
    expect(isValidZone(NY)).toBe(true);
    expect(isValidZone('UTC')).toBe(true);
    expect(isValidZone('Mars/Olympus_Mons')).toBe(false);
    expect(isValidZone('')).toBe(false);
  });

  it('refuses "local" and "system": they mean the server process’s zone, which differs between hosts', () => {
    // A company calendar must not move when the worker runs on a machine with another TZ.
    expect(isValidZone('local')).toBe(false);
    expect(isValidZone('system')).toBe(false);
  });

  it('an unknown zone makes day arithmetic throw, naming the zone', () => {
    expect(() => addCalendarDays(at('2026-03-07T12:00:00Z'), 1, 'Mars/Olympus_Mons')).toThrow(
      /Mars\/Olympus_Mons/,
    );
    expect(() => addBusinessDays(at('2026-03-07T12:00:00Z'), 1, 'Mars/Olympus_Mons')).toThrow(
      /Mars\/Olympus_Mons/,
    );
  });
});
