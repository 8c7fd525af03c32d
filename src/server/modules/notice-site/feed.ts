import { createHash } from 'node:crypto';
import type { NoticeContent } from './content.ts';
import { esc, type PublishedUpdate, updateText } from './render.ts';

/**
 * The updates as an Atom feed (RFC 4287): one entry for the notice and one per update, in the notice's
 * default language. Ids are `urn:uuid:` of the incident and of each update, and the feed's own id is a UUID
 * derived from the incident id (never from the server's address, which changes with a new domain or proxy):
 * they never change, whatever is republished, renamed or moved, so feed readers never show an entry twice.
 */
export function renderFeed(input: {
  incidentId: string;
  noticeUrl: string;
  slug: string;
  companyName: string;
  content: NoticeContent;
  updates: readonly PublishedUpdate[];
  publishedAt: Date;
}): string {
  const locale = input.content.defaultLocale;
  const text = input.content.locales[locale]!;
  const page = `${input.noticeUrl}/n/${input.slug}`;
  const updated = new Date(
    Math.max(input.publishedAt.getTime(), ...input.updates.map((u) => u.publishedAt.getTime())),
  );
  const entries = [...input.updates]
    .sort((a, b) => b.publishedAt.getTime() - a.publishedAt.getTime())
    .map((u) => {
      const ut = updateText(u.content, locale);
      return `  <entry>
    <id>urn:uuid:${u.id}</id>
    <title>${esc(ut.title)}</title>
    <updated>${u.publishedAt.toISOString()}</updated>
    <published>${u.publishedAt.toISOString()}</published>
    <link rel="alternate" type="text/html" href="${esc(page)}#update-${u.id}"/>
    <content type="text">${esc(ut.body)}</content>
  </entry>`;
    });
  entries.push(`  <entry>
    <id>urn:uuid:${input.incidentId}</id>
    <title>${esc(text.title)}</title>
    <updated>${input.publishedAt.toISOString()}</updated>
    <published>${input.publishedAt.toISOString()}</published>
    <link rel="alternate" type="text/html" href="${esc(page)}"/>
    <summary type="text">${esc(text.summary || text.whatHappened.slice(0, 500))}</summary>
  </entry>`);
  return `<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="${locale}">
  <id>${feedId(input.incidentId)}</id>
  <title>${esc(text.title)}</title>
  <subtitle>${esc(input.companyName)}</subtitle>
  <updated>${updated.toISOString()}</updated>
  <author><name>${esc(input.companyName)}</name></author>
  <link rel="self" type="application/atom+xml" href="${esc(page)}/feed.atom"/>
  <link rel="alternate" type="text/html" href="${esc(page)}"/>
${entries.join('\n')}
</feed>
`;
}

/**
 * The feed's permanent id (RFC 4287 §4.2.6): a name-based UUID (RFC 9562 version 5) of the incident id, so
 * it differs from the notice entry's `urn:uuid:<incident>` yet is the same on every server and forever.
 */
export function feedId(incidentId: string): string {
  const namespace = Buffer.from(incidentId.replace(/-/g, ''), 'hex');
  const hash = createHash('sha1').update(namespace).update('candor:notice-feed', 'utf8').digest();
  hash[6] = (hash[6]! & 0x0f) | 0x50;
  hash[8] = (hash[8]! & 0x3f) | 0x80;
  const hex = hash.subarray(0, 16).toString('hex');
  return `urn:uuid:${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
