import type { LightMyRequestResponse } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/server/app.ts';
import { solveChallenge } from '../../src/server/modules/notice-site/guards.ts';
import { formTokenOf, personalLinkIn, siteOutbox } from './helpers.ts';
import {
  ann,
  bob,
  createSite,
  freshIp,
  getPage,
  lookup,
  postForm,
  queuedCount,
  queuedMessages,
  type Site,
  settleSiteMessages,
  statsOf,
  withoutFormTokens,
} from './more-helpers.ts';

/**
 * "Am I affected?": one page whatever was typed, the answer sent to the address itself (a personal link, a
 * short "not affected" note, or nothing for an unaffected phone), at most one answer per identifier per
 * hour, a form token, rate limits per address and per network, the proof of work, and no personal data in
 * URLs, logs or caches.
 */
let site: Site;
// Each test looks up from its own addresses; limits low enough to trip in a few requests.
beforeAll(async () => {
  site = await createSite({ CANDOR_LOOKUP_PER_IP: '3', CANDOR_LOOKUP_PER_NETWORK: '5' });
});
afterAll(async () => site?.t.close());

const lookupPath = () => `/n/${site.slug}/lookup`;
const outboxTo = async (to: string) =>
  (await siteOutbox(site.legal, site.incidentId)).filter((m) => m.to === to);

