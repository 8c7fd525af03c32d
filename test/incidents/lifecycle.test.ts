import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Task } from '../../src/shared/contracts/incidents.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import {
  auditRows,
  type Client,
  clientFor,
  createIncident,
  detailOf,
  isoDaysAgo,
  ok,
  problem,
  timelineOf,
} from './helpers.ts';

let t: TestApp;
let responderUser: SignedInUser;
let responder: Client;
let auditor: Client;
let legal: Client;
let comms: Client;

beforeAll(async () => {
  t = await createTestApp();
  responderUser = await createSignedInUser(t, 'responder');
  responder = clientFor(t, responderUser);
  auditor = clientFor(t, await createSignedInUser(t, 'auditor'));
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  comms = clientFor(t, await createSignedInUser(t, 'comms'));
});
afterAll(() => t.close());

const transition = (client: Client, id: string, to: string) =>
  client.post(`/api/incidents/${id}/transition`, { to });

describe('creating an incident', () => {
  it('starts suspected, owned by its creator, with a "created" timeline entry', async () => {
    const created = await createIncident(responder, { title: 'CRM export exposed' });
    expect(created.status).toBe('suspected');
    const detail = await detailOf(responder, created.id);
    expect(detail).toMatchObject({ title: 'CRM export exposed', status: 'suspected', people: 0 });
    expect(detail.nextStatuses).toEqual(['investigating', 'closed']);
    expect(detail.owners.map((o) => o.email)).toEqual([responderUser.email]);
    const events = await timelineOf(responder, created.id);
    expect(events.map((e) => e.kind)).toEqual(['created']);
    expect(events[0]!.actor).toBe(responderUser.email);
  });

  it('refuses a detection before the occurrence, naming both times', async () => {
    const body = problem(
      await responder.post('/api/incidents', {
        title: 'Bad times',
        awareAt: isoDaysAgo(1),
        occurredAt: isoDaysAgo(5),
        detectedAt: isoDaysAgo(6),
      }),
      400,
      'validation_failed',
    );
    expect(body.detail).toMatch(/Detected.*cannot be before occurred/);
    expect(body.fields?.map((f) => f.path)).toContain('body.detectedAt');
  });

  it('refuses an awareness time in the future', async () => {
    const body = problem(
      await responder.post('/api/incidents', {
        title: 'Soon',
        awareAt: new Date(Date.now() + 86_400_000).toISOString(),
      }),
      400,
      'validation_failed',
    );
    expect(body.detail).toMatch(/Aware.*future/);
    expect(body.fields?.map((f) => f.path)).toContain('body.awareAt');
  });

  it('refuses an awareness before the occurrence, naming both', async () => {
    const body = problem(
      await responder.post('/api/incidents', {
        title: 'Early',
        awareAt: isoDaysAgo(10),
        occurredAt: isoDaysAgo(5),
      }),
      400,
      'validation_failed',
    );
    expect(body.detail).toMatch(/Aware.*cannot be before occurred/);
  });

  it('refuses to create a closed incident', async () => {
    problem(
      await responder.post('/api/incidents', { title: 'Closed', awareAt: isoDaysAgo(1), status: 'closed' }),
      400,
      'validation_failed',
    );
  });
});

