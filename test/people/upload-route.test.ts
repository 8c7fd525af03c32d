import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncidentsModule } from '../../src/server/modules/incidents/index.ts';
import { incidentPeopleFacts } from '../../src/server/modules/people/index.ts';
import type { ImportSummaryDto, UploadResponse } from '../../src/shared/contracts/people.ts';
import { as, createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import { csv, testActor, waitFor } from './helpers.ts';

/**
 * The console's way in: upload (sealed to disk, previewed) → start → poll the import's summary and issues.
 * Bad input gets a clear answer and costs only its own rows; warnings are counted per kind for the console.
 */
const MiB = 2 ** 20;
let t: TestApp;
let responder: SignedInUser;
let dataDir: string;

beforeAll(async () => {
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'candor-upload-'));
  t = await createTestApp({ CANDOR_DATA_DIR: dataDir });
  responder = await createSignedInUser(t, 'responder');
});
afterAll(async () => {
  await t.close();
  fs.rmSync(dataDir, { recursive: true, force: true });
});

async function newIncident(): Promise<string> {
  const created = await createIncidentsModule(t.ctx, incidentPeopleFacts).service.create(
    { title: 'Upload test', awareAt: '2026-01-15T09:00:00Z' },
    { actor: testActor },
  );
  return created.id;
}

const upload = (incidentId: string, fileName: string, body: string | Buffer) =>
  t.app.inject({
    method: 'POST',
    url: `/api/incidents/${incidentId}/uploads`,
    headers: { ...as(responder), 'content-type': 'application/octet-stream', 'x-file-name': fileName },
    payload: body,
  });

async function uploadAndImport(
  incidentId: string,
  fileName: string,
  body: string | Buffer,
  options: Record<string, unknown> = {},
) {
  const uploaded = await upload(incidentId, fileName, body);
  expect(uploaded.statusCode, uploaded.body).toBe(200);
  const preview = uploaded.json() as UploadResponse;
  const started = await t.app.inject({
    method: 'POST',
    url: `/api/incidents/${incidentId}/imports`,
    headers: as(responder),
    payload: { uploadId: preview.uploadId, ...options },
  });
  expect(started.statusCode, started.body).toBe(200);
  const { importId } = started.json() as { importId: string };
  const summary = await waitFor('the import to finish', async () => {
    const response = await t.app.inject({
      method: 'GET',
      url: `/api/imports/${importId}`,
      headers: as(responder),
    });
    const job = response.json() as ImportSummaryDto;
    return ['done', 'failed'].includes(job.status) ? job : undefined;
  });
  return { preview, summary };
}

const issuesOf = async (importId: string, query = '') =>
  (
    await t.app.inject({
      method: 'GET',
      url: `/api/imports/${importId}/issues${query}`,
      headers: as(responder),
    })
  ).json() as { issues: Array<{ line: number; severity: string; reason: string; field: string | null }> };

