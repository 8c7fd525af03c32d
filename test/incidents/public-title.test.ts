import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { IncidentDetail, IncidentSummary } from '../../src/shared/contracts/incidents.ts';
import { createPeopleHarness, type PeopleHarness, runCli } from '../people/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';
import { type Client, clientFor, ok, timelineOf } from './helpers.ts';

/**
 * What affected people read as an incident's name is its public title, per language, never the internal
 * title staff gave it ("Demo: … (synthetic data)", a ticket number): through the API, the notice site's
 * address and the CLI. Without one, people read a neutral title in their language.
 */
let t: TestApp;
let h: PeopleHarness;
let responder: Client;
beforeAll(async () => {
  t = await createTestApp();
  h = await createPeopleHarness();
  responder = clientFor(t, await createSignedInUser(t, 'responder'));
});
afterAll(async () => {
  await t.close();
  await h.close();
});

const create = async (body: Record<string, unknown>) =>
  ok<IncidentSummary>(await responder.post('/api/incidents', { awareAt: '2026-11-02T09:00:00Z', ...body }));
const slugOf = async (id: string) =>
  ok<{ slug: string }>(await responder.get(`/api/incidents/${id}/notice-site`)).slug;

describe('the public title', () => {
  it('is kept apart from the internal title, and names the notice site’s address', async () => {
    const created = await create({
      title: 'Demo: customer database exposed (synthetic data)',
      publicTitle: { en: 'Security incident affecting customer data', es: 'Incidente de seguridad' },
    });
    expect(created).toMatchObject({
      title: 'Demo: customer database exposed (synthetic data)',
      publicTitle: { en: 'Security incident affecting customer data', es: 'Incidente de seguridad' },
    });
    expect(await slugOf(created.id)).toMatch(/^security-incident-affecting-customer-data-[0-9a-f]{6}$/);
  });

  it('without one, the address says nothing of the internal title', async () => {
    const created = await create({ title: 'Ticket 4711: S3 bucket prod-backup public' });
    expect(created.publicTitle).toEqual({});
    expect(await slugOf(created.id)).toMatch(/^data-security-incident-[0-9a-f]{6}$/);
  });

  it('is edited like the other details, on the timeline; an empty text means the neutral default', async () => {
    const created = await create({ title: 'Internal name' });
    const edited = ok<IncidentDetail>(
      await responder.patch(`/api/incidents/${created.id}`, {
        publicTitle: { en: 'Unauthorized access to customer accounts', es: '  ' },
      }),
    );
    expect(edited.publicTitle).toEqual({ en: 'Unauthorized access to customer accounts' });
    expect(edited.title).toBe('Internal name');
    const events = await timelineOf(responder, created.id);
    expect(events.find((e) => e.kind === 'details')?.summary).toBe('Details edited: public_title.');
  });

  it('refuses a public title longer than a title', async () => {
    const response = await responder.post('/api/incidents', {
      title: 'x',
      awareAt: '2026-11-02T09:00:00Z',
      publicTitle: { en: 'x'.repeat(201) },
    });
    expect(response.statusCode).toBe(400);
  });
});

describe('candor incident create --public-title', () => {
  it('sets the public title in English and Spanish, and `show` prints both', async () => {
    const run = await runCli(
      [
        'incident',
        'create',
        '--title',
        'INC-88 bucket',
        '--public-title',
        'Security incident at Acme',
        '--public-title-es',
        'Incidente de seguridad en Acme',
        '--aware-at',
        '2026-11-02T09:00:00Z',
        '--json',
      ],
      h.cliEnv,
    );
    expect(run.code, run.stderr).toBe(0);
    const created = JSON.parse(run.stdout) as IncidentSummary;
    expect(created.publicTitle).toEqual({
      en: 'Security incident at Acme',
      es: 'Incidente de seguridad en Acme',
    });
    const shown = await runCli(['incident', 'show', created.id], h.cliEnv);
    expect(shown.stdout).toContain('public    Security incident at Acme / Incidente de seguridad en Acme');
    const neutral = await runCli(
      ['incident', 'create', '--title', 'INC-89', '--aware-at', '2026-11-02T09:00:00Z', '--json'],
      h.cliEnv,
    );
    const id = (JSON.parse(neutral.stdout) as IncidentSummary).id;
    expect((await runCli(['incident', 'show', id], h.cliEnv)).stdout).toContain(
      'public    Data security incident / Incidente de seguridad de datos',
    );
    // Four CLI processes, each starting the runtime.
  }, 120_000);
});
