import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import type { NoticeContent } from '../../src/server/modules/notice-site/index.ts';
import { auditRows, createIncident, ok, problem, timelineOf } from '../incidents/helpers.ts';
import { exampleNotice, personalLinkIn, publishNotice, siteOutbox } from './helpers.ts';
import {
  ann,
  createSite,
  getPage,
  lookup,
  type Site,
  setCookies,
  settleSiteMessages,
  textOf,
} from './more-helpers.ts';

/**
 * The staff side of the notice site: drafts, approval by a second person (legal), publication (comms),
 * versions kept, the address fixed once published, preview, updates, the timeline, branding; and how the
 * public page follows: languages, and no page before publication.
 */
let site: Site;
beforeAll(async () => {
  site = await createSite();
});
afterAll(async () => site?.t.close());

interface Version {
  id: string;
  number: number;
  status: 'draft' | 'approved' | 'published' | 'superseded';
  approvedBy: string | null;
  publishedAt: string | null;
  content: NoticeContent;
}
interface Overview {
  slug: string;
  canEditSlug: boolean;
  published: { id: string; number: number } | null;
  pending: Version | null;
  versions: Array<{ id: string; number: number; status: string }>;
}

const api = (incidentId = site.incidentId) => `/api/incidents/${incidentId}/notice-site`;
const overviewOf = async (incidentId = site.incidentId) =>
  ok<Overview>(await site.comms.get(api(incidentId)));
const withTitle = (title: string, base = exampleNotice()): NoticeContent => ({
  ...base,
  locales: { ...base.locales, en: { ...base.locales.en!, title } },
});
const newIncident = async (title = 'Another breach') => (await createIncident(site.responder, { title })).id;

