import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LightMyRequestResponse } from 'fastify';
import type { NoticeContent } from '../../src/server/modules/notice-site/index.ts';
import { type Client, ok } from '../incidents/helpers.ts';
import type { TestApp } from '../support/app.ts';

/** The example notice (examples/notice.json), as comms would write it. */
export const exampleNotice = (): NoticeContent =>
  JSON.parse(
    fs.readFileSync(
      path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../examples/notice.json'),
      'utf8',
    ),
  ) as NoticeContent;

/** Draft by comms, approved by legal, published by comms; returns the slug. */
export async function publishNotice(
  comms: Client,
  legal: Client,
  incidentId: string,
  content: NoticeContent = exampleNotice(),
): Promise<string> {
  const draft = ok<{ id: string }>(
    await comms.put(`/api/incidents/${incidentId}/notice-site/draft`, { content }),
  );
  ok(await legal.post(`/api/incidents/${incidentId}/notice-site/versions/${draft.id}/approve`));
  ok(await comms.post(`/api/incidents/${incidentId}/notice-site/versions/${draft.id}/publish`));
  return ok<{ slug: string }>(await comms.get(`/api/incidents/${incidentId}/notice-site`)).slug;
}

/** The per-request form token of a page's form (hidden field `form`). */
export function formTokenOf(html: string): string {
  const match = /name="form" value="([^"]+)"/.exec(html);
  if (!match) throw new Error('the page has no form token');
  return match[1]!;
}

/** GETs a public form page and POSTs its form with the given fields (as a browser would). */
export async function submitForm(
  t: TestApp,
  pagePath: string,
  fields: Record<string, string>,
  options: { ip?: string; cookie?: string; action?: string } = {},
): Promise<LightMyRequestResponse> {
  const page = await t.app.inject({
    method: 'GET',
    url: pagePath,
    remoteAddress: options.ip ?? '203.0.113.7',
    ...(options.cookie ? { headers: { cookie: options.cookie } } : {}),
  });
  const form = formTokenOf(page.body);
  return t.app.inject({
    method: 'POST',
    url: options.action ?? pagePath,
    remoteAddress: options.ip ?? '203.0.113.7',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(options.cookie ? { cookie: options.cookie } : {}),
    },
    payload: new URLSearchParams({ form, ...fields }).toString(),
  });
}

/** Messages the site sent through the embedded outbox, decrypted (what the console's outbox shows). */
export async function siteOutbox(
  client: Client,
  incidentId: string,
): Promise<Array<{ kind: string; channel: string; to: string; subject: string | null; text: string }>> {
  return ok<{
    messages: Array<{ kind: string; channel: string; to: string; subject: string | null; text: string }>;
  }>(await client.get(`/api/incidents/${incidentId}/notice-site/outbox`)).messages;
}

/** The personal link in a message's text. */
export function personalLinkIn(text: string): string {
  const match = /https?:\/\/[^\s]+\/n\/[a-z0-9-]+\/me\/[A-Za-z0-9_.-]+/.exec(text);
  if (!match) throw new Error('no personal link in the message');
  return new URL(match[0]).pathname;
}