describe('the lifecycle', () => {
  let id: string;
  beforeAll(async () => {
    id = (await createIncident(responder, { occurredAt: isoDaysAgo(20), detectedAt: isoDaysAgo(3) })).id;
  });

  it('refuses a move the lifecycle does not allow, naming the allowed ones (409)', async () => {
    const body = problem(await transition(responder, id, 'notifying'), 409, 'conflict');
    expect(body.detail).toContain('investigating or closed');
    expect((await detailOf(responder, id)).status).toBe('suspected');
  });

  it('moves forward step by step, each move on the timeline, contained filling the containment time', async () => {
    for (const to of ['investigating', 'confirmed']) {
      expect(ok<{ status: string }>(await transition(responder, id, to)).status).toBe(to);
    }
    expect((await detailOf(responder, id)).times.containedAt).toBeNull();
    const before = Date.now();
    const contained = ok<{ status: string; times: { containedAt: string | null } }>(
      await transition(responder, id, 'contained'),
    );
    expect(contained.status).toBe('contained');
    expect(Date.parse(contained.times.containedAt!)).toBeGreaterThanOrEqual(before - 1000);
    expect(Date.parse(contained.times.containedAt!)).toBeLessThanOrEqual(Date.now() + 1000);
    for (const to of ['notifying', 'monitoring']) {
      expect(ok<{ status: string }>(await transition(responder, id, to)).status).toBe(to);
    }
    const moves = (await timelineOf(responder, id))
      .filter((e) => e.kind === 'status')
      .map((e) => e.details.to)
      .reverse();
    expect(moves).toEqual(['investigating', 'confirmed', 'contained', 'notifying', 'monitoring']);
    expect(await auditRows(t, 'incident.status_changed', id)).toHaveLength(5);
  });

  it('keeps a containment time already set when the incident enters contained again', async () => {
    const other = (await createIncident(responder, { detectedAt: isoDaysAgo(2) })).id;
    for (const to of ['investigating', 'confirmed']) ok(await transition(responder, other, to));
    const containedAt = isoDaysAgo(1);
    ok(
      await responder.post(`/api/incidents/${other}/key-times`, {
        times: { containedAt },
        reason: 'Firewall rule applied yesterday',
      }),
    );
    const detail = ok<{ times: { containedAt: string } }>(await transition(responder, other, 'contained'));
    expect(detail.times.containedAt).toBe(containedAt);
  });

  it('closing sets the close time; reopening clears it', async () => {
    const closed = ok<{ status: string; times: { closedAt: string | null } }>(
      await transition(responder, id, 'closed'),
    );
    expect(closed.status).toBe('closed');
    expect(closed.times.closedAt).not.toBeNull();
    const reopened = ok<{ status: string; times: { closedAt: string | null; containedAt: string | null } }>(
      await transition(responder, id, 'investigating'),
    );
    expect(reopened.status).toBe('investigating');
    expect(reopened.times.closedAt).toBeNull();
    expect(reopened.times.containedAt).not.toBeNull();
  });

  it('refuses moving to the status it already has', async () => {
    problem(await transition(responder, id, 'investigating'), 409, 'conflict');
  });

  it('a false alarm can be closed straight from suspected', async () => {
    const alarm = (await createIncident(responder)).id;
    expect(ok<{ status: string }>(await transition(responder, alarm, 'closed')).status).toBe('closed');
  });

  it('an unknown incident is 404', async () => {
    problem(
      await transition(responder, '00000000-0000-4000-8000-000000000000', 'investigating'),
      404,
      'not_found',
    );
  });

  it('entering contained right after a detection a few seconds ahead (clock skew allowed) is not a 500', async () => {
    // keyTimeProblems tolerates times up to a minute ahead; entering contained stamps "now", which is then
    // before the detection time, and the table's CHECK refuses it.
    const skewed = (
      await createIncident(responder, { detectedAt: new Date(Date.now() + 45_000).toISOString() })
    ).id;
    for (const to of ['investigating', 'confirmed']) ok(await transition(responder, skewed, to));
    const response = await transition(responder, skewed, 'contained');
    expect(response.statusCode, response.body).toBeLessThan(500);
  });
});

