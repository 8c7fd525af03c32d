import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CODE_CONTEXT, personalLinkToken } from '../../src/server/modules/campaigns/index.ts';
import { auditRows, createIncident, ok, problem, timelineOf } from '../incidents/helpers.ts';
import { formTokenOf, personalLinkIn, siteOutbox } from './helpers.ts';
import {
  ann,
  bob,
  cookieFrom,
  createSite,
  formTokenFor,
  getPage,
  lookup,
  personIdOf,
  pnOf,
  postForm,
  type Site,
  setCookies,
  settleSiteMessages,
  statsOf,
  textOf,
} from './more-helpers.ts';

/**
 * The personal page: reached only through a signed link exchanged for a cookie; shows what leaked about
 * this person, masked, with what to do; cannot be opened with a forged, foreign, expired or revoked link;
 * audits every view; takes feedback.
 */
let site: Site;
let annLink: string;
let bobLink: string;

beforeAll(async () => {
  site = await createSite();
  await lookup(site, ann.email);
  await lookup(site, bob.email);
  await settleSiteMessages(site.t);
  const outbox = await siteOutbox(site.legal, site.incidentId);
  annLink = personalLinkIn(outbox.find((m) => m.to === ann.email)!.text);
  bobLink = personalLinkIn(outbox.find((m) => m.to === bob.email)!.text);
});
afterAll(async () => site?.t.close());

const mePath = () => `/n/${site.slug}/me`;

/** Opens a personal link and returns the cookie it set. */
async function open(link: string): Promise<string> {
  const response = await getPage(site.t, link);
  expect(response.statusCode, response.body).toBe(303);
  return cookieFrom(response);
}

const view = (cookie: string, headers: Record<string, string> = {}) =>
  getPage(site.t, mePath(), { cookie, headers });

function expectLinkRefused(response: LightMyRequestResponse) {
  expect(response.statusCode).toBe(403);
  expect(response.headers['content-type']).toContain('text/html');
  expect(response.headers['cache-control']).toBe('no-store');
  expect(response.body).toContain('This link no longer works');
  // It offers a new link.
  expect(response.body).toContain(`href="/n/${site.slug}/lookup"`);
  expect(
    setCookies(response).some(
      (c) => c.startsWith('candor_me=') && !/Max-Age=0|Expires=Thu, 01 Jan 1970/i.test(c),
    ),
  ).toBe(false);
}

describe('opening the personal link', () => {
  it('redirects to the page with a short-lived HttpOnly cookie scoped to it', async () => {
    const response = await getPage(site.t, annLink);
    expect(response.statusCode).toBe(303);
    expect(response.headers.location).toBe(mePath());
    expect(response.headers['cache-control']).toBe('no-store');
    const cookie = setCookies(response).find((c) => c.startsWith('candor_me='))!;
    expect(cookie).toBeDefined();
    expect(cookie).toMatch(/;\s*HttpOnly/i);
    expect(cookie).toMatch(new RegExp(`;\\s*Path=${mePath()}(;|$)`));
    expect(cookie).toMatch(/;\s*SameSite=Lax/i);
    const maxAge = Number(/Max-Age=(\d+)/i.exec(cookie)?.[1]);
    expect(maxAge).toBeGreaterThan(0);
    expect(maxAge).toBeLessThanOrEqual(3600);
    // The token is not in the cookie.
    expect(cookie).not.toContain(annLink.split('/').pop()!);
  });

  it('without the cookie the page is the "link no longer works" page', async () => {
    expectLinkRefused(await getPage(site.t, mePath()));
  });
});

