import { createHash, createHmac, randomBytes, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import {
  checkFormToken,
  checkSolution,
  FORM_MAX_AGE_MS,
  formToken,
  issueChallenge,
  leadingZeroBits,
  networkOf,
  solveChallenge,
} from '../../src/server/modules/notice-site/guards.ts';
import {
  readSessionCookie,
  SESSION_TTL_MS,
  sessionCookieValue,
} from '../../src/server/modules/notice-site/person.ts';
import {
  esc,
  fieldHtml,
  formHtml,
  layout,
  messageBox,
  renderNoticePage,
  type SiteFrame,
  textToHtml,
} from '../../src/server/modules/notice-site/render.ts';
import {
  readSubscriptionToken,
  subscriptionToken,
} from '../../src/server/modules/notice-site/subscriptions.ts';
import { exampleNotice } from './helpers.ts';

/**
 * The notice site's pure parts: form tokens, the proof of work, networks for rate limits, subscription
 * tokens, the personal page's session cookie, and the HTML helpers that escape everything.
 */
const signer = (key = randomBytes(32)) => ({
  blindIndex: (namespace: string, value: string) =>
    createHmac('sha256', key).update(namespace).update('\0').update(value).digest(),
});
const crypto = signer();
const incidentId = randomUUID();

const flipAt = (s: string, at: number) =>
  `${s.slice(0, at)}${s.charAt(at) === 'A' ? 'B' : 'A'}${s.slice(at + 1)}`;

describe('form tokens', () => {
  it('check for the purpose and incident they were issued for', () => {
    const token = formToken(crypto, 'lookup', incidentId);
    expect(checkFormToken(crypto, token, 'lookup', incidentId)).toBe(true);
    expect(checkFormToken(crypto, token, 'contact', incidentId)).toBe(false);
    expect(checkFormToken(crypto, token, 'lookup', randomUUID())).toBe(false);
    expect(checkFormToken(signer(), token, 'lookup', incidentId)).toBe(false);
  });

  it('are different on every request', () => {
    const tokens = new Set(Array.from({ length: 20 }, () => formToken(crypto, 'lookup', incidentId)));
    expect(tokens.size).toBe(20);
  });

  it('expire after two hours and are not accepted from the future', () => {
    const issued = Date.parse('2025-03-01T12:00:00Z');
    const token = formToken(crypto, 'lookup', incidentId, issued);
    expect(checkFormToken(crypto, token, 'lookup', incidentId, issued + FORM_MAX_AGE_MS)).toBe(true);
    expect(checkFormToken(crypto, token, 'lookup', incidentId, issued + FORM_MAX_AGE_MS + 1)).toBe(false);
    // A clock a little behind is tolerated, a token from well in the future is not.
    expect(checkFormToken(crypto, token, 'lookup', incidentId, issued - 30_000)).toBe(true);
    expect(checkFormToken(crypto, token, 'lookup', incidentId, issued - 120_000)).toBe(false);
  });

  it('refuse any change, and anything that is not a token', () => {
    const token = formToken(crypto, 'lookup', incidentId);
    const [issued, nonce, signature] = token.split('.') as [string, string, string];
    expect(checkFormToken(crypto, `${issued}.${flipAt(nonce, 2)}.${signature}`, 'lookup', incidentId)).toBe(
      false,
    );
    expect(checkFormToken(crypto, `${issued}.${nonce}.${flipAt(signature, 3)}`, 'lookup', incidentId)).toBe(
      false,
    );
    const later = (Number.parseInt(issued, 36) + 1000).toString(36);
    expect(checkFormToken(crypto, `${later}.${nonce}.${signature}`, 'lookup', incidentId)).toBe(false);
    for (const bad of [undefined, null, 42, {}, '', 'a.b', '..', `${token}${'x'.repeat(100)}`]) {
      expect(checkFormToken(crypto, bad, 'lookup', incidentId)).toBe(false);
    }
  });
});

describe('the proof of work', () => {
  it('counts leading zero bits', () => {
    expect(leadingZeroBits(Buffer.from([0x80]))).toBe(0);
    expect(leadingZeroBits(Buffer.from([0x0f]))).toBe(4);
    expect(leadingZeroBits(Buffer.from([0x00, 0x01]))).toBe(15);
    expect(leadingZeroBits(Buffer.from([0x00, 0x00, 0x40]))).toBe(17);
    expect(leadingZeroBits(Buffer.alloc(32))).toBe(256);
  });

  it('accepts a solved challenge at its difficulty', () => {
    const challenge = issueChallenge(crypto, 8);
    const solution = solveChallenge(challenge);
    const hash = createHash('sha256').update(`${challenge}:${solution}`).digest();
    expect(leadingZeroBits(hash)).toBeGreaterThanOrEqual(8);
    expect(checkSolution(crypto, challenge, solution, 8)).toBe(true);
  });

  it('refuses a wrong solution', () => {
    const challenge = issueChallenge(crypto, 8);
    let wrong = 0;
    while (leadingZeroBits(createHash('sha256').update(`${challenge}:w${wrong}`).digest()) >= 8) wrong++;
    expect(checkSolution(crypto, challenge, `w${wrong}`, 8)).toBe(false);
  });

  it('refuses an easier challenge than required, or one whose difficulty was edited', () => {
    const easy = issueChallenge(crypto, 2);
    expect(checkSolution(crypto, easy, solveChallenge(easy), 8)).toBe(false);
    const [issued, nonce, , signature] = issueChallenge(crypto, 12).split('.');
    const edited = `${issued}.${nonce}.1.${signature}`;
    expect(checkSolution(crypto, edited, solveChallenge(edited), 1)).toBe(false);
  });

  it('refuses a challenge signed by another key, or older than ten minutes', () => {
    const foreign = issueChallenge(signer(), 4);
    expect(checkSolution(crypto, foreign, solveChallenge(foreign), 4)).toBe(false);
    const issuedAt = Date.now() - 11 * 60_000;
    const old = issueChallenge(crypto, 4, issuedAt);
    const solution = solveChallenge(old);
    expect(checkSolution(crypto, old, solution, 4, issuedAt + 9 * 60_000)).toBe(true);
    expect(checkSolution(crypto, old, solution, 4)).toBe(false);
  });

  it('refuses anything that is not a challenge and a solution', () => {
    const challenge = issueChallenge(crypto, 4);
    for (const [c, s] of [
      [undefined, '1'],
      [challenge, undefined],
      [challenge, 'x'.repeat(41)],
      [`${challenge}${'x'.repeat(120)}`, '1'],
      ['a.b.c', '1'],
      [42, 42],
    ] as const) {
      expect(checkSolution(crypto, c, s, 4)).toBe(false);
    }
  });
});

describe('networks for the per-network limit', () => {
  it('groups IPv4 addresses by /24, mapped or not', () => {
    expect(networkOf('203.0.113.7')).toBe('203.0.113.0/24');
    expect(networkOf('203.0.113.250')).toBe(networkOf('203.0.113.7'));
    expect(networkOf('::ffff:203.0.113.9')).toBe(networkOf('203.0.113.7'));
    expect(networkOf('203.0.114.7')).not.toBe(networkOf('203.0.113.7'));
  });

  it('groups IPv6 addresses by /48, however they are written', () => {
    expect(networkOf('2001:db8:1:2::3')).toBe(networkOf('2001:db8:1:ffff::1'));
    expect(networkOf('2001:db8:1:2:3:4:5:6')).toBe(networkOf('2001:db8:1::'));
    expect(networkOf('2001:DB8:1::1')).toBe(networkOf('2001:db8:1::2'));
    expect(networkOf('2001:db8::1')).toBe(networkOf('2001:db8:0:1::1'));
    expect(networkOf('2001:db8:2::1')).not.toBe(networkOf('2001:db8:1::1'));
    expect(networkOf('::1')).not.toBe(networkOf('2001:db8::1'));
  });
});

describe('subscription tokens', () => {
  const id = randomUUID();

  it('carry the subscription for their purpose only', () => {
    const confirm = subscriptionToken(crypto, id, 'confirm');
    const unsubscribe = subscriptionToken(crypto, id, 'unsubscribe');
    expect(confirm).not.toBe(unsubscribe);
    expect(readSubscriptionToken(crypto, confirm, 'confirm')).toBe(id);
    expect(readSubscriptionToken(crypto, unsubscribe, 'unsubscribe')).toBe(id);
    expect(readSubscriptionToken(crypto, confirm, 'unsubscribe')).toBeNull();
    expect(readSubscriptionToken(crypto, unsubscribe, 'confirm')).toBeNull();
    expect(readSubscriptionToken(signer(), confirm, 'confirm')).toBeNull();
  });

  it('refuse a changed subscription id or signature, and garbage', () => {
    const [payload, signature] = subscriptionToken(crypto, id, 'unsubscribe').split('.') as [string, string];
    const other = subscriptionToken(crypto, randomUUID(), 'unsubscribe').split('.')[0];
    expect(readSubscriptionToken(crypto, `${other}.${signature}`, 'unsubscribe')).toBeNull();
    expect(readSubscriptionToken(crypto, `${payload}.${flipAt(signature, 2)}`, 'unsubscribe')).toBeNull();
    for (const bad of ['', 'x', `${payload}.${signature}.x`, `${payload}.${signature}${'A'.repeat(80)}`]) {
      expect(readSubscriptionToken(crypto, bad, 'unsubscribe')).toBeNull();
    }
  });
});

describe("the personal page's session cookie", () => {
  const session = {
    incidentId,
    pn: 42,
    linkIssuedAt: 1_700_000_000_000,
    expiresAt: Date.now() + SESSION_TTL_MS,
  };

  it('reads back what was written', () => {
    expect(readSessionCookie(crypto, sessionCookieValue(crypto, session))).toEqual(session);
  });

  it('expires', () => {
    const value = sessionCookieValue(crypto, session);
    expect(readSessionCookie(crypto, value, session.expiresAt - 1)).not.toBeNull();
    expect(readSessionCookie(crypto, value, session.expiresAt)).toBeNull();
  });

  it('cannot be altered: another person, a later expiry, another key', () => {
    const value = sessionCookieValue(crypto, session);
    const [, signature] = value.split('.') as [string, string];
    const payloadFor = (s: typeof session) =>
      Buffer.from(`${s.incidentId}.${s.pn}.${s.linkIssuedAt}.${s.expiresAt}`).toString('base64url');
    expect(readSessionCookie(crypto, `${payloadFor({ ...session, pn: 43 })}.${signature}`)).toBeNull();
    expect(
      readSessionCookie(
        crypto,
        `${payloadFor({ ...session, expiresAt: session.expiresAt + 86_400_000 })}.${signature}`,
      ),
    ).toBeNull();
    expect(readSessionCookie(crypto, `${payloadFor(session)}.${flipAt(signature, 3)}`)).toBeNull();
    expect(readSessionCookie(signer(), value)).toBeNull();
    for (const bad of [undefined, '', 'x', `${value}.x`, `${value}${'A'.repeat(300)}`]) {
      expect(readSessionCookie(crypto, bad)).toBeNull();
    }
  });
});

describe('HTML', () => {
  const frame: SiteFrame = {
    slug: 'shop-breach-1a2b3c',
    locale: 'en',
    locales: ['en', 'es'],
    companyName: 'Shop & <Co>',
    primaryColor: '#aa3300',
    hasLogo: false,
  };

  it('escapes the five characters that matter', () => {
    expect(esc(`<a href="x" onclick='y'>&</a>`)).toBe(
      '&lt;a href=&quot;x&quot; onclick=&#39;y&#39;&gt;&amp;&lt;/a&gt;',
    );
  });

  it('turns plain text into paragraphs, line breaks and lists, escaped', () => {
    expect(textToHtml('One\ntwo\r\n\r\nThree <b>')).toBe('<p>One<br>two</p>\n<p>Three &lt;b&gt;</p>');
    expect(textToHtml('- a & b\n- <c>\n\nAfter')).toBe(
      '<ul><li>a &amp; b</li><li>&lt;c&gt;</li></ul>\n<p>After</p>',
    );
    expect(textToHtml('- a\nnot a bullet')).toBe('<p>- a<br>not a bullet</p>');
    expect(textToHtml('  \n\n ')).toBe('');
  });

  it('labels fields, ties hints and errors to them, and escapes values', () => {
    const html = fieldHtml({
      name: 'email',
      label: 'Email',
      type: 'email',
      value: '"><script>x</script>',
      hint: 'Your address',
      error: 'Enter a full email address',
      maxLength: 320,
      required: true,
    });
    expect(html).toContain('<label for="email">Email</label>');
    expect(html).toContain('aria-describedby="email-hint email-error"');
    expect(html).toContain('aria-invalid="true"');
    expect(html).toContain('id="email-error"');
    expect(html).toContain('maxlength="320" required');
    expect(html).toContain('value="&quot;&gt;&lt;script&gt;x&lt;/script&gt;"');
    expect(html).not.toContain('<script>');
    const textarea = fieldHtml({
      name: 'message',
      label: 'M',
      type: 'textarea',
      value: '</textarea><b>',
      maxLength: 5,
    });
    expect(textarea).toContain(
      '<textarea id="message" name="message" maxlength="5">&lt;/textarea&gt;&lt;b&gt;</textarea>',
    );
    expect(textarea).not.toContain('aria-invalid');
  });

  it('puts the form token and, under load, the challenge in forms', () => {
    const plain = formHtml({
      action: '/n/x/lookup',
      token: 'tok"en',
      fields: '',
      button: 'Check',
      locale: 'en',
    });
    expect(plain).toContain('<input type="hidden" name="form" value="tok&quot;en">');
    expect(plain).not.toContain('data-challenge');
    const challenged = formHtml({
      action: '/n/x/lookup',
      token: 't',
      fields: '',
      button: 'Check',
      locale: 'es',
      challenge: { value: 'c.h.8.s', bits: 8 },
    });
    expect(challenged).toContain('data-challenge="c.h.8.s" data-bits="8"');
    expect(challenged).toContain('Un paso más');
  });

  it('announces errors as alerts and other messages as status', () => {
    expect(messageBox('error', 'Bad', 'x')).toContain('role="alert"');
    expect(messageBox('ok', 'Good', 'x')).toContain('role="status"');
    expect(messageBox('ok', '<b>', '&')).toContain('<strong>&lt;b&gt;</strong></p><p>&amp;</p>');
  });

  it('frames pages with the language, the switcher, the brand, escaped', () => {
    const page = layout(frame, { title: 'Title <1>', body: '<p>body</p>', path: '/n/shop-breach-1a2b3c' });
    expect(page).toContain('<html lang="en">');
    expect(page).toContain('<title>Title &lt;1&gt; · Shop &amp; &lt;Co&gt;</title>');
    expect(page).toContain('<span aria-current="true" lang="en">English</span>');
    expect(page).toContain('<a href="/n/shop-breach-1a2b3c?lang=es" hreflang="es" lang="es">Español</a>');
    // The colour reaches the page through its stylesheet (no inline styles on the public site).
    expect(page).toMatch(/href="\/n\/_assets\/site\.[0-9a-f]{10}\.aa3300\.css"/);
    expect(page).not.toContain('<img');
    expect(page).not.toContain('<script');
    const single = layout({ ...frame, locales: ['en'], hasLogo: true }, { title: 't', body: '', path: '/' });
    expect(single).not.toContain('nav class="lang"');
    expect(single).toContain('<img src="/n/_brand/logo" alt="">');
  });

  it('renders the notice with its headings, leaving out empty sections, updates newest first', () => {
    const content = exampleNotice();
    content.locales.en!.whatWeAreDoing = '';
    const page = renderNoticePage(
      frame,
      content,
      [
        {
          id: 'u1',
          publishedAt: new Date('2025-03-02T00:00:00Z'),
          content: { locales: { en: { title: 'Older', body: 'o' } } },
        },
        {
          id: 'u2',
          publishedAt: new Date('2025-03-05T00:00:00Z'),
          content: { locales: { es: { title: 'Solo en español', body: 'e' } } },
        },
      ],
      new Date('2025-03-01T00:00:00Z'),
    );
    for (const heading of [
      'What happened',
      'What information was involved',
      'What you can do',
      'For more information',
    ]) {
      expect(page).toContain(heading);
    }
    expect(page).not.toContain('What we are doing');
    expect(page.indexOf('Solo en español')).toBeLessThan(page.indexOf('Older'));
    expect(page).toContain('<time datetime="2025-03-01T00:00:00.000Z">March 1, 2025</time>');
    expect(page).toContain('Last updated');
    expect(page).toContain('href="tel:+18005550100"');
    expect(page).toContain('<details><summary>Was my payment card exposed?</summary>');
    expect(page).toContain('Monday to Friday, 8 am to 8 pm Eastern Time');
    expect(page).toContain('Springfield, IL 62701<br>USA');
    expect(page).toContain('href="/n/shop-breach-1a2b3c/lookup"');
    expect(page).toContain('href="/n/shop-breach-1a2b3c/verify"');
    expect(page).toContain('href="/n/shop-breach-1a2b3c/contact"');
    expect(page).toContain('href="/n/shop-breach-1a2b3c/subscribe"');
  });
});
