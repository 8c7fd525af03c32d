import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rewriteApiAlias } from '../../src/server/platform/http/api-aliases.ts';
import { auditRows, type Client, clientFor, createIncident, ok } from '../incidents/helpers.ts';
import { exampleNotice } from '../notice-site/helpers.ts';
import { createSignedInUser, createTestApp, type TestApp } from '../support/app.ts';

/**
 * The notice site's staff API moved from `/api/incidents/:id/notice` to `/notice-site` when the server took
 * the console's names (issue 15). Clients written against the old path keep working, with the same
 * permissions and audit as the new one.
 */
describe('old API paths', () => {
  it('map to the routes that replaced them, and nothing else', () => {
    expect(rewriteApiAlias('/api/incidents/abc/notice')).toBe('/api/incidents/abc/notice-site');
    expect(rewriteApiAlias('/api/incidents/abc/notice/draft')).toBe('/api/incidents/abc/notice-site/draft');
    expect(rewriteApiAlias('/api/incidents/abc/notice?x=1')).toBe('/api/incidents/abc/notice-site?x=1');
    expect(rewriteApiAlias('/api/incidents/abc/notice-site/draft')).toBe(
      '/api/incidents/abc/notice-site/draft',
    );
    expect(rewriteApiAlias('/api/incidents/abc/notices')).toBe('/api/incidents/abc/notices');
    expect(rewriteApiAlias('/n/abc/notice')).toBe('/n/abc/notice');
  });

  let t: TestApp;
  let comms: Client;
  let reader: Client;
  let incidentId: string;
  beforeAll(async () => {
    t = await createTestApp();
    comms = clientFor(t, await createSignedInUser(t, 'comms'));
    reader = clientFor(t, await createSignedInUser(t, 'agent'));
    incidentId = (
      await createIncident(clientFor(t, await createSignedInUser(t, 'admin')), { title: 'Old paths' })
    ).id;
  });
  afterAll(() => t.close());

  it('answer as the new route: a draft saved at the old path is read at the new one, audited alike', async () => {
    const draft = ok<{ id: string }>(
      await comms.put(`/api/incidents/${incidentId}/notice/draft`, { content: exampleNotice() }),
    );
    const state = ok<{ pending: { id: string } | null }>(
      await comms.get(`/api/incidents/${incidentId}/notice-site`),
    );
    expect(state.pending?.id).toBe(draft.id);
    expect(ok(await comms.get(`/api/incidents/${incidentId}/notice`))).toEqual(state);
    const audited = await auditRows(t, 'notice.draft_saved', incidentId);
    expect(audited.map((row) => (row.details as { versionId: string }).versionId)).toEqual([draft.id]);
  });

  it('keep the new route’s permission', async () => {
    const denied = await reader.put(`/api/incidents/${incidentId}/notice/draft`, {
      content: exampleNotice(),
    });
    expect(denied.statusCode).toBe(403);
  });
});