describe('the answer page', () => {
  const inputs = {
    affectedEmail: 'Ann.Lee@example.com',
    unaffectedEmail: 'nobody-here@example.com',
    affectedPhone: '+1 202 555 0101',
    unaffectedPhone: '+1 202 555 0177',
    malformed: 'not an address',
    empty: '',
    oversized: `${'x'.repeat(320)}@example.com`,
  };
  let responses: LightMyRequestResponse[];
  let queued: Awaited<ReturnType<typeof queuedMessages>>;
  beforeAll(async () => {
    const before = await queuedCount(site.t, site.incidentId);
    responses = [];
    for (const identifier of Object.values(inputs)) responses.push(await lookup(site, identifier));
    await settleSiteMessages(site.t);
    queued = (await queuedMessages(site.t, site.incidentId)).slice(before);
  });

  it('is byte-identical, with the same status, whatever was typed (apart from the form token)', () => {
    expect(inputs.oversized.length).toBeGreaterThan(320);
    const [first] = responses;
    expect(first!.statusCode).toBe(200);
    expect(first!.body).toContain('Check your messages');
    const tokens = new Set<string>();
    for (const response of responses) {
      expect(response.statusCode).toBe(first!.statusCode);
      expect(response.headers['content-type']).toBe(first!.headers['content-type']);
      expect(response.headers['cache-control']).toBe('no-store');
      expect(withoutFormTokens(response.body)).toBe(withoutFormTokens(first!.body));
      tokens.add(formTokenOf(response.body));
    }
    // The one difference is a fresh token per request.
    expect(tokens.size).toBe(responses.length);
    // Nothing typed is echoed.
    for (const response of responses) {
      expect(response.body).not.toContain('nobody-here');
      expect(response.body).not.toContain('555 0101');
      expect(response.body).not.toContain('xxxxxxxxxx');
    }
  });

  it('sends the affected email its personal link', async () => {
    const toAnn = await outboxTo(ann.email);
    expect(toAnn).toHaveLength(1);
    expect(toAnn[0]!.kind).toBe('lookup');
    expect(toAnn[0]!.channel).toBe('email');
    expect(personalLinkIn(toAnn[0]!.text)).toMatch(new RegExp(`^/n/${site.slug}/me/`));
    expect(toAnn[0]!.text).not.toContain('not among the affected records');
    // The link works for seven days.
    const token = personalLinkIn(toAnn[0]!.text).split('/').pop()!;
    const [, , expires] = Buffer.from(token.split('.')[0]!, 'base64url').toString('utf8').split('.');
    const days = (Number(expires) * 1000 - Date.now()) / 86_400_000;
    expect(days).toBeGreaterThan(6.9);
    expect(days).toBeLessThanOrEqual(7);
  });

  it('sends the unaffected email the short note, with no link to a personal page', async () => {
    const toNobody = await outboxTo(inputs.unaffectedEmail);
    expect(toNobody).toHaveLength(1);
    expect(toNobody[0]!.kind).toBe('lookup');
    expect(toNobody[0]!.channel).toBe('email');
    expect(toNobody[0]!.text).toContain('not among the affected records');
    expect(() => personalLinkIn(toNobody[0]!.text)).toThrow();
  });

  it('texts the affected phone its link and sends nothing to the unaffected phone', async () => {
    const sms = await outboxTo(ann.phone);
    expect(sms).toHaveLength(1);
    expect(sms[0]!.channel).toBe('sms');
    expect(sms[0]!.kind).toBe('lookup');
    expect(personalLinkIn(sms[0]!.text)).toMatch(new RegExp(`^/n/${site.slug}/me/`));
    const all = await siteOutbox(site.legal, site.incidentId);
    expect(all.some((m) => m.to.replace(/\D/g, '').endsWith('2025550177'))).toBe(false);
    expect(queued.filter((r) => r.outcome === 'unaffected phone number')).toHaveLength(1);
  });

  it('enqueues nothing for malformed, empty or oversized input', async () => {
    // Four answers for the four valid identifiers, nothing for the other three.
    expect(queued).toHaveLength(4);
    expect(queued.map((r) => r.state).sort()).toEqual(['sent', 'sent', 'sent', 'skipped']);
    const before = await queuedCount(site.t, site.incidentId);
    for (const identifier of ['   ', '12345', `${'y'.repeat(320)}@example.com`, 'a@b', '@example.com']) {
      expect((await lookup(site, identifier)).statusCode).toBe(200);
    }
    expect(await queuedCount(site.t, site.incidentId)).toBe(before);
  });

  it('answers an identifier at most once an hour: a second lookup is skipped', async () => {
    const before = await queuedCount(site.t, site.incidentId);
    await lookup(site, 'twice@example.net');
    await lookup(site, 'Twice@Example.net');
    // Ann asked an hour ago at most: no second link either.
    await lookup(site, ann.email);
    await settleSiteMessages(site.t);
    expect(await outboxTo('twice@example.net')).toHaveLength(1);
    expect(await outboxTo(ann.email)).toHaveLength(1);
    const rows = (await queuedMessages(site.t, site.incidentId)).slice(before);
    expect(rows.map((r) => r.state)).toEqual(['sent', 'skipped', 'skipped']);
    expect(rows[1]!.outcome).toBe('answered within the last hour');
    expect(rows[2]!.outcome).toBe('answered within the last hour');
  });

  it('answers in the language of the page the lookup was made on', async () => {
    const page = await getPage(site.t, lookupPath(), { headers: { 'accept-language': 'es' } });
    expect(page.body).toContain('<input type="hidden" name="lang" value="es">');
    const answer = await postForm(site.t, lookupPath(), {
      form: formTokenOf(page.body),
      lang: 'es',
      identifier: 'persona@example.com',
    });
    expect(answer.body).toContain('Revisa tus mensajes');
    await settleSiteMessages(site.t);
    const [message] = await outboxTo('persona@example.com');
    expect(message!.subject).toBe('Sobre tu consulta en nuestra página del incidente');
    expect(message!.text).toContain('No figura entre los registros afectados');
  });

  it('counts lookups and answers for staff, never who', async () => {
    const before = await statsOf(site.comms, site.incidentId);
    await lookup(site, bob.email);
    await lookup(site, 'counted-stranger@example.com');
    await settleSiteMessages(site.t);
    const after = await statsOf(site.comms, site.incidentId);
    expect(after.totals.lookups).toBe(before.totals.lookups! + 2);
    expect(after.totals.answeredAffected).toBe(before.totals.answeredAffected! + 1);
    expect(after.totals.answeredUnaffected).toBe(before.totals.answeredUnaffected! + 1);
    expect(JSON.stringify(after)).not.toContain('@');
  });
});

