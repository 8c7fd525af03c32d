import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createNoticeSiteModule } from '../../src/server/modules/notice-site/index.ts';
import type { RenderedMessage, Senders } from '../../src/server/modules/outbound/index.ts';
import { createOutbound } from '../../src/server/wiring.ts';
import { createIncident, ok } from '../incidents/helpers.ts';
import { siteOutbox, submitForm } from './helpers.ts';
import {
  ann,
  createSite,
  formTokenFor,
  freshIp,
  getPage,
  insertDelivery,
  pnOf,
  postForm,
  queuedCount,
  type Site,
  settleSiteMessages,
  statsOf,
  textOf,
  withoutFormTokens,
} from './more-helpers.ts';

/**
 * The public's other forms: email subscriptions to updates (double opt-in, one-click unsubscribe, one
 * message per confirmed subscriber when an update is published), "is this notice genuine?", and the
 * contact form that opens an inquiry in the support inbox.
 */
let site: Site;
beforeAll(async () => {
  site = await createSite();
});
afterAll(async () => site?.t.close());

const submit = (path: string, fields: Record<string, string>, ip = freshIp()) =>
  submitForm(site.t, path, fields, { ip });
const outbox = () => siteOutbox(site.legal, site.incidentId);
const linkIn = (text: string, kind: 'subscribe/confirm' | 'unsubscribe') => {
  const match = new RegExp(`https?://[^\\s]+/n/${site.slug}/${kind}/[A-Za-z0-9_.-]+`).exec(text);
  if (!match) throw new Error(`no ${kind} link in the message`);
  return new URL(match[0]).pathname;
};

async function subscribe(email: string): Promise<LightMyRequestResponse> {
  return submit(`/n/${site.slug}/subscribe`, { email });
}

async function confirmLinkFor(email: string): Promise<string> {
  await settleSiteMessages(site.t);
  const messages = (await outbox()).filter((m) => m.to === email && m.kind === 'subscribe_confirm');
  expect(messages.length).toBeGreaterThan(0);
  return linkIn(messages[0]!.text, 'subscribe/confirm');
}

async function publishUpdate(title: string, body: string): Promise<{ id: string; notified: number }> {
  const base = `/api/incidents/${site.incidentId}/notice-site/updates`;
  const draft = ok<{ id: string }>(
    await site.comms.post(base, { content: { locales: { en: { title, body } } } }),
  );
  ok(await site.legal.post(`${base}/${draft.id}/approve`));
  return ok<{ id: string; notified: number }>(await site.comms.post(`${base}/${draft.id}/publish`));
}