describe('key times', () => {
  let id: string;
  beforeAll(async () => {
    id = (
      await createIncident(responder, {
        occurredAt: isoDaysAgo(10),
        detectedAt: isoDaysAgo(4),
        awareAt: isoDaysAgo(3),
      })
    ).id;
  });

  it('need a reason', async () => {
    const missing = problem(
      await responder.post(`/api/incidents/${id}/key-times`, { times: { containedAt: isoDaysAgo(2) } }),
      400,
      'validation_failed',
    );
    expect(missing.fields?.map((f) => f.path)).toContain('body.reason');
    const short = problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { containedAt: isoDaysAgo(2) },
        reason: 'x',
      }),
      400,
      'validation_failed',
    );
    expect(short.detail).toContain('Say why');
    expect((await detailOf(responder, id)).times.containedAt).toBeNull();
  });

  it('refuses a containment before the detection, naming both, and changes nothing', async () => {
    const body = problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { containedAt: isoDaysAgo(5) },
        reason: 'Typo in the report',
      }),
      400,
      'validation_failed',
    );
    expect(body.detail).toMatch(/Contained.*cannot be before detected/);
    expect(body.fields?.map((f) => f.path)).toContain('containedAt');
    expect((await detailOf(responder, id)).times.containedAt).toBeNull();
    expect(await auditRows(t, 'incident.key_times_changed', id)).toHaveLength(0);
  });

  it('refuses moving the detection before the occurrence', async () => {
    const body = problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { detectedAt: isoDaysAgo(11) },
        reason: 'Logs say earlier',
      }),
      400,
      'validation_failed',
    );
    expect(body.detail).toMatch(/Detected.*cannot be before occurred/);
  });

  it('refuses an awareness time in the future, and removing it', async () => {
    const future = problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { awareAt: new Date(Date.now() + 3_600_000).toISOString() },
        reason: 'Wrong clock',
      }),
      400,
      'validation_failed',
    );
    expect(future.detail).toMatch(/Aware.*future/);
    const removed = problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { awareAt: null },
        reason: 'Unknown really',
      }),
      400,
      'validation_failed',
    );
    expect(removed.fields?.map((f) => f.path)).toContain('awareAt');
  });

  it('an edit with a reason lands in the audit log and on the timeline', async () => {
    const containedAt = isoDaysAgo(2);
    const detail = ok<{ times: { containedAt: string } }>(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { containedAt },
        reason: 'Access keys rotated on Tuesday',
      }),
    );
    expect(detail.times.containedAt).toBe(containedAt);
    const audit = await auditRows(t, 'incident.key_times_changed', id);
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actor_id: responderUser.id,
      details: { fields: ['containedAt'], reason: 'Access keys rotated on Tuesday' },
    });
    const entry = (await timelineOf(responder, id)).find((e) => e.kind === 'key_time');
    expect(entry?.summary).toContain('Contained');
    expect(entry?.summary).toContain('Access keys rotated on Tuesday');
    expect(entry?.details).toMatchObject({ fields: ['containedAt'] });
  });

  it('refuses an edit that changes nothing', async () => {
    const current = (await detailOf(responder, id)).times.containedAt!;
    problem(
      await responder.post(`/api/incidents/${id}/key-times`, {
        times: { containedAt: current },
        reason: 'Same again',
      }),
      400,
      'bad_request',
    );
  });
});

describe('the timeline', () => {
  it('takes notes from staff', async () => {
    const id = (await createIncident(responder)).id;
    ok(await responder.post(`/api/incidents/${id}/timeline`, { text: 'Called the hosting provider.' }));
    const [latest] = await timelineOf(responder, id);
    expect(latest).toMatchObject({
      kind: 'note',
      summary: 'Called the hosting provider.',
      actor: responderUser.email,
    });
  });

  it('is append-only: the database refuses UPDATE and DELETE on its rows', async () => {
    const id = (await createIncident(responder)).id;
    await expect(
      sql`UPDATE incident_events SET summary = 'rewritten' WHERE incident_id = ${id}`.execute(t.ctx.db),
    ).rejects.toThrow(/append-only/);
    await expect(
      sql`DELETE FROM incident_events WHERE incident_id = ${id}`.execute(t.ctx.db),
    ).rejects.toThrow(/append-only/);
    expect((await timelineOf(responder, id)).map((e) => e.summary)).toEqual([
      'Incident created (suspected).',
    ]);
  });
});

