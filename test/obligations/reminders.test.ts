import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createObligationsModule } from '../../src/server/modules/obligations/index.ts';
import { createStaffMailer } from '../../src/server/modules/outbound/index.ts';
import type { StaffMailer } from '../../src/server/platform/mail/staff-mailer.ts';
import type { Alert } from '../../src/shared/contracts/obligations.ts';
import { type Client, clientFor, createIncident, ok, timelineOf } from '../incidents/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import { obligation, regime, rulesOf } from './fixtures.ts';
import { csv, importPeople, peopleHeader, peopleMapping } from './helpers.ts';

/**
 * Deadline reminders against a real SMTP listener. The rules are a fixture (one regime, one 72-hour notice)
 * so each run raises exactly the alerts a test expects. `now` is chosen per run; every scenario closes its
 * incident at the end, and the reminders skip closed incidents.
 */
const HOUR = 3_600_000;

interface Received {
  to: string[];
  subject: string;
  text: string;
}

/** Unfolds headers and decodes MIME encoded words and quoted-printable, enough to read what was sent. */
function readMessage(raw: string, to: string[]): Received {
  const [head = '', ...rest] = raw.split(/\r?\n\r?\n/);
  const headers = head.replace(/\r?\n[ \t]+/g, ' ').replace(/\?=\s+=\?/g, '?==?');
  const words = (value: string) =>
    value.replace(/=\?utf-8\?([qb])\?([^?]*)\?=/gi, (_, enc: string, data: string) =>
      enc.toLowerCase() === 'b' ? Buffer.from(data, 'base64').toString('utf8') : qp(data.replace(/_/g, ' ')),
    );
  const subject = words(/^subject: (.*)$/im.exec(headers)?.[1] ?? '');
  return { to, subject, text: qp(rest.join('\n\n')) };
}