describe('uploads that attack the reader', () => {
  // pins: the 2 MB gzip expanding to a 2.35 GB line that stalled the server for minutes (decompression bomb)
  it('answers a gzip bomb upload at once with a clear refusal, and keeps nothing of it', async () => {
    const incident = await newIncident();
    const member = gzipSync(Buffer.alloc(MiB, 0x5a), { level: 9 });
    const bomb = Buffer.concat([
      gzipSync('email,name\nb1@example.com,Ann\nzq.bomb@example.com,'),
      ...Array.from({ length: 2240 }, () => member),
      gzipSync('\nb3@example.com,Cy\n'),
    ]);
    const response = await upload(incident, 'export.csv.gz', bomb);
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toMatch(/problem\+json/);
    expect((response.json() as { detail: string }).detail).toMatch(
      /expands more than 250 times when decompressed .* decompression bomb/,
    );
    expect(fs.readdirSync(path.join(dataDir, 'uploads'))).toEqual([]);
  });

  // pins: a 50 MB line that was refused correctly but cost 1.3 GB of memory on the way
  it('previews past a 50 MB line (rejected with its line number), then imports the rows around it', async () => {
    const incident = await newIncident();
    const body = csv(
      'email,name',
      'p1@example.com,Ann',
      `zq.wide@example.com,${'Z'.repeat(50 * MiB)}`,
      'p3@example.com,Cy',
    );
    const { preview, summary } = await uploadAndImport(incident, 'wide.csv', body);
    expect(preview.preview.errors).toEqual([{ line: 3, error: 'line longer than 1024 KiB' }]);
    expect(preview.preview.samples).toEqual([
      { email: 'p1@example.com', name: 'Ann' },
      { email: 'p3@example.com', name: 'Cy' },
    ]);
    expect(summary).toMatchObject({ status: 'done', rows: 3, accepted: 2, rejected: 1 });
    expect((await issuesOf(summary.id)).issues).toEqual([
      { line: 3, severity: 'rejected', reason: 'line longer than 1024 KiB', field: null },
    ]);
  }, 60_000);

  // pins: a JSON-lines object nested 100,000 levels deep overflowing the stack while flattening (HTTP 500)
  it('rejects a JSON line nested too deep by its line, and imports the rest (no 500)', async () => {
    const incident = await newIncident();
    const deep = `${'{"a":'.repeat(100_000)}1${'}'.repeat(100_000)}`;
    const body = [
      '{"email":"d1@example.com","name":"Ann"}',
      `{"email":"zq.deep@example.com","nested":${deep}}`,
      '{"email":"d3@example.com","name":"Cy"}',
      '',
    ].join('\n');
    const { preview, summary } = await uploadAndImport(incident, 'events.jsonl', body);
    expect(preview.preview.errors).toEqual([{ line: 2, error: 'JSON nested more than 32 levels deep' }]);
    expect(summary).toMatchObject({ status: 'done', rows: 3, accepted: 2, rejected: 1 });
    expect((await issuesOf(summary.id)).issues).toEqual([
      { line: 2, severity: 'rejected', reason: 'JSON nested more than 32 levels deep', field: null },
    ]);
  });
});

describe('warnings', () => {
  it('the import summary counts warnings per kind, and the issues list them with their lines', async () => {
    const incident = await newIncident();
    const { summary } = await uploadAndImport(
      incident,
      'people.csv',
      csv(
        'email,name,country',
        'w1@example.com,Ann O"Neil,US',
        'josé.dubois6@example.fr,José Dubois,FR',
        'w3@example.com,"Cy, Jr.",Zqlandia',
        'w4@example.com,Dee,US',
      ),
    );
    expect(summary).toMatchObject({
      status: 'done',
      accepted: 4,
      rejected: 0,
      warnings: {
        total: 3,
        byKind: { literal_quote: 1, email_needs_smtputf8: 1, unknown_country: 1 },
      },
    });
    const { issues } = await issuesOf(summary.id, '?severity=warning');
    expect(issues).toEqual([
      {
        line: 2,
        severity: 'warning',
        reason: 'a quote inside an unquoted field, taken literally',
        field: 'name',
      },
      {
        line: 3,
        severity: 'warning',
        reason: expect.stringMatching(/^email needs SMTPUTF8/),
        field: 'email',
      },
      { line: 4, severity: 'warning', reason: 'unknown country', field: 'country' },
    ]);
    const list = await t.app.inject({
      method: 'GET',
      url: `/api/incidents/${incident}/imports`,
      headers: as(responder),
    });
    expect((list.json() as { imports: ImportSummaryDto[] }).imports[0]!.warnings).toEqual(summary.warnings);
  });
});

describe('customer ids through the API', () => {
  it('takes caseSensitiveIds in the start request, and refuses another rule in the same incident', async () => {
    const incident = await newIncident();
    const { summary } = await uploadAndImport(
      incident,
      'crm.csv',
      csv('customer_id,email', 'C9002,k1@example.com', 'c9002,k2@example.com'),
      { caseSensitiveIds: true },
    );
    expect(summary).toMatchObject({ status: 'done', caseSensitiveIds: true, peopleAfter: 2 });
    const uploaded = await upload(incident, 'more.csv', csv('customer_id,email', 'C9003,k3@example.com'));
    const started = await t.app.inject({
      method: 'POST',
      url: `/api/incidents/${incident}/imports`,
      headers: as(responder),
      payload: { uploadId: (uploaded.json() as UploadResponse).uploadId, caseSensitiveIds: false },
    });
    expect(started.statusCode).toBe(409);
    expect((started.json() as { detail: string }).detail).toMatch(
      /earlier imports compare customer ids case-sensitively, and all imports into one incident must use the same rule/,
    );
  });
});