describe('the page', () => {
  let page: LightMyRequestResponse;
  beforeAll(async () => {
    page = await view(await open(annLink));
  });

  it('is private: never cached', () => {
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toBe('no-store');
  });

  it('shows no identifier unmasked', () => {
    const body = page.body;
    const text = textOf(body);
    for (const hidden of [
      ann.email,
      'ann.lee',
      ann.phone,
      '2025550101',
      '202-555-0101',
      '202 555 0101',
      '(202)',
      ann.ssn,
      '536221001',
      '22-1001',
    ]) {
      expect(body.toLowerCase()).not.toContain(hidden.toLowerCase());
      expect(text.toLowerCase()).not.toContain(hidden.toLowerCase());
    }
    expect(text).not.toMatch(/\bAnn\b/);
    expect(text).not.toMatch(/\bLee\b/);
  });

  it('shows masked identifiers, the exposed categories and the steps to take', () => {
    const text = textOf(page.body);
    expect(text).toContain('a•••@example.com');
    expect(text).toContain('•••• 0101');
    expect(text).toContain('Your Social Security number');
    expect(text).toContain('Your email address');
    expect(text).toContain('Your phone number');
    expect(text).toContain('What you can do now');
    expect(text).toContain('Protect yourself from identity theft');
    expect(text).toContain('security freeze');
    expect(text).toContain('Watch for phishing');
    // How to reach the company, and the feedback form.
    expect(text).toContain('help@example.com');
    expect(page.body).toContain(`action="/n/${site.slug}/me/feedback"`);
  });

  it('speaks Spanish to a Spanish browser', async () => {
    const es = await view(await open(annLink), { 'accept-language': 'es' });
    expect(es.statusCode).toBe(200);
    const text = textOf(es.body);
    expect(text).toContain('Qué datos tuyos se expusieron');
    expect(text).toContain('Tu número de Seguro Social');
    expect(text).not.toContain(ann.email);
  });

  it('shows only that person: Bob sees his own, fewer categories', async () => {
    const bobs = await view(await open(bobLink));
    expect(bobs.statusCode).toBe(200);
    const text = textOf(bobs.body);
    expect(text).toContain('b•••@example.com');
    expect(text).not.toContain('a•••@example.com');
    expect(text).not.toContain('Social Security number');
    expect(text).not.toContain(bob.email);
    expect(text).not.toMatch(/\bBob\b|\bRay\b/);
  });

  it('shows the activation code and how to enroll when the person has one', async () => {
    const campaign = await site.t.ctx.db
      .insertInto('campaigns')
      .values({ incident_id: site.incidentId, name: 'Notices', channels: ['email'], created_by: 'test' })
      .returning('id')
      .executeTakeFirstOrThrow();
    const code = 'MON-7Q4Z-K2PD';
    await site.t.ctx.db
      .insertInto('activation_codes')
      .values({
        campaign_id: campaign.id,
        code_sealed: site.t.ctx.crypto.encrypt(code, CODE_CONTEXT),
        code_idx: site.t.ctx.crypto.blindIndex('activation_code', code),
        assigned_pn: await pnOf(site.t, site.incidentId, ann.email),
        assigned_at: new Date(),
      })
      .execute();
    const annPage = await view(await open(annLink));
    expect(annPage.body).toContain(code);
    expect(annPage.body).toContain('href="https://monitoring.example.com/enroll"');
    const bobPage = await view(await open(bobLink));
    expect(bobPage.body).not.toContain(code);
    expect(bobPage.body).not.toContain('monitoring.example.com/enroll');
  });

  it('audits every view as a read of that person by an anonymous visitor, and counts it', async () => {
    const personId = await personIdOf(site.t, site.incidentId, ann.email);
    const before = (await auditRows(site.t, 'notice.personal_page_viewed', personId)).length;
    const statsBefore = await statsOf(site.comms, site.incidentId);
    const cookie = await open(annLink);
    await view(cookie);
    await view(cookie);
    const rows = await auditRows(site.t, 'notice.personal_page_viewed', personId);
    expect(rows).toHaveLength(before + 2);
    for (const row of rows.slice(before)) {
      expect(row.actor_id).toBeNull();
      expect(row.outcome).toBe('success');
      expect(row.details).toMatchObject({ incidentId: site.incidentId });
      expect(JSON.stringify(row.details)).not.toContain('@');
    }
    // Opening the link alone is not a view; a refused visit neither.
    await getPage(site.t, mePath());
    expect(await auditRows(site.t, 'notice.personal_page_viewed', personId)).toHaveLength(before + 2);
    const statsAfter = await statsOf(site.comms, site.incidentId);
    expect(statsAfter.totals.personalViews).toBe(statsBefore.totals.personalViews! + 2);
  });
});