describe('the form token', () => {
  const errorPage = (response: LightMyRequestResponse) => {
    expect(response.statusCode).toBe(400);
    expect(response.headers['content-type']).toContain('text/html');
    expect(response.body).toContain('This form expired or was not sent by this page');
  };

  it('is required: a post without it, or with a forged one, gets a clear error and sends nothing', async () => {
    const before = await queuedCount(site.t, site.incidentId);
    errorPage(await postForm(site.t, lookupPath(), { identifier: ann.email }));
    errorPage(await postForm(site.t, lookupPath(), { identifier: ann.email, form: '' }));
    errorPage(await postForm(site.t, lookupPath(), { identifier: ann.email, form: 'garbage' }));

    const page = await getPage(site.t, lookupPath());
    const token = formTokenOf(page.body);
    const [issued, nonce, signature] = token.split('.');
    const flipped = signature!.charAt(3) === 'A' ? 'B' : 'A';
    const forged = `${issued}.${nonce}.${signature!.slice(0, 3)}${flipped}${signature!.slice(4)}`;
    errorPage(await postForm(site.t, lookupPath(), { identifier: ann.email, form: forged }));
    // A token from another form of the site does not do either.
    const verifyToken = formTokenOf((await getPage(site.t, `/n/${site.slug}/verify`)).body);
    errorPage(await postForm(site.t, lookupPath(), { identifier: ann.email, form: verifyToken }));

    await settleSiteMessages(site.t);
    expect(await queuedCount(site.t, site.incidentId)).toBe(before);
  });

  // Attack: one fetched page's token replayed for two hours, so a script runs lookups (each a message to
  // someone's inbox, each a probe of the site) without ever loading the form again. And invariant 6: how a
  // replay is answered must not depend on the identifier it carries.
  it('posts once: a replay gets the same error page whatever it carries, in any process, and sends nothing', async () => {
    const page = await getPage(site.t, lookupPath());
    const form = formTokenOf(page.body);
    const first = await postForm(site.t, lookupPath(), { form, identifier: 'replay-first@example.com' });
    expect(first.statusCode).toBe(200);
    expect(first.body).toContain('Check your messages');
    await settleSiteMessages(site.t);
    const before = await queuedCount(site.t, site.incidentId);
    const replays: LightMyRequestResponse[] = [];
    for (const identifier of [ann.email, 'replay-stranger@example.com', ann.phone, '', 'not an address']) {
      replays.push(await postForm(site.t, lookupPath(), { form, identifier }));
    }
    // Another server process (its own memory, the same database) refuses it too.
    const other = await buildApp(site.t.ctx, { webRoot: '/nonexistent' });
    try {
      replays.push(
        await other.app.inject({
          method: 'POST',
          url: lookupPath(),
          remoteAddress: freshIp(),
          headers: { 'content-type': 'application/x-www-form-urlencoded' },
          payload: new URLSearchParams({ form, identifier: ann.email }).toString(),
        }),
      );
    } finally {
      await other.app.close();
    }
    for (const replay of replays) {
      errorPage(replay);
      expect(replay.body).toBe(replays[0]!.body);
      expect(replay.headers['cache-control']).toBe('no-store');
    }
    await settleSiteMessages(site.t);
    expect(await queuedCount(site.t, site.incidentId)).toBe(before);
  });

  it('with a valid token the post is accepted', async () => {
    const page = await getPage(site.t, lookupPath());
    expect(page.statusCode).toBe(200);
    const response = await postForm(site.t, lookupPath(), {
      form: formTokenOf(page.body),
      identifier: 'valid-token@example.com',
    });
    expect(response.statusCode).toBe(200);
    expect(response.body).toContain('Check your messages');
  });
});

describe('rate limits', () => {
  it('per address: the fourth lookup from one IP gets a clear 429 page with Retry-After, and is not sent', async () => {
    const ip = freshIp();
    for (let i = 0; i < 3; i++) {
      expect((await lookup(site, `per-ip-${i}@example.com`, ip)).statusCode).toBe(200);
    }
    const before = await queuedCount(site.t, site.incidentId);
    const limited = await lookup(site, 'per-ip-3@example.com', ip);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['content-type']).toContain('text/html');
    expect(limited.headers['cache-control']).toBe('no-store');
    const retryAfter = Number(limited.headers['retry-after']);
    expect(Number.isInteger(retryAfter)).toBe(true);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(600);
    expect(limited.body).toContain('Please wait a moment');
    expect(limited.body).toContain('Your request was not sent');
    expect(await queuedCount(site.t, site.incidentId)).toBe(before);
    // Another address is still served.
    expect((await lookup(site, 'per-ip-other@example.com')).statusCode).toBe(200);
  });

  it('per network: addresses of one /24 share a limit, another network is still served', async () => {
    const net = '198.51.100';
    for (let i = 1; i <= 5; i++) {
      expect((await lookup(site, `net-${i}@example.com`, `${net}.${i}`)).statusCode).toBe(200);
    }
    const limited = await lookup(site, 'net-6@example.com', `${net}.6`);
    expect(limited.statusCode).toBe(429);
    expect(limited.headers['retry-after']).toBeDefined();
    expect(limited.body).toContain('Please wait a moment');
    // The same person on another network.
    expect((await lookup(site, 'net-7@example.com', '198.51.101.6')).statusCode).toBe(200);
    const stats = await statsOf(site.comms, site.incidentId);
    // Rate-limited requests are not lookups.
    expect(stats.totals.lookups).toBeGreaterThan(0);
  });

  it('counts IPv6 clients per /48', async () => {
    for (let i = 1; i <= 5; i++) {
      expect((await lookup(site, `v6-${i}@example.com`, `2001:db8:77:${i}::1`)).statusCode).toBe(200);
    }
    expect((await lookup(site, 'v6-6@example.com', '2001:db8:77:6::1')).statusCode).toBe(429);
    expect((await lookup(site, 'v6-7@example.com', '2001:db8:78::1')).statusCode).toBe(200);
  });
});

