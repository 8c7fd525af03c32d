import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { sql } from 'kysely';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { renderFeed } from '../../src/server/modules/notice-site/feed.ts';
import { createIncident, ok } from '../incidents/helpers.ts';
import { exampleNotice, publishNotice } from './helpers.ts';
import { createSite, getPage, type Site } from './more-helpers.ts';

/**
 * The updates feed is valid Atom (RFC 4287): the required elements of the feed and of each entry, unique
 * and permanent ids, RFC 3339 dates, newest first, everything the company wrote escaped.
 */
const ATOM = 'http://www.w3.org/2005/Atom';
const RFC3339 = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/;
/** An IRI as Atom ids use them: a tag URI (RFC 4151), a UUID URN or an http(s) URL. */
const ID_IRI = /^(tag:[a-z0-9.-]+,\d{4}(-\d{2}(-\d{2})?)?:\S+|urn:uuid:[0-9a-f-]{36}|https?:\/\/\S+)$/;

type Node = Record<string, unknown>;
interface Link {
  '@_rel'?: string;
  '@_href': string;
  '@_type'?: string;
}
interface Entry {
  id: string[];
  title: Array<string | Node>;
  updated: string[];
  link?: Link[];
  content?: Array<string | Node>;
  summary?: Array<string | Node>;
}
interface Feed {
  '@_xmlns': string;
  id: string[];
  title: Array<string | Node>;
  updated: string[];
  author?: Array<{ name: string[] }>;
  link: Link[];
  entry?: Entry[];
}

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  parseTagValue: false,
  htmlEntities: true,
  // Every element as an array, so "exactly one" can be checked.
  isArray: (_name, jpath, _leaf, isAttribute) => !isAttribute && String(jpath) !== 'feed',
});

function parseFeed(xml: string): Feed {
  expect(XMLValidator.validate(xml)).toBe(true);
  const doc = parser.parse(xml) as { feed?: Feed };
  expect(doc.feed).toBeDefined();
  return doc.feed!;
}

const textOf = (value: string | Node | undefined): string =>
  typeof value === 'string' ? value : String((value as Node | undefined)?.['#text'] ?? '');

/** The MUSTs of RFC 4287 this feed is subject to. */
function expectValidAtom(feed: Feed, feedUrl: string): void {
  expect(feed['@_xmlns']).toBe(ATOM);
  expect(feed.id).toHaveLength(1);
  expect(feed.id[0]).toMatch(ID_IRI);
  expect(feed.title).toHaveLength(1);
  expect(textOf(feed.title[0]).length).toBeGreaterThan(0);
  expect(feed.updated).toHaveLength(1);
  expect(feed.updated[0]).toMatch(RFC3339);
  // Entries carry no author of their own: the feed must.
  expect(feed.author).toHaveLength(1);
  expect(feed.author![0]!.name[0]!.length).toBeGreaterThan(0);
  const self = feed.link.filter((l) => l['@_rel'] === 'self');
  expect(self).toHaveLength(1);
  expect(self[0]!['@_href']).toBe(feedUrl);
  const alternates = feed.link.filter((l) => (l['@_rel'] ?? 'alternate') === 'alternate');
  expect(alternates.length).toBeLessThanOrEqual(1);
  const ids = new Set<string>([feed.id[0]!]);
  for (const entry of feed.entry ?? []) {
    expect(entry.id).toHaveLength(1);
    expect(entry.id[0]).toMatch(ID_IRI);
    expect(ids.has(entry.id[0]!)).toBe(false);
    ids.add(entry.id[0]!);
    expect(entry.title).toHaveLength(1);
    expect(entry.updated).toHaveLength(1);
    expect(entry.updated[0]).toMatch(RFC3339);
    expect(Number.isNaN(Date.parse(entry.updated[0]!))).toBe(false);
    // Without content, an entry needs an alternate link (RFC 4287 §4.1.2).
    if (!entry.content) {
      expect(entry.link?.some((l) => (l['@_rel'] ?? 'alternate') === 'alternate')).toBe(true);
    }
    expect(entry.updated[0]! <= feed.updated[0]!).toBe(true);
  }
  const latest = (feed.entry ?? [])
    .map((e) => e.updated[0]!)
    .sort()
    .at(-1);
  expect(feed.updated[0]).toBe(latest);
}

const entryIds = (feed: Feed) => (feed.entry ?? []).map((e) => e.id[0]!);

let site: Site;
beforeAll(async () => {
  site = await createSite();
});
afterAll(async () => site?.t.close());

async function publishUpdate(incidentId: string, title: string, body: string): Promise<string> {
  const base = `/api/incidents/${incidentId}/notice-site/updates`;
  const draft = ok<{ id: string }>(
    await site.comms.post(base, { content: { locales: { en: { title, body } } } }),
  );
  ok(await site.legal.post(`${base}/${draft.id}/approve`));
  ok(await site.comms.post(`${base}/${draft.id}/publish`));
  return draft.id;
}

const feedUrlOf = (slug: string) => `${site.t.ctx.config.noticeUrl}/n/${slug}/feed.atom`;
const fetchFeed = async (slug: string) => {
  const response = await getPage(site.t, `/n/${slug}/feed.atom`);
  expect(response.statusCode).toBe(200);
  return response;
};

