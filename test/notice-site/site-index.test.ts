import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createIncident, ok } from '../incidents/helpers.ts';
import { createTestApp, type TestApp } from '../support/app.ts';
import { exampleNotice, publishNotice } from './helpers.ts';
import { createSite, getPage, type Site } from './more-helpers.ts';

/**
 * Someone who mistypes the address from their letter must land somewhere useful: the public 404 page and
 * the site's index (`/n/`) offer the company's published notices and its contact, every link on them leads
 * to a page that exists (they linked to `/n/` and `/n//feed.atom`, both 404), and an incident whose notice
 * is not published is never revealed (its title or address on a public page would announce a breach before
 * the company has).
 */
let site: Site;
beforeAll(async () => {
  site = await createSite();
});
afterAll(async () => site?.t.close());

const hrefsOf = (html: string) => [...html.matchAll(/(?:href|src)="(\/[^"]*)"/g)].map((m) => m[1]!);

/** Every address the page links to (links, stylesheet, logo) answers without an error. */
async function expectNoBrokenLinks(t: TestApp, page: LightMyRequestResponse) {
  const hrefs = hrefsOf(page.body);
  expect(hrefs.length).toBeGreaterThan(0);
  for (const href of hrefs) {
    expect(href, href).not.toContain('//');
    const target = await getPage(t, href);
    expect(target.statusCode, href).toBeLessThan(400);
  }
}

describe('the public 404 page', () => {
  it('offers the one published notice and the company contact, with no broken link', async () => {
    const title = exampleNotice().locales.en!.title;
    for (const url of ['/n/no-such-notice', `/n/${site.slug}/typo`, `/n/${site.slug}x`, '/n/a']) {
      const page = await getPage(site.t, url);
      expect(page.statusCode, url).toBe(404);
      expect(page.headers['content-type']).toContain('text/html');
      expect(page.body).toContain('There is no notice at this address');
      expect(page.body).toContain(`<a class="button" href="/n/${site.slug}">${title}</a>`);
      expect(page.body).toContain('How to reach us');
      expect(page.body).toContain('help@example.com');
      expect(page.body).toContain('+1 800 555 0100');
      await expectNoBrokenLinks(site.t, page);
    }
  });

  it('is in Spanish for a Spanish reader, with the notice title in Spanish', async () => {
    const page = await getPage(site.t, '/n/no-such-notice', { headers: { 'accept-language': 'es' } });
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('No hay ningún aviso en esta dirección');
    expect(page.body).toContain('Este es el aviso que hemos publicado');
    expect(page.body).toContain(exampleNotice().locales.es!.title);
    expect(page.body).toContain('Cómo contactarnos');
  });
});

describe('the site index and several incidents', () => {
  it('lists every published notice, never an unpublished one', async () => {
    // Its own site, so the index (held five seconds) is first read after everything is published.
    const several = await createSite();
    try {
      const second = await createIncident(several.responder, { title: 'Second breach' });
      const content = exampleNotice();
      content.locales.en!.title = 'Second notice, about the loyalty programme';
      const secondSlug = await publishNotice(several.comms, several.legal, second.id, content);

      const secret = await createIncident(several.responder, { title: 'Internal: payroll leak' });
      const draft = exampleNotice();
      draft.locales.en!.title = 'Unannounced payroll notice';
      ok(await several.comms.put(`/api/incidents/${secret.id}/notice-site/draft`, { content: draft }));
      const secretSlug = ok<{ slug: string }>(
        await several.comms.get(`/api/incidents/${secret.id}/notice-site`),
      ).slug;

      for (const url of ['/n/', '/n', '/n/nope']) {
        const page = await getPage(several.t, url);
        expect(page.statusCode, url).toBe(url === '/n/nope' ? 404 : 200);
        expect(page.body).toContain('These are the notices we have published');
        expect(page.body).toContain(
          `<a href="/n/${secondSlug}">Second notice, about the loyalty programme</a>`,
        );
        expect(page.body).toContain(`<a href="/n/${several.slug}">${exampleNotice().locales.en!.title}</a>`);
        expect(page.body).not.toContain('Unannounced payroll');
        expect(page.body).not.toContain(secretSlug);
        expect(page.body).not.toContain('payroll leak');
        await expectNoBrokenLinks(several.t, page);
      }
      // The unpublished incident's own address is the same 404 as any other.
      const unpublished = await getPage(several.t, `/n/${secretSlug}`);
      const unknown = await getPage(several.t, '/n/nope');
      expect(unpublished.statusCode).toBe(404);
      expect(unpublished.body).toBe(unknown.body);
    } finally {
      await several.t.close();
    }
  });

  it('says there is nothing published yet, before any notice, still with no broken link', async () => {
    const fresh = await createTestApp();
    try {
      for (const url of ['/n/', '/n/anything']) {
        const page = await getPage(fresh, url);
        expect(page.body).toContain('We have not published a notice here.');
        expect(page.body).not.toContain('feed.atom');
        await expectNoBrokenLinks(fresh, page);
      }
    } finally {
      await fresh.close();
    }
  });
});