describe('personal data in URLs', () => {
  it('refuses query strings that hold personal data, and never logs them', async () => {
    const urls = [
      `/n/${site.slug}/lookup?email=a@b.com`,
      `/n/${site.slug}/lookup?q=+12025550101`,
      `/n/${site.slug}/lookup?identifier=zed`,
      `/n/${site.slug}?ref=someone%40example.com`,
      `/n/${site.slug}/verify?code=3F9A1C27B04D`,
    ];
    for (const url of urls) {
      const response = await getPage(site.t, url);
      expect(response.statusCode, url).toBe(400);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.headers['cache-control']).toBe('no-store');
      expect(response.body).toContain('Personal details do not belong in web addresses');
    }
    // A POST with personal data in its query is refused too, and sends nothing.
    const before = await queuedCount(site.t, site.incidentId);
    const page = await getPage(site.t, lookupPath());
    const posted = await postForm(site.t, `${lookupPath()}?email=a@b.com`, {
      form: formTokenOf(page.body),
      identifier: ann.email,
    });
    expect(posted.statusCode).toBe(400);
    expect(await queuedCount(site.t, site.incidentId)).toBe(before);

    const logs = site.t.logs.join('\n');
    for (const value of ['a@b.com', 'a%40b.com', '12025550101', 'someone%40example.com', '3F9A1C27B04D']) {
      expect(logs).not.toContain(value);
    }
  });

  it('answers unknown addresses under /n/ with the public 404 page, and never logs their path', async () => {
    for (const path of [
      `/n/${site.slug}/lookup/path-typed@example.com`,
      `/n/${site.slug}/no-such-page`,
      `/n/${site.slug}/`,
    ]) {
      const response = await getPage(site.t, path);
      expect(response.statusCode, path).toBe(404);
      expect(response.headers['content-type'], path).toContain('text/html');
      expect(response.body, path).toContain('There is no notice at this address');
    }
    expect(site.t.logs.join('\n')).not.toContain('path-typed@example.com');
  });

  it('lets harmless query strings through (the language switcher)', async () => {
    expect((await getPage(site.t, `${lookupPath()}?lang=es`)).statusCode).toBe(200);
    expect((await getPage(site.t, `/n/${site.slug}?lang=en`)).statusCode).toBe(200);
  });

  it('never logs what was typed into the lookup form', async () => {
    await lookup(site, 'logged-never@example.com');
    await lookup(site, '+1 202 555 0166');
    await settleSiteMessages(site.t);
    const logs = site.t.logs.join('\n');
    expect(logs).not.toContain('logged-never');
    expect(logs).not.toContain('5550166');
    expect(logs).not.toContain('555 0166');
    expect(logs).not.toContain(ann.email);
  });
});

describe('caching', () => {
  it('never caches the lookup form or its answer', async () => {
    const form = await getPage(site.t, lookupPath());
    expect(form.headers['cache-control']).toBe('no-store');
    const answer = await lookup(site, 'cache@example.com');
    expect(answer.headers['cache-control']).toBe('no-store');
  });

  it('serves the notice page cacheable, with an ETag answered by 304', async () => {
    const page = await getPage(site.t, `/n/${site.slug}`);
    expect(page.statusCode).toBe(200);
    expect(page.headers['cache-control']).toContain('public');
    expect(page.headers['cache-control']).not.toContain('no-store');
    const etag = page.headers.etag as string;
    expect(etag).toMatch(/^"[^"]+"$/);
    const again = await getPage(site.t, `/n/${site.slug}`, { headers: { 'if-none-match': etag } });
    expect(again.statusCode).toBe(304);
    expect(again.body).toBe('');
    expect(again.headers.etag).toBe(etag);
    const stale = await getPage(site.t, `/n/${site.slug}`, { headers: { 'if-none-match': '"stale"' } });
    expect(stale.statusCode).toBe(200);
    expect(stale.body).toBe(page.body);
    // Each language has its own representation.
    const es = await getPage(site.t, `/n/${site.slug}`, { headers: { 'accept-language': 'es' } });
    expect(es.headers.etag).not.toBe(etag);
    expect(String(es.headers.vary)).toMatch(/accept-language/i);
  });
});