describe('approval and publication', () => {
  let v2: string;

  it('the author cannot approve their own version, even with the permission to approve', async () => {
    const draft = ok<Version>(await site.admin.put(`${api()}/draft`, { content: withTitle('Version two') }));
    expect(draft.status).toBe('draft');
    expect(draft.number).toBe(2);
    v2 = draft.id;
    const refused = problem(await site.admin.post(`${api()}/versions/${v2}/approve`), 403, 'forbidden');
    expect(refused.detail).toMatch(/someone else must approve/i);
    expect(ok<Version>(await site.comms.get(`${api()}/versions/${v2}`)).status).toBe('draft');
  });

  it('comms cannot approve; legal cannot write or publish', async () => {
    problem(await site.comms.post(`${api()}/versions/${v2}/approve`), 403, 'forbidden');
    problem(await site.legal.put(`${api()}/draft`, { content: withTitle('Legal edit') }), 403, 'forbidden');
    problem(await site.legal.post(`${api()}/versions/${v2}/publish`), 403, 'forbidden');
    const denied = await site.t.ctx.db
      .selectFrom('audit_log')
      .select('details')
      .where('action', '=', 'access.denied')
      .execute();
    expect(denied.length).toBeGreaterThanOrEqual(3);
  });

  it('a draft cannot be published before it is approved', async () => {
    const refused = problem(await site.comms.post(`${api()}/versions/${v2}/publish`), 409, 'conflict');
    expect(refused.detail).toMatch(/not approved/i);
    // The public page still shows version one.
    const page = await getPage(site.t, `/n/${site.slug}`);
    expect(page.body).not.toContain('Version two');
  });

  it('editing an approved version makes it a draft again', async () => {
    const approved = ok<Version>(await site.legal.post(`${api()}/versions/${v2}/approve`));
    expect(approved.status).toBe('approved');
    expect(approved.approvedBy).toBeTruthy();
    const edited = ok<Version>(
      await site.comms.put(`${api()}/draft`, { content: withTitle('Version two, edited') }),
    );
    expect(edited.id).toBe(v2);
    expect(edited.status).toBe('draft');
    expect(edited.approvedBy).toBeNull();
    problem(await site.comms.post(`${api()}/versions/${v2}/publish`), 409, 'conflict');
    const drafted = await auditRows(site.t, 'notice.draft_saved', site.incidentId);
    expect(drafted.at(-1)!.details).toMatchObject({ versionId: v2, approvalCleared: true });
  });

  it('previews a draft as the public would see it, without publishing it', async () => {
    const preview = await site.comms.get(`${api()}/preview?versionId=${v2}&locale=en`);
    expect(preview.statusCode).toBe(200);
    expect(preview.headers['content-type']).toContain('text/html');
    expect(preview.headers['cache-control']).toBe('no-store');
    expect(preview.body).toContain('<!doctype html>');
    expect(preview.body).toContain('Version two, edited');
    expect(preview.body).toContain('What happened');
    const es = await site.comms.get(`${api()}/preview?versionId=${v2}&locale=es`);
    expect(es.body).toContain('Qué ocurrió');
    expect((await getPage(site.t, `/n/${site.slug}`)).body).not.toContain('Version two');
  });

  it('publishing version two supersedes version one, and the public page shows it at once', async () => {
    const before = await getPage(site.t, `/n/${site.slug}`);
    const v1 = (await overviewOf()).published!;
    ok(await site.legal.post(`${api()}/versions/${v2}/approve`));
    const published = ok<Version>(await site.comms.post(`${api()}/versions/${v2}/publish`));
    expect(published.status).toBe('published');
    expect(published.publishedAt).not.toBeNull();

    const page = await getPage(site.t, `/n/${site.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('Version two, edited');
    // A browser holding the old page's ETag gets the new page.
    const revalidated = await getPage(site.t, `/n/${site.slug}`, {
      headers: { 'if-none-match': before.headers.etag as string },
    });
    expect(revalidated.statusCode).toBe(200);
    expect(revalidated.body).toContain('Version two, edited');

    const overview = await overviewOf();
    expect(overview.published!.id).toBe(v2);
    expect(overview.pending).toBeNull();
    expect(overview.versions.map((v) => [v.number, v.status])).toEqual([
      [2, 'published'],
      [1, 'superseded'],
    ]);
    // Every version is kept and viewable.
    const old = ok<Version>(await site.comms.get(`${api()}/versions/${v1.id}`));
    expect(old.status).toBe('superseded');
    expect(old.content.locales.en!.title).toBe(exampleNotice().locales.en!.title);
    expect(ok<Version>(await site.comms.get(`${api()}/versions/${v2}`)).content.locales.en!.title).toBe(
      'Version two, edited',
    );
  });

  it("does not show one incident's versions under another incident", async () => {
    const other = await newIncident('Nosy');
    const { published } = await overviewOf();
    problem(await site.comms.get(`${api(other)}/versions/${published!.id}`), 404, 'not_found');
    problem(await site.comms.get(`${api(other)}/preview?versionId=${published!.id}`), 404, 'not_found');
    problem(await site.legal.post(`${api(other)}/versions/${published!.id}/approve`), 404, 'not_found');
  });

  it('a published or superseded version cannot be approved or published again', async () => {
    const { versions } = await overviewOf();
    for (const v of versions) {
      problem(await site.legal.post(`${api()}/versions/${v.id}/approve`), 409, 'conflict');
      problem(await site.comms.post(`${api()}/versions/${v.id}/publish`), 409, 'conflict');
    }
  });

  it('puts each publication on the timeline and in the audit log', async () => {
    const events = (await timelineOf(site.comms, site.incidentId)).filter((e) => e.kind === 'notice');
    expect(events.some((e) => /version 1 published/i.test(e.summary))).toBe(true);
    expect(events.some((e) => /version 2 published/i.test(e.summary))).toBe(true);
    expect(await auditRows(site.t, 'notice.version_published', site.incidentId)).toHaveLength(2);
    expect(await auditRows(site.t, 'notice.version_approved', site.incidentId)).toHaveLength(3);
  });

  it('refuses a monitoring enrolment link that is not a web address', async () => {
    for (const enrollUrl of [
      'javascript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
    ]) {
      problem(
        await site.comms.put(`${api()}/draft`, {
          content: { ...exampleNotice(), monitoring: { provider: 'Credit Watch', enrollUrl } },
        }),
        400,
        'validation_failed',
      );
    }
  });

  it('refuses content without the default language, and escapes what comms wrote', async () => {
    const { es } = exampleNotice().locales;
    problem(
      await site.comms.put(`${api()}/draft`, {
        content: { ...exampleNotice(), defaultLocale: 'en', locales: { es } },
      }),
      400,
      'validation_failed',
    );
    const incidentId = await newIncident('Escaping');
    const slug = await publishNotice(
      site.comms,
      site.legal,
      incidentId,
      withTitle('Notice <script>alert(1)</script> & more'),
    );
    const page = await getPage(site.t, `/n/${slug}`);
    expect(page.body).not.toContain('<script>alert(1)</script>');
    expect(page.body).toContain('Notice &lt;script&gt;alert(1)&lt;/script&gt; &amp; more');
  });
});

describe('the public address', () => {
  it('can change before the first publication, not after', async () => {
    const incidentId = await newIncident('Spring breach');
    const before = await overviewOf(incidentId);
    expect(before.canEditSlug).toBe(true);
    const slug = `spring-breach-${Date.now().toString(36)}`;
    ok(await site.comms.put(`${api(incidentId)}/slug`, { slug }));
    expect((await overviewOf(incidentId)).slug).toBe(slug);
    problem(
      await site.comms.put(`${api(incidentId)}/slug`, { slug: 'Not A Slug!' }),
      400,
      'validation_failed',
    );
    // Another incident's address is taken.
    problem(await site.comms.put(`${api(incidentId)}/slug`, { slug: site.slug }), 409, 'conflict');

    expect(await publishNotice(site.comms, site.legal, incidentId)).toBe(slug);
    expect((await getPage(site.t, `/n/${slug}`)).statusCode).toBe(200);
    expect((await getPage(site.t, `/n/${before.slug}`)).statusCode).toBe(404);
    expect((await overviewOf(incidentId)).canEditSlug).toBe(false);
    const refused = problem(
      await site.comms.put(`${api(incidentId)}/slug`, { slug: `${slug}-2` }),
      409,
      'conflict',
    );
    expect(refused.detail).toMatch(/can no longer change/);
    expect((await getPage(site.t, `/n/${slug}`)).statusCode).toBe(200);
  });
});

describe('an unpublished incident', () => {
  it('has no public pages: a clear 404 page', async () => {
    const incidentId = await newIncident('Quiet breach');
    const { slug } = await overviewOf(incidentId);
    // A draft exists, approved even: still nothing public. (The 404 page lists the notices that are.)
    const content = exampleNotice();
    content.locales.en!.title = 'Quiet breach, not announced yet';
    const draft = ok<{ id: string }>(await site.comms.put(`${api(incidentId)}/draft`, { content }));
    ok(await site.legal.post(`${api(incidentId)}/versions/${draft.id}/approve`));
    for (const path of ['', '/feed.atom', '/lookup', '/verify', '/contact', '/subscribe']) {
      const response = await getPage(site.t, `/n/${slug}${path}`);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('There is no notice at this address');
      expect(response.body).not.toContain('not announced yet');
      expect(response.body).not.toContain(slug);
    }
    expect((await getPage(site.t, '/n/no-such-incident-here')).statusCode).toBe(404);
    expect(
      (await getPage(site.t, '/n/no-such-incident-here', { headers: { 'accept-language': 'es' } })).body,
    ).toContain('Página no encontrada');
  });

  it('cannot publish updates before the notice is published', async () => {
    const incidentId = await newIncident('Early update');
    const update = ok<{ id: string }>(
      await site.comms.post(`${api(incidentId)}/updates`, {
        content: { locales: { en: { title: 'Too early', body: 'Nothing yet.' } } },
      }),
    );
    ok(await site.legal.post(`${api(incidentId)}/updates/${update.id}/approve`));
    const refused = problem(
      await site.comms.post(`${api(incidentId)}/updates/${update.id}/publish`),
      409,
      'conflict',
    );
    expect(refused.detail).toMatch(/Publish the notice first/);
  });
});

describe('updates', () => {
  const createUpdate = async (title: string, body: string, by = site.comms) =>
    ok<{ id: string; status: string }>(
      await by.post(`${api()}/updates`, { content: { locales: { en: { title, body } } } }),
    );

  it('need approval by someone else before publication, and cannot be edited once published', async () => {
    const own = ok<{ id: string }>(
      await site.admin.post(`${api()}/updates`, {
        content: { locales: { en: { title: 'Own update', body: 'By the admin.' } } },
      }),
    );
    problem(await site.admin.post(`${api()}/updates/${own.id}/approve`), 403, 'forbidden');
    problem(await site.comms.post(`${api()}/updates/${own.id}/approve`), 403, 'forbidden');
    problem(await site.comms.post(`${api()}/updates/${own.id}/publish`), 409, 'conflict');
    problem(await site.legal.post(`${api()}/updates/${own.id}/publish`), 403, 'forbidden');

    const update = await createUpdate('Scoped update', 'Body.');
    ok(await site.legal.post(`${api()}/updates/${update.id}/approve`));
    // Editing an approved update needs a new approval.
    const edited = ok<{ status: string }>(
      await site.comms.put(`${api()}/updates/${update.id}`, {
        content: { locales: { en: { title: 'Scoped update, edited', body: 'Body.' } } },
      }),
    );
    expect(edited.status).toBe('draft');
    problem(await site.comms.post(`${api()}/updates/${update.id}/publish`), 409, 'conflict');
    ok(await site.legal.post(`${api()}/updates/${update.id}/approve`));
    const published = ok<{ status: string; notified: number }>(
      await site.comms.post(`${api()}/updates/${update.id}/publish`),
    );
    expect(published.status).toBe('published');
    expect(published.notified).toBe(0);
    problem(await site.comms.post(`${api()}/updates/${update.id}/publish`), 409, 'conflict');
    problem(
      await site.comms.put(`${api()}/updates/${update.id}`, {
        content: { locales: { en: { title: 'Rewritten', body: 'Body.' } } },
      }),
      409,
      'conflict',
    );
  });

  it('appear on the page newest first, dated, and on the timeline', async () => {
    for (const title of ['First finding', 'Second finding']) {
      const update = await createUpdate(title, `${title}: details.`);
      ok(await site.legal.post(`${api()}/updates/${update.id}/approve`));
      ok(await site.comms.post(`${api()}/updates/${update.id}/publish`));
    }
    const page = await getPage(site.t, `/n/${site.slug}`);
    const text = textOf(page.body);
    const second = text.indexOf('Second finding');
    const first = text.indexOf('First finding');
    const scoped = text.indexOf('Scoped update, edited');
    expect(second).toBeGreaterThan(-1);
    expect(second).toBeLessThan(first);
    expect(first).toBeLessThan(scoped);
    expect(page.body).toContain('<time datetime=');
    expect(text).toContain('Last updated');
    // Drafts never show.
    expect(text).not.toContain('Own update');

    const events = (await timelineOf(site.comms, site.incidentId)).filter(
      (e) => e.kind === 'notice' && /Update published/.test(e.summary),
    );
    expect(events).toHaveLength(3);
  });

  it('appear in the Atom feed newest first', async () => {
    const feed = await getPage(site.t, `/n/${site.slug}/feed.atom`);
    expect(feed.statusCode).toBe(200);
    expect(feed.headers['content-type']).toContain('application/atom+xml');
    const titles = [...feed.body.matchAll(/<entry>\s*<id>[^<]*<\/id>\s*<title>([^<]*)<\/title>/g)].map(
      (m) => m[1],
    );
    expect(titles.slice(0, 3)).toEqual(['Second finding', 'First finding', 'Scoped update, edited']);
  });
});

describe('languages', () => {
  const notice = (headers: Record<string, string> = {}, query = '') =>
    getPage(site.t, `/n/${site.slug}${query}`, { headers });

  it('Accept-Language picks Spanish; ?lang=en overrides it; the switcher links both', async () => {
    const es = await notice({ 'accept-language': 'es-ES,es;q=0.9,en;q=0.5' });
    expect(es.body).toContain('<html lang="es">');
    expect(es.body).toContain('Qué ocurrió');
    expect(es.body).toContain(exampleNotice().locales.es!.title);
    expect(es.body).toContain(`href="/n/${site.slug}?lang=en"`);

    const en = await notice({ 'accept-language': 'es' }, '?lang=en');
    expect(en.body).toContain('<html lang="en">');
    expect(en.body).toContain('What happened');
    expect(en.body).not.toContain('Qué ocurrió');

    const ranked = await notice({ 'accept-language': 'en;q=0.2, es;q=0.8' });
    expect(ranked.body).toContain('<html lang="es">');
  });

  it('an unknown language falls back to the notice’s default', async () => {
    for (const [headers, query] of [
      [{ 'accept-language': 'fr-FR,fr;q=0.9' }, ''],
      [{}, '?lang=fr'],
      [{ 'accept-language': 'es;q=0' }, ''],
      [{ 'accept-language': 'garbage;;;q=x' }, ''],
    ] as const) {
      const response = await notice(headers, query);
      expect(response.statusCode).toBe(200);
      expect(response.body).toContain('<html lang="en">');
      expect(response.body).toContain('What happened');
    }
  });

  it('a notice written in Spanish first defaults to Spanish; one in English only has no switcher', async () => {
    const base = exampleNotice();
    const esFirst = await publishNotice(site.comms, site.legal, await newIncident('Spanish first'), {
      ...base,
      defaultLocale: 'es',
    });
    const fr = await getPage(site.t, `/n/${esFirst}`, { headers: { 'accept-language': 'fr' } });
    expect(fr.body).toContain('<html lang="es">');
    expect(fr.body).toContain('Qué ocurrió');

    const enOnly = await publishNotice(site.comms, site.legal, await newIncident('English only'), {
      ...base,
      locales: { en: base.locales.en! },
    });
    const es = await getPage(site.t, `/n/${enOnly}`, { headers: { 'accept-language': 'es' } });
    expect(es.statusCode).toBe(200);
    expect(es.body).toContain('<html lang="en">');
    expect(es.body).not.toContain('?lang=es');
    // The site's own forms follow the reader's language.
    const lookupEs = await getPage(site.t, `/n/${site.slug}/lookup`, {
      headers: { 'accept-language': 'es' },
    });
    expect(lookupEs.body).toContain('Comprueba si te ha afectado');
  });
});

describe('branding', () => {
  const png = Buffer.from(
    'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
    'base64',
  );

  it('only admins change it', async () => {
    problem(
      await site.comms.put('/api/settings/branding', { companyName: 'Comms Inc', primaryColor: '#123456' }),
      403,
      'forbidden',
    );
  });

  it('company name and colour show on the public page at once', async () => {
    const branding = ok<{ companyName: string; primaryColor: string }>(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
      }),
    );
    expect(branding).toMatchObject({ companyName: 'Acme Widgets', primaryColor: '#aa3300' });
    const page = await getPage(site.t, `/n/${site.slug}`);
    expect(page.body).toContain('Acme Widgets');
    // The colour reaches the page through its stylesheet (no inline styles on the public site).
    expect(page.body).toMatch(/href="\/n\/_assets\/site\.[0-9a-f]{10}\.aa3300\.css"/);
    expect(page.body).not.toContain('<img src="/n/_brand/logo"');
    // Other pages of the site too.
    expect((await getPage(site.t, `/n/${site.slug}/lookup`)).body).toContain('Acme Widgets');
    problem(
      await site.admin.put('/api/settings/branding', { companyName: 'Acme', primaryColor: 'red' }),
      400,
      'validation_failed',
    );
  });

  it('refuses a logo whose bytes are not the declared type, or over 200 kB', async () => {
    const notJpeg = problem(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
        logo: { contentType: 'image/jpeg', dataBase64: png.toString('base64') },
      }),
      400,
      'bad_request',
    );
    expect(notJpeg.detail).toMatch(/JPEG/);
    problem(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
        logo: {
          contentType: 'image/png',
          dataBase64: Buffer.from('<svg onload="alert(1)"/>').toString('base64'),
        },
      }),
      400,
      'bad_request',
    );
    const big = Buffer.concat([png, Buffer.alloc(200 * 1024 + 1 - png.length)]);
    const tooBig = problem(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
        logo: { contentType: 'image/png', dataBase64: big.toString('base64') },
      }),
      400,
      'bad_request',
    );
    expect(tooBig.detail).toMatch(/200 kB/);
    expect((await getPage(site.t, '/n/_brand/logo')).statusCode).toBe(404);
  });

  it('serves the logo with its content type, and the page shows it', async () => {
    const saved = ok<{ logo: { contentType: string; size: number } | null }>(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
        logo: { contentType: 'image/png', dataBase64: png.toString('base64') },
      }),
    );
    expect(saved.logo).toEqual({ contentType: 'image/png', size: png.length });
    const logo = await getPage(site.t, '/n/_brand/logo');
    expect(logo.statusCode).toBe(200);
    expect(logo.headers['content-type']).toBe('image/png');
    expect(logo.headers['x-content-type-options']).toBe('nosniff');
    expect(logo.rawPayload.equals(png)).toBe(true);
    expect((await getPage(site.t, `/n/${site.slug}`)).body).toContain('<img src="/n/_brand/logo"');
    // Saving without a logo field keeps it; null removes it.
    ok(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
      }),
    );
    expect((await getPage(site.t, '/n/_brand/logo')).statusCode).toBe(200);
    ok(
      await site.admin.put('/api/settings/branding', {
        companyName: 'Acme Widgets',
        primaryColor: '#aa3300',
        logo: null,
      }),
    );
    expect((await getPage(site.t, '/n/_brand/logo')).statusCode).toBe(404);
    expect((await getPage(site.t, `/n/${site.slug}`)).body).not.toContain('<img src="/n/_brand/logo"');
  });
});

describe('on its own domain', () => {
  let own: Site;
  beforeAll(async () => {
    own = await createSite({ CANDOR_NOTICE_URL: 'https://incident.example.com/' });
  });
  afterAll(async () => own?.t.close());

  it('uses the configured base URL in links, the feed and the overview, with a Secure cookie', async () => {
    const base = `https://incident.example.com/n/${own.slug}`;
    expect(ok<{ publicUrl: string }>(await own.comms.get(`${api(own.incidentId)}`)).publicUrl).toBe(base);
    expect((await getPage(own.t, `/n/${own.slug}/feed.atom`)).body).toContain(`href="${base}/feed.atom"`);

    await lookup(own, ann.email);
    await settleSiteMessages(own.t);
    const message = (await siteOutbox(own.legal, own.incidentId)).find((m) => m.to === ann.email)!;
    expect(message.text).toContain(`${base}/me/`);
    const opened = await getPage(own.t, personalLinkIn(message.text));
    expect(opened.statusCode).toBe(303);
    const cookie = setCookies(opened).find((c) => c.startsWith('candor_me='))!;
    expect(cookie).toMatch(/;\s*Secure/i);
  });
});

describe('several processes', () => {
  it('a version published by another process is served on the next request after a second', async () => {
    const other = await buildApp(site.t.ctx, { webRoot: '/nonexistent' });
    try {
      // This process holds the page in memory.
      expect((await getPage(site.t, `/n/${site.slug}`)).body).not.toContain('Published by the other process');
      const meta = (label: string) => ({ actor: { type: 'user' as const, id: randomUUID(), label } });
      const draft = await other.noticeSite.service.saveDraft(
        site.incidentId,
        withTitle('Published by the other process'),
        meta('comms'),
      );
      await other.noticeSite.service.approve(site.incidentId, draft.id, meta('legal'));
      await other.noticeSite.service.publish(site.incidentId, draft.id, meta('comms'));
      // "A publication shows everywhere within a second" (site.ts).
      await new Promise((resolve) => setTimeout(resolve, 1_100));
      const page = await getPage(site.t, `/n/${site.slug}`);
      expect(page.body).toContain('Published by the other process');
    } finally {
      await other.app.close();
    }
  });
});