describe('subscriptions', () => {
  let confirmLink: string;

  it('subscribing sends a confirmation with a link; nothing is subscribed until it is confirmed', async () => {
    const response = await subscribe('Reader@Example.com');
    expect(response.statusCode).toBe(200);
    expect(response.headers['cache-control']).toBe('no-store');
    expect(response.body).toContain('Check your email');
    confirmLink = await confirmLinkFor('reader@example.com');
    const stats = await statsOf(site.comms, site.incidentId);
    expect(stats.subscriptions).toEqual({ pending: 1, confirmed: 0, unsubscribed: 0 });
    expect(stats.totals.subscribed).toBe(1);
    // The address is sealed at rest.
    const rows = await site.t.ctx.db.selectFrom('notice_subscriptions').select('email_sealed').execute();
    expect(rows.some((r) => r.email_sealed.toString('latin1').includes('reader@example.com'))).toBe(false);
  });

  it('the link shows a button (a mail scanner fetching it confirms nothing); posting it confirms', async () => {
    const shown = await getPage(site.t, confirmLink);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Confirm my subscription');
    expect(shown.body).toContain(`<form method="post" action="${confirmLink}"`);
    expect((await statsOf(site.comms, site.incidentId)).subscriptions.confirmed).toBe(0);

    const confirmed = await postForm(site.t, confirmLink, {});
    expect(confirmed.statusCode).toBe(200);
    expect(confirmed.body).toContain('You are subscribed');
    expect((await statsOf(site.comms, site.incidentId)).subscriptions).toEqual({
      pending: 0,
      confirmed: 1,
      unsubscribed: 0,
    });
  });

  it('answers the same whether the address was already subscribed or not, and mails no one twice', async () => {
    const before = await queuedCount(site.t, site.incidentId);
    const again = await subscribe('reader@example.com');
    const fresh = await subscribe('newcomer@example.com');
    expect(again.statusCode).toBe(fresh.statusCode);
    expect(withoutFormTokens(again.body)).toBe(withoutFormTokens(fresh.body));
    // Only the newcomer gets a confirmation.
    expect(await queuedCount(site.t, site.incidentId)).toBe(before + 1);
    await settleSiteMessages(site.t);
    const toReader = (await outbox()).filter((m) => m.to === 'reader@example.com');
    expect(toReader).toHaveLength(1);
  });

  it('publishing an update notifies each confirmed subscriber once, with an unsubscribe link', async () => {
    await settleSiteMessages(site.t);
    const update = await publishUpdate('Passwords reset', 'We reset every affected password today.');
    // The newcomer has not confirmed: one subscriber.
    expect(update.notified).toBe(1);
    await settleSiteMessages(site.t);
    const updates = (await outbox()).filter((m) => m.kind === 'update');
    expect(updates).toHaveLength(1);
    const [message] = updates;
    expect(message!.to).toBe('reader@example.com');
    expect(message!.channel).toBe('email');
    expect(message!.subject).toContain('Passwords reset');
    expect(message!.text).toContain('We reset every affected password today.');
    expect(message!.text).toContain(`/n/${site.slug}#update-${update.id}`);
    expect(linkIn(message!.text, 'unsubscribe')).toMatch(new RegExp(`^/n/${site.slug}/unsubscribe/`));
  });

  it('sends update notices with RFC 8058 one-click unsubscribe headers', async () => {
    const captured: RenderedMessage[] = [];
    const capture = {
      kind: 'outbox' as const,
      async send(message: RenderedMessage) {
        captured.push(message);
        return { ok: true as const, providerId: message.messageId };
      },
      close() {},
    };
    const senders: Senders = { email: capture, sms: capture, letter: capture, close() {} };
    await settleSiteMessages(site.t);
    const update = await publishUpdate('Monitoring offered', 'Free credit monitoring is available.');
    expect(update.notified).toBe(1);
    // Updates are sent by the sender loop (not by the request): this one sends through `capture`.
    const outbound = createOutbound(site.t.ctx, { senders });
    createNoticeSiteModule(site.t.ctx, { outbound });
    await outbound.messages.drain();
    expect(captured).toHaveLength(1);
    const headers = captured[0]!.headers ?? {};
    expect(headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
    const listUnsubscribe = /^<(https?:\/\/[^>]+)>$/.exec(headers['List-Unsubscribe'] ?? '');
    expect(listUnsubscribe).not.toBeNull();
    const unsubscribePath = new URL(listUnsubscribe![1]!).pathname;
    expect(captured[0]!.text).toContain(listUnsubscribe![1]);

    // The GET shows a button and unsubscribes no one.
    const shown = await getPage(site.t, unsubscribePath);
    expect(shown.statusCode).toBe(200);
    expect(shown.body).toContain('Unsubscribe');
    expect((await statsOf(site.comms, site.incidentId)).subscriptions.confirmed).toBe(1);

    // What a mail client posts for one click.
    const oneClick = await site.t.app.inject({
      method: 'POST',
      url: unsubscribePath,
      remoteAddress: freshIp(),
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      payload: 'List-Unsubscribe=One-Click',
    });
    expect(oneClick.statusCode).toBe(200);
    expect(oneClick.body).toContain('You are unsubscribed');
    expect((await statsOf(site.comms, site.incidentId)).subscriptions).toMatchObject({
      confirmed: 0,
      unsubscribed: 1,
    });
    // Posting again is harmless.
    const twice = await postForm(site.t, unsubscribePath, { 'List-Unsubscribe': 'One-Click' });
    expect(twice.statusCode).toBe(200);
  });

  it('an unsubscribed address gets no further updates', async () => {
    await settleSiteMessages(site.t);
    const before = (await outbox()).filter((m) => m.kind === 'update').length;
    const update = await publishUpdate('Investigation closed', 'The investigation is complete.');
    expect(update.notified).toBe(0);
    await settleSiteMessages(site.t);
    expect((await outbox()).filter((m) => m.kind === 'update')).toHaveLength(before);
  });

  it('subscribing again after unsubscribing needs a new confirmation, sent at most once an hour per address', async () => {
    const before = (await outbox()).filter(
      (m) => m.kind === 'subscribe_confirm' && m.to === 'reader@example.com',
    );
    expect(before).toHaveLength(1);
    expect((await subscribe('reader@example.com')).statusCode).toBe(200);
    await settleSiteMessages(site.t);
    // Within the hour no second confirmation goes out (subscribing is not a way to mail-bomb an address)…
    const after = (await outbox()).filter(
      (m) => m.kind === 'subscribe_confirm' && m.to === 'reader@example.com',
    );
    expect(after).toHaveLength(1);
    // …an hour later it does.
    await site.t.ctx.db
      .updateTable('notice_lookup_answers')
      .set({ last_sent_at: new Date(Date.now() - 2 * 3_600_000) })
      .execute();
    expect((await subscribe('reader@example.com')).statusCode).toBe(200);
    await settleSiteMessages(site.t);
    const later = (await outbox()).filter(
      (m) => m.kind === 'subscribe_confirm' && m.to === 'reader@example.com',
    );
    expect(later).toHaveLength(2);
    expect((await statsOf(site.comms, site.incidentId)).subscriptions).toMatchObject({
      pending: 2,
      confirmed: 0,
      unsubscribed: 0,
    });
  });

  it('refuses tampered or misused subscription links', async () => {
    const token = confirmLink.split('/').pop()!;
    const [payload, signature] = token.split('.') as [string, string];
    const flipped = `${payload}.${signature.slice(0, 4)}${signature.charAt(4) === 'A' ? 'B' : 'A'}${signature.slice(5)}`;
    for (const path of [
      `/n/${site.slug}/subscribe/confirm/${flipped}`,
      `/n/${site.slug}/subscribe/confirm/garbage`,
      // A confirmation token does not unsubscribe.
      `/n/${site.slug}/unsubscribe/${token}`,
    ]) {
      const response = await getPage(site.t, path);
      expect(response.statusCode, path).toBe(404);
      expect(response.body).toContain('This link no longer works');
      expect((await postForm(site.t, path, {})).statusCode).toBe(404);
    }
  });

  it('refuses a bad address with a clear message on the same page, keeping what was typed', async () => {
    const bad = await subscribe('reader@');
    expect(bad.statusCode).toBe(400);
    expect(bad.body).toContain('Enter a full email address');
    expect(bad.body).toContain('value="reader@"');
    expect(bad.body).toContain('aria-invalid="true"');
    const long = await subscribe(`${'z'.repeat(320)}@example.com`);
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('This is too long');
    const noToken = await postForm(site.t, `/n/${site.slug}/subscribe`, { email: 'x@example.com' });
    expect(noToken.statusCode).toBe(400);
    expect(noToken.body).toContain('This form expired or was not sent by this page');
  });
});

describe('is this notice genuine?', () => {
  const verify = (code: string, ip = freshIp()) => submit(`/n/${site.slug}/verify`, { code }, ip);

  it('is linked from the notice and explains how to spot phishing', async () => {
    const notice = await getPage(site.t, `/n/${site.slug}`);
    expect(notice.body).toContain(`href="/n/${site.slug}/verify"`);
    const page = await getPage(site.t, `/n/${site.slug}/verify`);
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('How to spot a fake notice');
  });

  it('confirms a code from a sent notice, and says nothing else', async () => {
    const pn = await pnOf(site.t, site.incidentId, ann.email);
    await insertDelivery(site.t, site.incidentId, pn, 'A1B2C3D4E5F6', 'sent');
    const before = await statsOf(site.comms, site.incidentId);
    // As printed on a letter: lower case, grouped.
    const response = await verify('a1b2-c3d4-e5f6');
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('This code was issued by us');
    expect(response.body).not.toContain('We did not issue this code');
    const text = textOf(response.body);
    expect(text).not.toContain('a•••');
    expect(text).not.toMatch(/\bAnn\b/);
    const after = await statsOf(site.comms, site.incidentId);
    expect(after.totals.verifyGenuine).toBe(before.totals.verifyGenuine! + 1);
  });

  it('says an unknown code was not issued: never issued, not sent yet, or of another incident', async () => {
    const pn = await pnOf(site.t, site.incidentId, ann.email);
    await insertDelivery(site.t, site.incidentId, pn, 'BBBBBBBBBBBB', 'pending');
    const other = await createIncident(site.responder, { title: 'Other breach' });
    await insertDelivery(site.t, other.id, 1, 'CCCCCCCCCCCC', 'sent');
    const before = await statsOf(site.comms, site.incidentId);
    for (const code of ['FFFFFFFFFFFF', 'BBBBBBBBBBBB', 'CCCCCCCCCCCC']) {
      const response = await verify(code);
      expect(response.statusCode, code).toBe(200);
      expect(response.body).toContain('We did not issue this code');
      expect(response.body).not.toContain('This code was issued by us');
    }
    const after = await statsOf(site.comms, site.incidentId);
    expect(after.totals.verifyUnknown).toBe(before.totals.verifyUnknown! + 3);
    expect(after.totals.verifyGenuine).toBe(before.totals.verifyGenuine);
  });

  it('explains a malformed code (400), keeping what was typed', async () => {
    const before = await statsOf(site.comms, site.incidentId);
    for (const code of ['hello', '12345', 'ZZZZZZZZZZZZ', '']) {
      const response = await verify(code);
      expect(response.statusCode, code).toBe(400);
      expect(response.body).toContain('A verification code has 12 letters and digits');
      if (code) expect(response.body).toContain(`value="${code}"`);
    }
    const after = await statsOf(site.comms, site.incidentId);
    expect(after.totals.verifyUnknown).toBe(before.totals.verifyUnknown);
  });

  it('needs the form token', async () => {
    const response = await postForm(site.t, `/n/${site.slug}/verify`, { code: 'A1B2C3D4E5F6' });
    expect(response.statusCode).toBe(400);
    expect(response.body).not.toContain('This code was issued by us');
  });
});

describe('the contact form', () => {
  const contact = (fields: Record<string, string>, ip = freshIp()) =>
    submit(`/n/${site.slug}/contact`, fields, ip);
  const threads = () =>
    site.t.ctx.db
      .selectFrom('inbox_threads')
      .selectAll()
      .where('incident_id', '=', site.incidentId)
      .orderBy('created_at')
      .execute();
  const messagesOf = (threadId: string) =>
    site.t.ctx.db
      .selectFrom('inbox_messages')
      .selectAll()
      .where('thread_id', '=', threadId)
      .orderBy('id')
      .execute();

  it('opens an inquiry with the sender sealed, and confirms to the sender', async () => {
    const response = await contact({
      name: 'Carol Doe',
      email: 'Carol.Doe@Example.com',
      message: 'Was my card number exposed?',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Thank you, we have your message');
    const [thread, ...others] = await threads();
    expect(others).toHaveLength(0);
    expect(thread!.channel).toBe('web');
    expect(thread!.status).toBe('open');
    expect(thread!.pn).toBeNull();
    for (const needle of ['carol.doe@example.com', 'Carol.Doe@Example.com', 'carol.doe']) {
      expect(thread!.sender_sealed.includes(Buffer.from(needle))).toBe(false);
      expect(thread!.sender_idx.includes(Buffer.from(needle))).toBe(false);
    }
    const [message] = await messagesOf(thread!.id);
    expect(message!.direction).toBe('in');
    expect(message!.sealed.includes(Buffer.from('card number'))).toBe(false);
    expect(message!.sealed.includes(Buffer.from('Carol'))).toBe(false);
    expect(await site.t.ctx.crypto.decrypt(thread!.sender_sealed, 'inbox_threads.sender')).toBe(
      'carol.doe@example.com',
    );

    await settleSiteMessages(site.t);
    const acks = (await outbox()).filter((m) => m.kind === 'contact_ack' && m.to === 'carol.doe@example.com');
    expect(acks).toHaveLength(1);
    expect(acks[0]!.subject).toBe('We received your message');
    expect((await statsOf(site.comms, site.incidentId)).totals.contacts).toBe(1);
  });

  it('threads a second message from the same sender into the same inquiry', async () => {
    expect(
      (await contact({ name: '', email: 'carol.doe@example.com', message: 'Any news?' })).statusCode,
    ).toBe(200);
    const all = await threads();
    expect(all).toHaveLength(1);
    expect(await messagesOf(all[0]!.id)).toHaveLength(2);
    // Another sender gets another thread.
    expect((await contact({ name: 'Dan', email: 'dan@example.com', message: 'Hello' })).statusCode).toBe(200);
    expect(await threads()).toHaveLength(2);
  });

  it('links an inquiry from an affected person to that person', async () => {
    expect((await contact({ name: '', email: ann.email, message: 'What should I do?' })).statusCode).toBe(
      200,
    );
    const thread = (await threads()).at(-1)!;
    expect(thread.pn).toBe(await pnOf(site.t, site.incidentId, ann.email));
  });

  it('explains each bad field on the same page (400), keeping what was typed, and stores nothing', async () => {
    const before = { threads: (await threads()).length, queued: await queuedCount(site.t, site.incidentId) };
    const cases: Array<{ fields: Record<string, string>; says: string; keeps: string[] }> = [
      {
        fields: { name: 'Eve', email: '', message: 'Where is my letter?' },
        says: 'Please fill this in.',
        keeps: ['value="Eve"', '>Where is my letter?</textarea>'],
      },
      {
        fields: { name: 'Eve', email: 'eve@', message: 'Where is my letter?' },
        says: 'Enter a full email address',
        keeps: ['value="eve@"', '>Where is my letter?</textarea>'],
      },
      {
        fields: { name: 'Eve', email: 'eve@example.com', message: '   ' },
        says: 'Please fill this in.',
        keeps: ['value="eve@example.com"', 'value="Eve"'],
      },
      {
        fields: { name: 'Eve', email: 'eve@example.com', message: 'm'.repeat(5001) },
        says: 'This is too long',
        keeps: ['value="eve@example.com"', `>${'m'.repeat(5000)}</textarea>`],
      },
      {
        fields: { name: 'Eve <script>alert(1)</script>', email: 'eve@example.com', message: '' },
        says: 'Please fill this in.',
        keeps: ['value="Eve &lt;script&gt;alert(1)&lt;/script&gt;"'],
      },
    ];
    for (const { fields, says, keeps } of cases) {
      const response = await contact(fields);
      expect(response.statusCode, says).toBe(400);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain(says);
      expect(response.body).toContain('aria-invalid="true"');
      for (const kept of keeps) expect(response.body).toContain(kept);
      expect(response.body).not.toContain('<script>alert(1)</script>');
    }
    expect(await threads()).toHaveLength(before.threads);
    expect(await queuedCount(site.t, site.incidentId)).toBe(before.queued);
  });

  it('answers an oversized post with a clear page, not an error', async () => {
    const page = await getPage(site.t, `/n/${site.slug}/contact`);
    const response = await postForm(site.t, `/n/${site.slug}/contact`, {
      form: formTokenFor(page.body, `/n/${site.slug}/contact`),
      name: 'Big',
      email: 'big@example.com',
      message: 'b'.repeat(70 * 1024),
    });
    expect(response.statusCode).toBe(413);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('This is too long');
  });

  it('a flood from one address gets a clear 429 page', async () => {
    const ip = freshIp();
    const before = (await threads()).length;
    const statuses: number[] = [];
    let last: LightMyRequestResponse | undefined;
    for (let i = 0; i < 6; i++) {
      last = await contact({ name: '', email: `flood${i}@example.com`, message: 'Flood' }, ip);
      statuses.push(last.statusCode);
    }
    expect(statuses).toEqual([200, 200, 200, 200, 200, 429]);
    expect(last!.body).toContain('Please wait a moment');
    expect(Number(last!.headers['retry-after'])).toBeGreaterThan(0);
    expect(await threads()).toHaveLength(before + 5);
  });

  it('needs the form token', async () => {
    const before = (await threads()).length;
    const response = await postForm(site.t, `/n/${site.slug}/contact`, {
      name: 'Mallory',
      email: 'mallory@example.com',
      message: 'Posted from elsewhere',
    });
    expect(response.statusCode).toBe(400);
    expect(response.body).toContain('This form expired or was not sent by this page');
    expect(await threads()).toHaveLength(before);
  });
});