describe('caching (revalidation)', () => {
  it('answers 304 to a weak or listed If-None-Match holding its ETag (RFC 9110 weak comparison)', async () => {
    const page = await getPage(site.t, `/n/${site.slug}`);
    const etag = page.headers.etag as string;
    // What a reverse proxy that compresses sends back (nginx weakens ETags), and a list of candidates.
    for (const ifNoneMatch of [`W/${etag}`, `"other", ${etag}`, '*']) {
      const again = await getPage(site.t, `/n/${site.slug}`, { headers: { 'if-none-match': ifNoneMatch } });
      expect(again.statusCode, ifNoneMatch).toBe(304);
    }
  });
});

describe('the proof of work', () => {
  let pow: Site;
  beforeAll(async () => {
    pow = await createSite({ CANDOR_LOOKUP_CHALLENGE_AT: '0', CANDOR_LOOKUP_CHALLENGE_BITS: '8' });
  });
  afterAll(async () => pow?.t.close());

  const challengeOf = (html: string) => {
    const match = /data-challenge="([^"]+)" data-bits="(\d+)"/.exec(html);
    if (!match) throw new Error('the form carries no challenge');
    return { challenge: match[1]!, bits: Number(match[2]) };
  };

  it('puts a challenge in the form and does not accept a post without its solution', async () => {
    const ip = freshIp();
    const page = await getPage(pow.t, `/n/${pow.slug}/lookup`, { ip });
    expect(page.statusCode).toBe(200);
    expect(challengeOf(page.body).bits).toBe(8);
    expect(page.body).toContain('<script src="/n/_assets/challenge.js" defer></script>');
    const before = await queuedCount(pow.t, pow.incidentId);
    const response = await postForm(
      pow.t,
      `/n/${pow.slug}/lookup`,
      { form: formTokenOf(page.body), identifier: ann.email },
      { ip },
    );
    expect(response.body).not.toContain('Check your messages');
    // Asked again, with a new challenge.
    expect(challengeOf(response.body).challenge).not.toBe(challengeOf(page.body).challenge);
    await settleSiteMessages(pow.t);
    expect(await queuedCount(pow.t, pow.incidentId)).toBe(before);
    // A wrong solution is no better.
    const wrong = await postForm(
      pow.t,
      `/n/${pow.slug}/lookup`,
      {
        form: formTokenOf(page.body),
        identifier: ann.email,
        challenge: challengeOf(page.body).challenge,
        pow: 'not-a-solution',
      },
      { ip },
    );
    expect(wrong.body).not.toContain('Check your messages');
    expect(await queuedCount(pow.t, pow.incidentId)).toBe(before);
  });

  it('accepts a solved challenge once: a reused one is refused', async () => {
    const page = await getPage(pow.t, `/n/${pow.slug}/lookup`);
    const { challenge } = challengeOf(page.body);
    const solution = solveChallenge(challenge);
    const before = await queuedCount(pow.t, pow.incidentId);
    const accepted = await postForm(pow.t, `/n/${pow.slug}/lookup`, {
      form: formTokenOf(page.body),
      identifier: 'solved@example.com',
      challenge,
      pow: solution,
    });
    expect(accepted.statusCode).toBe(200);
    expect(accepted.body).toContain('Check your messages');
    expect(await queuedCount(pow.t, pow.incidentId)).toBe(before + 1);

    const again = await getPage(pow.t, `/n/${pow.slug}/lookup`);
    const reused = await postForm(pow.t, `/n/${pow.slug}/lookup`, {
      form: formTokenOf(again.body),
      identifier: 'reused@example.com',
      challenge,
      pow: solution,
    });
    expect(reused.body).not.toContain('Check your messages');
    expect(await queuedCount(pow.t, pow.incidentId)).toBe(before + 1);
  });

  it('refuses a challenge whose difficulty was lowered', async () => {
    const page = await getPage(pow.t, `/n/${pow.slug}/lookup`);
    const { challenge } = challengeOf(page.body);
    const [issued, nonce, , signature] = challenge.split('.');
    const easier = `${issued}.${nonce}.1.${signature}`;
    const before = await queuedCount(pow.t, pow.incidentId);
    const response = await postForm(pow.t, `/n/${pow.slug}/lookup`, {
      form: formTokenOf(page.body),
      identifier: 'cheater@example.com',
      challenge: easier,
      pow: solveChallenge(easier),
    });
    expect(response.body).not.toContain('Check your messages');
    expect(await queuedCount(pow.t, pow.incidentId)).toBe(before);
  });

  it('switches on under load, and the site-wide limit trips for every address', async () => {
    const loaded = await createSite({
      CANDOR_LOOKUP_CHALLENGE_AT: '2',
      CANDOR_LOOKUP_CHALLENGE_BITS: '6',
      CANDOR_LOOKUP_GLOBAL: '5',
    });
    try {
      const path = `/n/${loaded.slug}/lookup`;
      // Three forms fetched before the load (a form token posts once).
      const [early, ...earlier] = await Promise.all([1, 2, 3].map(() => getPage(loaded.t, path)));
      expect(early!.body).not.toContain('data-challenge');
      for (const [i, identifier] of ['load-1@example.com', 'load-2@example.com'].entries()) {
        const response = await postForm(loaded.t, path, { form: formTokenOf(earlier[i]!.body), identifier });
        expect(response.body).toContain('Check your messages');
      }
      // Two lookups in the window: the form now carries a challenge.
      const later = await getPage(loaded.t, path);
      const { challenge, bits } = challengeOf(later.body);
      expect(bits).toBe(6);
      // A form fetched before the load, posted without a solution, is asked again.
      const before = await queuedCount(loaded.t, loaded.incidentId);
      const unsolved = await postForm(loaded.t, path, {
        form: formTokenOf(early!.body),
        identifier: 'load-3@example.com',
      });
      expect(unsolved.statusCode).toBe(200);
      expect(unsolved.body).not.toContain('Check your messages');
      expect(unsolved.body).toContain('data-challenge');
      expect(await queuedCount(loaded.t, loaded.incidentId)).toBe(before);
      const solved = await postForm(loaded.t, path, {
        form: formTokenOf(later.body),
        identifier: 'load-4@example.com',
        challenge,
        pow: solveChallenge(challenge),
      });
      expect(solved.body).toContain('Check your messages');
      expect(await queuedCount(loaded.t, loaded.incidentId)).toBe(before + 1);

      // The site-wide limit (5 here) trips for everyone, whatever their address, solved or not.
      const solvedLookup = async (identifier: string) => {
        const form = await getPage(loaded.t, path);
        const c = challengeOf(form.body).challenge;
        return postForm(loaded.t, path, {
          form: formTokenOf(form.body),
          identifier,
          challenge: c,
          pow: solveChallenge(c),
        });
      };
      expect((await solvedLookup('load-5@example.com')).statusCode).toBe(200);
      const limited = await solvedLookup('load-6@example.com');
      expect(limited.statusCode).toBe(429);
      expect(limited.body).toContain('Please wait a moment');
      expect(await queuedCount(loaded.t, loaded.incidentId)).toBe(before + 2);
    } finally {
      await loaded.t.close();
    }
  });

  it('serves the solver script from the site itself', async () => {
    const script = await getPage(pow.t, '/n/_assets/challenge.js');
    expect(script.statusCode).toBe(200);
    expect(script.headers['content-type']).toContain('javascript');
    expect(script.body).toContain('crypto.subtle.digest');
  });

  it('sends the personal link once the challenge is solved', async () => {
    const page = await getPage(pow.t, `/n/${pow.slug}/lookup`);
    const { challenge } = challengeOf(page.body);
    await postForm(pow.t, `/n/${pow.slug}/lookup`, {
      form: formTokenOf(page.body),
      identifier: ann.email,
      challenge,
      pow: solveChallenge(challenge),
    });
    await settleSiteMessages(pow.t);
    const toAnn = (await siteOutbox(pow.legal, pow.incidentId)).filter((m) => m.to === ann.email);
    expect(toAnn).toHaveLength(1);
    const open = await getPage(pow.t, personalLinkIn(toAnn[0]!.text));
    expect(open.statusCode).toBe(303);
  });
});