describe('links that must not open the page', () => {
  const tokenOf = (link: string) => link.split('/').pop()!;
  const flip = (s: string, at: number) =>
    `${s.slice(0, at)}${s.charAt(at) === 'A' ? 'B' : 'A'}${s.slice(at + 1)}`;

  it('a forged token (one character of the signature or of the payload changed)', async () => {
    const [payload, signature] = tokenOf(annLink).split('.') as [string, string];
    const forgedSignature = `/n/${site.slug}/me/${payload}.${flip(signature, 5)}`;
    const forgedPayload = `/n/${site.slug}/me/${flip(payload, 10)}.${signature}`;
    const refused = [await getPage(site.t, forgedSignature), await getPage(site.t, forgedPayload)];
    for (const response of refused) expectLinkRefused(response);
    // Garbage and truncated tokens too.
    expectLinkRefused(await getPage(site.t, `/n/${site.slug}/me/${payload}`));
    expectLinkRefused(await getPage(site.t, `/n/${site.slug}/me/not-a-token`));
    expectLinkRefused(await getPage(site.t, `/n/${site.slug}/me/${payload}.${signature}.x`));
    // All of them get the very same page: nothing tells them apart.
    expect(refused[1]!.body).toBe(refused[0]!.body);
  });

  it("another incident's token, and this incident's token or cookie on another incident's site", async () => {
    const other = await createIncident(site.responder, { title: 'Another breach' });
    const pn = await pnOf(site.t, site.incidentId, ann.email);
    const foreign = personalLinkToken(site.t.ctx.crypto, other.id, pn, new Date(Date.now() + 86_400_000));
    const response = await getPage(site.t, `/n/${site.slug}/me/${foreign}`);
    expectLinkRefused(response);
    // And this incident's token on the other incident's site.
    const otherSlug = ok<{ slug: string }>(
      await site.comms.get(`/api/incidents/${other.id}/notice-site`),
    ).slug;
    const mine = personalLinkToken(site.t.ctx.crypto, site.incidentId, pn, new Date(Date.now() + 86_400_000));
    const crossed = await getPage(site.t, `/n/${otherSlug}/me/${mine}`);
    expect(crossed.statusCode).toBe(403);
    expect(crossed.body).toContain('This link no longer works');
    // Ann's cookie does not open the other incident's personal page either.
    const cookie = await open(annLink);
    const foreignPage = await getPage(site.t, `/n/${otherSlug}/me`, { cookie });
    expect(foreignPage.statusCode).toBe(403);
  });

  it('an expired token', async () => {
    const pn = await pnOf(site.t, site.incidentId, ann.email);
    const expired = personalLinkToken(
      site.t.ctx.crypto,
      site.incidentId,
      pn,
      new Date(Date.now() - 60_000),
      new Date(Date.now() - 8 * 86_400_000),
    );
    const response = await getPage(site.t, `/n/${site.slug}/me/${expired}`);
    expectLinkRefused(response);
    const forged = await getPage(site.t, `/n/${site.slug}/me/not-a-token`);
    expect(response.body).toBe(forged.body);
  });

  it('a forged cookie', async () => {
    const cookie = await open(annLink);
    const [name, value] = cookie.split('=') as [string, string];
    const [payload, signature] = value.split('.') as [string, string];
    expectLinkRefused(await view(`${name}=${payload}.${flip(signature, 4)}`));
    // Bob's signature on Ann's payload.
    const bobValue = (await open(bobLink)).split('=')[1]!;
    expectLinkRefused(await view(`${name}=${payload}.${bobValue.split('.')[1]}`));
    expectLinkRefused(
      await view(
        `${name}=${Buffer.from(`${site.incidentId}.1.0.${Date.now() + 60_000}`).toString('base64url')}.${signature}`,
      ),
    );
  });
});