describe('the feed served for a notice', () => {
  it('is valid Atom with only the notice before any update', async () => {
    const response = await fetchFeed(site.slug);
    expect(response.headers['content-type']).toBe('application/atom+xml; charset=utf-8');
    expect(response.headers['cache-control']).toContain('public');
    const feed = parseFeed(response.body);
    expectValidAtom(feed, feedUrlOf(site.slug));
    expect(feed.entry).toHaveLength(1);
    expect(textOf(feed.entry![0]!.title[0])).toBe(exampleNotice().locales.en!.title);
    expect(feed.entry![0]!.link![0]!['@_href']).toBe(`${site.t.ctx.config.noticeUrl}/n/${site.slug}`);
  });

  it('lists published updates newest first, with unique ids, escaping what comms wrote', async () => {
    const tricky = `Fix <b>bold</b> & "quotes" 'apos' ]]>`;
    const first = await publishUpdate(site.incidentId, 'First update', 'One.');
    const second = await publishUpdate(site.incidentId, tricky, 'Body with <tags> & ampersands.');
    const feed = parseFeed((await fetchFeed(site.slug)).body);
    expectValidAtom(feed, feedUrlOf(site.slug));
    expect(feed.entry).toHaveLength(3);
    const [newest, older] = feed.entry!;
    expect(textOf(newest!.title[0])).toBe(tricky);
    expect(textOf(newest!.content![0])).toBe('Body with <tags> & ampersands.');
    expect(newest!.id[0]).toContain(second);
    expect(textOf(older!.title[0])).toBe('First update');
    expect(older!.id[0]).toContain(first);
    expect(newest!.updated[0]! >= older!.updated[0]!).toBe(true);
    expect(newest!.link![0]!['@_href']).toBe(
      `${site.t.ctx.config.noticeUrl}/n/${site.slug}#update-${second}`,
    );
  });

  it('is 404 for an incident without a published notice', async () => {
    const incident = await createIncident(site.responder, { title: 'Unpublished' });
    const { slug } = ok<{ slug: string }>(await site.comms.get(`/api/incidents/${incident.id}/notice-site`));
    expect((await getPage(site.t, `/n/${slug}/feed.atom`)).statusCode).toBe(404);
  });

  it('keeps its ids when a new version of the notice is published on a later day', async () => {
    const incident = await createIncident(site.responder, { title: 'Feed ids' });
    const slug = await publishNotice(site.comms, site.legal, incident.id);
    // Version one was published three days ago.
    await sql`UPDATE notice_versions SET published_at = published_at - interval '3 days'
              WHERE incident_id = ${incident.id}::uuid`.execute(site.t.ctx.db);
    await publishUpdate(incident.id, 'Early update', 'Published under version one.');
    const before = parseFeed((await fetchFeed(slug)).body);
    expectValidAtom(before, feedUrlOf(slug));

    const content = exampleNotice();
    content.locales.en!.title = 'Notice, corrected';
    await publishNotice(site.comms, site.legal, incident.id, content);
    const after = parseFeed((await fetchFeed(slug)).body);
    expectValidAtom(after, feedUrlOf(slug));
    expect(textOf(after.title[0])).toBe('Notice, corrected');
    // RFC 4287 §4.2.6: an id is permanent. Readers would show every entry again as new otherwise.
    expect(after.id[0]).toBe(before.id[0]);
    expect(entryIds(after)).toEqual(entryIds(before));
  });
});

describe('renderFeed', () => {
  const base = {
    incidentId: '6f1c2a4e-2f53-4e0b-9a51-3c4d5e6f7a8b',
    noticeUrl: 'https://incident.example.com',
    slug: 'shop-breach-1a2b3c',
    companyName: 'Shop & Co',
    content: exampleNotice(),
    updates: [
      {
        id: '6f9a3c1e-1111-4222-8333-944445555666',
        publishedAt: new Date('2025-03-04T10:00:00Z'),
        content: { locales: { en: { title: 'Update', body: 'Body' } } },
      },
    ],
  };

  it('renders valid Atom', () => {
    const feed = parseFeed(renderFeed({ ...base, publishedAt: new Date('2025-03-01T09:00:00Z') }));
    expectValidAtom(feed, 'https://incident.example.com/n/shop-breach-1a2b3c/feed.atom');
    expect(feed.author![0]!.name[0]).toBe('Shop & Co');
    expect(feed.updated[0]).toBe('2025-03-04T10:00:00.000Z');
  });

  // RFC 4287 §4.2.6: the feed id is permanent. Built from the server's address, it changed when the site
  // moved to another domain or proxy, and every reader saw a new feed (and every entry again as new).
  it('keeps the feed id when the server is reached at another address', () => {
    const publishedAt = new Date('2025-03-01T09:00:00Z');
    const here = parseFeed(renderFeed({ ...base, publishedAt }));
    const moved = parseFeed(renderFeed({ ...base, publishedAt, noticeUrl: 'https://status.example.org' }));
    expect(moved.id[0]).toBe(here.id[0]);
    expect(here.id[0]).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(here.id[0]).not.toContain('example');
    // Another incident's feed has another id; the notice entry keeps its own.
    const other = parseFeed(
      renderFeed({ ...base, publishedAt, incidentId: '0a1b2c3d-4e5f-4061-8293-a4b5c6d7e8f9' }),
    );
    expect(other.id[0]).not.toBe(here.id[0]);
    expect(entryIds(here)).toContain(`urn:uuid:${base.incidentId}`);
  });

  it('gives an update the same id whichever version of the notice it is rendered with', () => {
    const v1 = parseFeed(renderFeed({ ...base, publishedAt: new Date('2025-03-01T09:00:00Z') }));
    const v2 = parseFeed(renderFeed({ ...base, publishedAt: new Date('2025-03-06T09:00:00Z') }));
    expect(v2.id[0]).toBe(v1.id[0]);
    expect(entryIds(v2)).toEqual(entryIds(v1));
  });
});