describe('tasks', () => {
  it('are created, edited and done, each step on the timeline', async () => {
    const id = (await createIncident(responder)).id;
    const dueAt = new Date(Date.now() + 2 * 86_400_000).toISOString();
    const created = ok<Task>(
      await responder.post(`/api/incidents/${id}/tasks`, {
        title: 'Rotate database credentials',
        ownerId: responderUser.id,
        dueAt,
        obligationKey: 'US-CA:individuals',
      }),
    );
    expect(created).toMatchObject({
      title: 'Rotate database credentials',
      ownerId: responderUser.id,
      ownerEmail: responderUser.email,
      dueAt,
      status: 'open',
      obligationKey: 'US-CA:individuals',
      doneAt: null,
    });
    const second = ok<Task>(await responder.post(`/api/incidents/${id}/tasks`, { title: 'Brief the board' }));

    const started = ok<Task>(
      await responder.patch(`/api/incidents/${id}/tasks/${created.id}`, { status: 'in_progress' }),
    );
    expect(started.status).toBe('in_progress');
    const done = ok<Task>(
      await responder.patch(`/api/incidents/${id}/tasks/${created.id}`, { status: 'done' }),
    );
    expect(done.status).toBe('done');
    expect(done.doneAt).not.toBeNull();

    const { tasks } = ok<{ tasks: Task[] }>(await responder.get(`/api/incidents/${id}/tasks`));
    // Open work first, done last.
    expect(tasks.map((x) => x.id)).toEqual([second.id, created.id]);
    const taskEvents = (await timelineOf(responder, id))
      .filter((e) => e.kind === 'task')
      .map((e) => e.summary);
    expect(taskEvents).toEqual([
      'Task done: Rotate database credentials',
      'Task → in progress: Rotate database credentials',
      'Task added: Brief the board',
      'Task added: Rotate database credentials',
    ]);
  });

  it('refuses an owner who is not a staff account, and a task of another incident', async () => {
    const id = (await createIncident(responder)).id;
    problem(
      await responder.post(`/api/incidents/${id}/tasks`, {
        title: 'Nobody',
        ownerId: '00000000-0000-4000-8000-000000000000',
      }),
      400,
      'validation_failed',
    );
    const task = ok<Task>(await responder.post(`/api/incidents/${id}/tasks`, { title: 'Mine' }));
    const other = (await createIncident(responder)).id;
    problem(
      await responder.patch(`/api/incidents/${other}/tasks/${task.id}`, { status: 'done' }),
      404,
      'not_found',
    );
  });
});

describe('roles', () => {
  it('an auditor reads an incident and its timeline but cannot move it (403)', async () => {
    const id = (await createIncident(responder)).id;
    expect((await detailOf(auditor, id)).status).toBe('suspected');
    expect((await timelineOf(auditor, id)).length).toBe(1);
    problem(await transition(auditor, id, 'investigating'), 403, 'forbidden');
    problem(await auditor.post('/api/incidents', { title: 'No', awareAt: isoDaysAgo(1) }), 403, 'forbidden');
    expect((await detailOf(responder, id)).status).toBe('suspected');
  });

  it('legal decides an obligation; comms cannot (403)', async () => {
    // An SEC registrant's incident: the 8-K applies whatever the number of affected people.
    const id = (await createIncident(responder)).id;
    ok(await responder.patch(`/api/incidents/${id}`, { entity: { sec: true } }));
    const key = 'US-SEC-8K:regulator';
    const url = `/api/incidents/${id}/obligations/${key}/decision`;
    const decision = { status: 'done', evidence: 'Form 8-K filed, accession 0000000000-26-000001' };
    problem(await comms.post(url, decision), 403, 'forbidden');
    const report = ok<{ obligations: Array<{ key: string; status: string }> }>(
      await legal.post(url, decision),
    );
    expect(report.obligations.find((o) => o.key === key)?.status).toBe('done');
  });
});