describe('feedback', () => {
  async function sendFeedback(cookie: string, fields: Record<string, string>, withToken = true) {
    const page = await view(cookie);
    return postForm(
      site.t,
      `${mePath()}/feedback`,
      { ...(withToken ? { form: formTokenFor(page.body, `${mePath()}/feedback`) } : {}), ...fields },
      { cookie },
    );
  }

  it('stores a rating and a comment; staff see the distribution, the average and the comments', async () => {
    const annCookie = await open(annLink);
    const thanks = await sendFeedback(annCookie, { rating: '4', comment: 'Clear page, thanks.' });
    expect(thanks.statusCode).toBe(200);
    expect(thanks.body).toContain('Thank you for your feedback.');
    expect(thanks.body).toContain('value="4" checked');
    const bobCookie = await open(bobLink);
    expect((await sendFeedback(bobCookie, { rating: '2', comment: '' })).statusCode).toBe(200);

    const stats = await statsOf(site.comms, site.incidentId);
    expect(stats.feedback.count).toBe(2);
    expect(stats.feedback.distribution).toEqual([0, 1, 0, 1, 0]);
    expect(stats.feedback.average).toBe(3);

    const comments = ok<{ comments: Array<{ rating: number; comment: string }> }>(
      await site.comms.get(`/api/incidents/${site.incidentId}/notice-site/feedback`),
    ).comments;
    expect(comments).toEqual([expect.objectContaining({ rating: 4, comment: 'Clear page, thanks.' })]);
    // Reading comments is audited; a cursor the list never gave out is refused.
    expect(await auditRows(site.t, 'notice.feedback_viewed', site.incidentId)).toHaveLength(1);
    problem(
      await site.comms.get(`/api/incidents/${site.incidentId}/notice-site/feedback?before=yesterday`),
      400,
      'bad_request',
    );
    // The comment is sealed at rest.
    const raw = await site.t.ctx.db.selectFrom('notice_feedback').select('comment_sealed').execute();
    expect(raw.some((r) => r.comment_sealed?.toString('latin1').includes('Clear page'))).toBe(false);
  });

  it('keeps one answer per person: a second rating replaces the first', async () => {
    const annCookie = await open(annLink);
    expect((await sendFeedback(annCookie, { rating: '5', comment: 'Even better now.' })).statusCode).toBe(
      200,
    );
    const stats = await statsOf(site.comms, site.incidentId);
    expect(stats.feedback.count).toBe(2);
    expect(stats.feedback.distribution).toEqual([0, 1, 0, 0, 1]);
    expect(stats.feedback.average).toBe(3.5);
  });

  it('refuses a bad rating, a missing one and a too-long comment with a clear message', async () => {
    const cookie = await open(annLink);
    for (const rating of ['0', '6', '3.5', 'five', '']) {
      const response = await sendFeedback(cookie, { rating, comment: 'x' });
      expect(response.statusCode, rating).toBe(400);
      expect(response.body).toContain('Choose how you feel, from 1 to 5.');
      expect(response.body).toContain('role="alert"');
    }
    const long = await sendFeedback(cookie, { rating: '3', comment: 'y'.repeat(2001) });
    expect(long.statusCode).toBe(400);
    expect(long.body).toContain('This is too long');
    const stats = await statsOf(site.comms, site.incidentId);
    expect(stats.feedback.distribution).toEqual([0, 1, 0, 0, 1]);
  });

  it('refuses a post without the form token, and one without the cookie', async () => {
    const cookie = await open(annLink);
    const noToken = await sendFeedback(cookie, { rating: '1' }, false);
    expect(noToken.statusCode).toBe(400);
    expect(noToken.body).toContain('This form expired or was not sent by this page');
    const page = await view(cookie);
    const noCookie = await postForm(site.t, `${mePath()}/feedback`, {
      form: formTokenOf(page.body),
      rating: '1',
    });
    expect(noCookie.statusCode).toBe(403);
    const stats = await statsOf(site.comms, site.incidentId);
    expect(stats.feedback.distribution).toEqual([0, 1, 0, 0, 1]);
  });
});

