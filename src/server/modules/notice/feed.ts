import type { NoticeContent } from './content.ts';
import { esc, type PublishedUpdate, updateText } from './render.ts';

/**
 * The updates as an Atom feed (RFC 4287): one entry for the notice and one per update, in the notice's
 * default language. Ids are `urn:uuid:` of the incident and of each update: they never change, whatever is
 * republished or renamed, so feed readers never show an entry twice.
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
  <id>${esc(page)}/feed.atom</id>
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