function qp(value: string): string {
  const bytes = value
    .replace(/=\r?\n/g, '')
    .replace(/=([0-9A-F]{2})/gi, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
  return Buffer.from(bytes, 'latin1').toString('utf8');
}

const received: Received[] = [];
let isRejecting = false;
const smtp = new SMTPServer({
  authOptional: true,
  disabledCommands: ['STARTTLS'],
  logger: false,
  onData(stream, session, callback) {
    const chunks: Buffer[] = [];
    stream.on('data', (chunk: Buffer) => chunks.push(chunk));
    stream.on('end', () => {
      if (isRejecting) {
        callback(Object.assign(new Error('Mailbox temporarily unavailable'), { responseCode: 451 }));
        return;
      }
      const to = session.envelope.rcptTo.map((r) => r.address).sort();
      received.push(readMessage(Buffer.concat(chunks).toString('utf8'), to));
      callback();
    });
  },
});

const rules = rulesOf(
  regime('FR', {
    personalInformation: { clauses: [{ any: ['email', 'name'], text: 'any personal data' }] },
    obligations: [obligation('regulator', { deadline: { kind: 'hours', value: 72, from: 'aware' } })],
  }),
);
const key = 'FR:regulator';
const victims = csv(
  peopleHeader,
  'amelie.victim@example.com,Amélie Poulain,,,,FR,',
  'zoe.victim@example.com,Zoé Lefèvre,,,,FR,',
);

let t: TestApp;
let owner: SignedInUser;
let coOwner: SignedInUser;
let client: Client;
let mailer: StaffMailer;
let obligations: ReturnType<typeof createObligationsModule>;

beforeAll(async () => {
  await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
  const port = (smtp.server.address() as AddressInfo).port;
  t = await createTestApp();
  owner = await createSignedInUser(t, 'responder', 'owner@example.test');
  coOwner = await createSignedInUser(t, 'legal', 'co-owner@example.test');
  await createSignedInUser(t, 'admin', 'admin@example.test');
  client = clientFor(t, owner);
  mailer = createStaffMailer(
    { SMTP_URL: `smtp://127.0.0.1:${port}`, CANDOR_MAIL_FROM: 'Candor <candor@example.test>' },
    t.ctx.db,
  );
  obligations = createObligationsModule(t.ctx, rules);
});
afterAll(async () => {
  mailer.close();
  await t.close();
  await new Promise<void>((resolve) => smtp.close(() => resolve()));
});

/** An open incident, aware `hoursAgo` hours ago, with two French people in it; returns its id and due time. */
async function incidentDue(title: string, hoursAgo: number): Promise<{ id: string; due: number }> {
  const awareAt = new Date(Date.now() - hoursAgo * HOUR);
  awareAt.setUTCMilliseconds(0);
  const { id } = await createIncident(client, { title, awareAt: awareAt.toISOString() });
  await importPeople(t, id, victims, peopleMapping);
  return { id, due: awareAt.getTime() + 72 * HOUR };
}

const alertsOf = (incidentId: string) =>
  t.ctx.db
    .selectFrom('obligation_alerts')
    .select(['obligation_key', 'level', 'emailed'])
    .where('incident_id', '=', incidentId)
    .orderBy('raised_at')
    .execute();

const close = async (id: string) =>
  ok(await client.post(`/api/incidents/${id}/transition`, { to: 'closed' }));

describe('deadline alerts by email', () => {
  let id: string;
  let due: number;
  const at = (hoursFromDue: number) => new Date(due + hoursFromDue * HOUR);

  beforeAll(async () => {
    // Due 12 hours from now: every run below is at most a day ahead of the real clock.
    ({ id, due } = await incidentDue('Newsletter list leak', 60));
    ok(await client.put(`/api/incidents/${id}/owners`, { userIds: [owner.id, coOwner.id] }));
  });
  afterAll(() => close(id));

  it('raises nothing 73 hours before the deadline', async () => {
    expect(await obligations.service.reminders(mailer, at(-73))).toEqual({ raised: 0, emailed: 0 });
    expect(received).toHaveLength(0);
    expect(await alertsOf(id)).toEqual([]);
  });

  it('71 hours before: one 72-hour alert, emailed to the incident’s owners', async () => {
    expect(await obligations.service.reminders(mailer, at(-71))).toEqual({ raised: 1, emailed: 1 });
    expect(received).toHaveLength(1);
    const [mail] = received;
    expect(mail!.to).toEqual(['co-owner@example.test', 'owner@example.test']);
    expect(mail!.subject).toContain('Due within 72 hours');
    expect(mail!.subject).toContain(key);
    expect(mail!.subject).toContain('Newsletter list leak');
    expect(mail!.text).toContain(new Date(due).toISOString());
    expect(mail!.text).toContain(`/incidents/${id}/obligations`);
    expect(await alertsOf(id)).toEqual([{ obligation_key: key, level: '72h', emailed: 2 }]);
  });

  it('running again at the same time sends nothing new', async () => {
    expect(await obligations.service.reminders(mailer, at(-71))).toEqual({ raised: 0, emailed: 0 });
    expect(await obligations.service.reminders(mailer, at(-30))).toEqual({ raised: 0, emailed: 0 });
    expect(received).toHaveLength(1);
  });

  it('23 hours before: the 24-hour alert', async () => {
    expect(await obligations.service.reminders(mailer, at(-23))).toEqual({ raised: 1, emailed: 1 });
    expect(received).toHaveLength(2);
    expect(received[1]!.subject).toContain('Due within 24 hours');
  });

  it('after the deadline: overdue', async () => {
    expect(await obligations.service.reminders(mailer, at(1))).toEqual({ raised: 1, emailed: 1 });
    expect(received).toHaveLength(3);
    expect(received[2]!.subject).toContain('OVERDUE');
    expect((await alertsOf(id)).map((a) => a.level)).toEqual(['72h', '24h', 'overdue']);
  });

  it('each alert is on the timeline and in the alerts list', async () => {
    const alerts = (await timelineOf(client, id)).filter((e) => e.kind === 'alert');
    expect(alerts.map((e) => e.details.level)).toEqual(['overdue', '24h', '72h']);
    expect(alerts.every((e) => e.details.key === key)).toBe(true);
    const listed = ok<{ alerts: Alert[] }>(await client.get('/api/obligations/alerts')).alerts.filter(
      (a) => a.incidentId === id,
    );
    expect(listed.map((a) => a.level).sort()).toEqual(['24h', '72h', 'overdue']);
  });

  it('no email carries an affected person’s data', () => {
    for (const mail of received) {
      for (const leaked of ['amelie.victim', 'zoe.victim', 'Poulain', 'Lefèvre', 'example.com']) {
        expect(mail.subject).not.toContain(leaked);
        expect(mail.text).not.toContain(leaked);
      }
    }
  });
});

describe('a decided obligation', () => {
  it('raises no alert', async () => {
    const { id, due } = await incidentDue('Decided early', 60);
    await obligations.service.decide(
      id,
      key,
      { status: 'done', reasons: '', evidence: 'Notified CNIL, ref 2026-77' },
      { actor: { type: 'user', id: owner.id, label: 'responder' } },
    );
    for (const hours of [-71, -23, 1]) {
      expect(await obligations.service.reminders(mailer, new Date(due + hours * HOUR))).toEqual({
        raised: 0,
        emailed: 0,
      });
    }
    expect(await alertsOf(id)).toEqual([]);
    await close(id);
  });
});

describe('a moved deadline', () => {
  it('raises its alerts afresh', async () => {
    const { id, due } = await incidentDue('Moved deadline', 1);
    const now = new Date(due - 71 * HOUR);
    expect(await obligations.service.reminders(mailer, now)).toEqual({ raised: 1, emailed: 1 });
    // Awareness turns out two hours earlier: the 72-hour clock ends two hours earlier too.
    ok(
      await client.post(`/api/incidents/${id}/key-times`, {
        times: { awareAt: new Date(due - 74 * HOUR).toISOString() },
        reason: 'Alert email found in the SOC queue',
      }),
    );
    expect(await obligations.service.reminders(mailer, now)).toEqual({ raised: 1, emailed: 1 });
    expect((await alertsOf(id)).map((a) => a.level)).toEqual(['72h', '72h']);
    expect(received.at(-1)!.text).toContain(new Date(due - 2 * HOUR).toISOString());
    await close(id);
  });
});

describe('when the mail server refuses', () => {
  it('the alert stays unsent and goes out on the next run', async () => {
    const { id, due } = await incidentDue('Retry mail', 1);
    const before = received.length;
    isRejecting = true;
    const now = new Date(due - 71 * HOUR);
    try {
      expect(await obligations.service.reminders(mailer, now)).toEqual({ raised: 1, emailed: 0 });
    } finally {
      isRejecting = false;
    }
    expect(await alertsOf(id)).toEqual([{ obligation_key: key, level: '72h', emailed: 0 }]);
    expect(received.length).toBe(before);
    expect(await obligations.service.reminders(mailer, now)).toEqual({ raised: 0, emailed: 1 });
    expect(received.length).toBe(before + 1);
    expect(received.at(-1)!.subject).toContain('Retry mail');
    expect((await alertsOf(id))[0]!.emailed).toBe(1);
    await close(id);
  });
});

describe('without SMTP_URL', () => {
  it('alerts go to the staff outbox, without personal data', async () => {
    const outbox = createStaffMailer(
      { SMTP_URL: undefined, CANDOR_MAIL_FROM: 'Candor <candor@example.test>' },
      t.ctx.db,
    );
    expect(outbox.mode).toBe('outbox');
    const { id, due } = await incidentDue('Outbox incident', 1);
    const before = received.length;
    expect(await obligations.service.reminders(outbox, new Date(due - 71 * HOUR))).toEqual({
      raised: 1,
      emailed: 1,
    });
    expect(received.length).toBe(before);
    const rows = await t.ctx.db.selectFrom('staff_outbox').selectAll().execute();
    expect(rows.map((r) => [r.to_address, r.purpose])).toEqual([['owner@example.test', 'obligation_alert']]);
    expect(rows[0]!.subject).toContain('Outbox incident');
    expect(rows[0]!.body_text).toContain(key);
    expect(rows[0]!.body_text).not.toContain('victim');
    expect(rows[0]!.body_text).not.toContain('Poulain');
    await close(id);
  });

  it('an incident without owners alerts the admins and legal', async () => {
    const outbox = createStaffMailer(
      { SMTP_URL: undefined, CANDOR_MAIL_FROM: 'Candor <candor@example.test>' },
      t.ctx.db,
    );
    const { id, due } = await incidentDue('Orphan incident', 1);
    ok(await client.put(`/api/incidents/${id}/owners`, { userIds: [] }));
    expect(await obligations.service.reminders(outbox, new Date(due - 71 * HOUR))).toEqual({
      raised: 1,
      emailed: 1,
    });
    const rows = await t.ctx.db
      .selectFrom('staff_outbox')
      .select('to_address')
      .where('subject', 'like', '%Orphan incident%')
      .execute();
    expect(rows.map((r) => r.to_address).sort()).toEqual(['admin@example.test', 'co-owner@example.test']);
    await close(id);
  });
});