describe('revocation', () => {
  it('"close on all devices" stops the old link and cookie; a link issued later works', async () => {
    const cookie = await open(annLink);
    const page = await view(cookie);
    const closed = await postForm(
      site.t,
      `${mePath()}/close`,
      { form: formTokenFor(page.body, `${mePath()}/close`) },
      { cookie },
    );
    expect(closed.statusCode).toBe(200);
    expect(closed.body).toContain('This page is closed on all your devices');
    // The browser is told to forget the cookie.
    expect(setCookies(closed).find((c) => c.startsWith('candor_me='))).toMatch(
      /Expires=Thu, 01 Jan 1970|Max-Age=0/i,
    );

    expectLinkRefused(await view(cookie));
    expectLinkRefused(await getPage(site.t, annLink));

    // A new link, asked for afterwards (by phone, so the hourly limit on the email does not apply).
    await lookup(site, '+1 202 555 0101');
    await settleSiteMessages(site.t);
    const sms = (await siteOutbox(site.legal, site.incidentId)).find((m) => m.to === ann.phone);
    expect(sms?.channel).toBe('sms');
    const fresh = personalLinkIn(sms!.text);
    expect(fresh).not.toBe(annLink);
    const again = await view(await open(fresh));
    expect(again.statusCode).toBe(200);
    expect(again.body).toContain('a•••@example.com');
    // The old ones stay closed.
    expectLinkRefused(await getPage(site.t, annLink));
  });

  it('closing needs the form token and the cookie', async () => {
    const cookie = await open(bobLink);
    const noToken = await postForm(site.t, `${mePath()}/close`, {}, { cookie });
    expect(noToken.statusCode).toBe(403);
    // Bob's page still opens: nothing was revoked.
    expect((await view(cookie)).statusCode).toBe(200);
  });

  it('staff (legal) revoke every link of the incident; a link issued later works', async () => {
    const bobCookie = await open(bobLink);
    expect((await view(bobCookie)).statusCode).toBe(200);
    // comms may not.
    expect(
      (await site.comms.post(`/api/incidents/${site.incidentId}/notice-site/revoke-links`)).statusCode,
    ).toBe(403);
    expect((await view(bobCookie)).statusCode).toBe(200);

    const revoked = ok<{ revokedAt: string }>(
      await site.legal.post(`/api/incidents/${site.incidentId}/notice-site/revoke-links`),
    );
    expect(Number.isNaN(Date.parse(revoked.revokedAt))).toBe(false);
    expectLinkRefused(await view(bobCookie));
    expectLinkRefused(await getPage(site.t, bobLink));

    const later = personalLinkToken(
      site.t.ctx.crypto,
      site.incidentId,
      await pnOf(site.t, site.incidentId, bob.email),
      new Date(Date.now() + 86_400_000),
      // Issued after the revocation (its time has microseconds; a millisecond later is after it).
      new Date(Date.parse(revoked.revokedAt) + 1),
    );
    const page = await view(await open(`/n/${site.slug}/me/${later}`));
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('b•••@example.com');

    const events = await timelineOf(site.comms, site.incidentId);
    expect(events.some((e) => e.kind === 'notice' && /revoked/i.test(e.summary))).toBe(true);
    const audit = await auditRows(site.t, 'notice.links_revoked', site.incidentId);
    expect(audit).toHaveLength(1);
  });
});

describe('logs', () => {
  it('never hold a personal link, its cookie, or the addresses that asked for them', async () => {
    const token = personalLinkToken(
      site.t.ctx.crypto,
      site.incidentId,
      await pnOf(site.t, site.incidentId, bob.email),
      new Date(Date.now() + 86_400_000),
    );
    const cookie = await open(`/n/${site.slug}/me/${token}`);
    expect((await view(cookie)).statusCode).toBe(200);
    const logs = site.t.logs.join('\n');
    for (const link of [annLink, bobLink, token]) expect(logs).not.toContain(link.split('/').pop()!);
    expect(logs).not.toContain(cookie.split('=')[1]!);
    expect(logs).not.toContain(ann.email);
    expect(logs).not.toContain(bob.email);
    expect(logs).not.toContain(ann.phone);
  });
});
