import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { classify, fold, type Rule } from '../../src/server/modules/inbox/classify.ts';
import { dsrDeadline, verificationHash } from '../../src/server/modules/inbox/ingest.ts';
import { readSatisfactionToken, satisfactionToken } from '../../src/server/modules/inbox/satisfaction.ts';
import { queryTerms, searchTerms } from '../../src/server/modules/inbox/search.ts';

/**
 * The pure parts of the inbox: folding, topic rules, sentiment and priority, keyed search terms, the legal
 * deadline of a data-subject request, verification hashes and satisfaction tokens.
 */

/** The rules the migration seeds (0007_inbox.sql). */
const rules: Rule[] = [
  {
    topic: 'is_this_real',
    keywords: [
      'is this real',
      'is this legit',
      'legitimate',
      'scam',
      'phishing',
      'fake',
      'genuine',
      'es real',
      'estafa',
    ],
    weight: 15,
    dsrKind: null,
  },
  {
    topic: 'credit_monitoring',
    keywords: ['credit monitoring', 'activation code', 'enroll', 'credit report', 'código de activación'],
    weight: 10,
    dsrKind: null,
  },
  {
    topic: 'password',
    keywords: ['password', 'log in', 'login', 'sign in', 'locked out', 'reset', 'contraseña'],
    weight: 10,
    dsrKind: null,
  },
  {
    topic: 'delete_my_data',
    keywords: ['delete my data', 'erase', 'right to be forgotten', 'borrar mis datos'],
    weight: 20,
    dsrKind: 'deletion',
  },
  {
    topic: 'access_request',
    keywords: ['copy of my data', 'subject access', 'acceso a mis datos'],
    weight: 20,
    dsrKind: 'access',
  },
  {
    topic: 'legal_threat',
    keywords: ['lawyer', 'attorney', 'sue', 'lawsuit', 'class action', 'abogado'],
    weight: 35,
    dsrKind: null,
  },
  { topic: 'press', keywords: ['journalist', 'reporter', 'for a story'], weight: 30, dsrKind: null },
];

const key = Buffer.alloc(32, 7);
const crypto = {
  blindIndex: (namespace: string, value: string) =>
    createHmac('sha256', key).update(`${namespace}\u0000${value}`).digest(),
};
const otherCrypto = {
  blindIndex: (namespace: string, value: string) =>
    createHmac('sha256', Buffer.alloc(32, 8)).update(`${namespace}\u0000${value}`).digest(),
};

describe('fold', () => {
  it('drops accents and case, keeps the letters', () => {
    expect(fold('Contraseña ÉCOLE Ångström')).toBe('contrasena ecole angstrom');
    expect(fold('plain text 123')).toBe('plain text 123');
  });
});

describe('classify', () => {
  it('tags topics on whole words only, whatever the case and accents', () => {
    expect(classify('Is this a SCAM?', rules).topics).toEqual(['is_this_real']);
    expect(classify('I will sue you', rules).topics).toEqual(['legal_threat']);
    // "sue" inside other words, "reset" inside "preset", "fake" inside "fakery": no topic.
    expect(classify('There is an issue; I pursue it with a preset.', rules).topics).toEqual([]);
    expect(classify('mi contrasena no funciona', rules).topics).toEqual(['password']);
    expect(classify('Mi CONTRASEÑA no funciona', rules).topics).toEqual(['password']);
    expect(classify('Dónde está mi código de activacion', rules).topics).toEqual(['credit_monitoring']);
  });

  it('matches a phrase across any run of whitespace, and several topics at once', () => {
    const found = classify('Please DELETE   my\n data. Is this real? My lawyer says hi.', rules);
    expect(found.topics).toEqual(['is_this_real', 'delete_my_data', 'legal_threat']);
    expect(found.dsrKind).toBe('deletion');
  });

  it('flags data-subject requests by their kind', () => {
    expect(classify('Send me a copy of my data', rules).dsrKind).toBe('access');
    expect(classify('Quiero borrar mis datos', rules).dsrKind).toBe('deletion');
    expect(classify('Where is my activation code?', rules).dsrKind).toBeNull();
  });

  it('scores sentiment and combines it with the topics into a priority', () => {
    const neutral = classify('Where is my activation code?', rules);
    expect(neutral.priority).toBe(10 + 10);
    const none = classify('Hello there', rules);
    expect(none.topics).toEqual([]);
    expect(none.priority).toBeGreaterThanOrEqual(10);
    expect(none.priority).toBeLessThanOrEqual(10 + 30);
    const happy = classify('Thank you, this is great and very helpful!', rules);
    expect(happy.sentiment).toBeGreaterThan(0);
    expect(happy.priority).toBe(10);
    const angry = classify('This is terrible, awful and disgusting. I hate you. Horrible!', rules);
    expect(angry.sentiment).toBeLessThan(0);
    expect(angry.priority).toBeGreaterThan(10);
    expect(angry.priority).toBeLessThanOrEqual(40);
  });

  it('caps the topic weights at 60 and the priority at 100', () => {
    const everything = classify(
      'My lawyer and a journalist for a story: is this a scam? Delete my data! Terrible, awful, horrible, I hate this, disgusting.',
      rules,
    );
    expect(everything.topics.length).toBeGreaterThanOrEqual(4);
    expect(everything.priority).toBeLessThanOrEqual(100);
    expect(everything.priority).toBeGreaterThanOrEqual(10 + 60);
  });

  it('gives an empty message neutral sentiment and the base priority', () => {
    expect(classify('   ', rules)).toEqual({ topics: [], sentiment: 0, priority: 10, dsrKind: null });
  });

  it('ignores a rule without keywords', () => {
    expect(
      classify('anything at all', [{ topic: 'empty', keywords: [], weight: 50, dsrKind: null }]).topics,
    ).toEqual([]);
  });
});

describe('search terms', () => {
  it('are keyed hashes of the words, accent- and case-insensitive', () => {
    const a = searchTerms(crypto, 'Contraseña olvidada');
    expect(a).toHaveLength(2);
    for (const term of a) expect(term).toMatch(/^[0-9a-f]{16}$/);
    expect(searchTerms(crypto, 'CONTRASENA Olvidada')).toEqual(a);
    // Nothing of the plain word is in the term.
    expect(a.join(' ')).not.toContain('contrasena');
    // Another key, other hashes.
    expect(searchTerms(otherCrypto, 'Contraseña olvidada')).not.toEqual(a);
  });

  it('keep each word once, drop one-letter words, and keep an email address whole', () => {
    const terms = searchTerms(crypto, 'a refund refund I x ann.lee@example.com');
    expect(terms).toEqual(searchTerms(crypto, 'refund ann.lee@example.com'));
    expect(terms).toHaveLength(2);
  });

  it('a query matches the terms of a text holding its words', () => {
    const stored = new Set(searchTerms(crypto, 'My password reset link is broken.'));
    const query = queryTerms(crypto, 'PASSWORD broken');
    expect(query).toHaveLength(2);
    for (const term of query) expect(stored.has(term)).toBe(true);
    expect(stored.has(queryTerms(crypto, 'refund')[0]!)).toBe(false);
  });

  it('a query uses at most ten words and nothing when it has no word', () => {
    expect(queryTerms(crypto, 'one two three four five six seven eight nine ten eleven twelve')).toHaveLength(
      10,
    );
    expect(queryTerms(crypto, '!!! ?')).toEqual([]);
  });
});

describe('the deadline of a data-subject request', () => {
  const received = new Date('2026-01-31T10:00:00Z');

  it('is one month under the GDPR and the UK GDPR', () => {
    expect(dsrDeadline(received, 'DE').toISOString()).toBe('2026-02-28T10:00:00.000Z');
    expect(dsrDeadline(new Date('2026-03-15T08:00:00Z'), 'FR').toISOString()).toBe(
      '2026-04-15T08:00:00.000Z',
    );
    expect(dsrDeadline(new Date('2026-03-15T08:00:00Z'), 'GB').toISOString()).toBe(
      '2026-04-15T08:00:00.000Z',
    );
    expect(dsrDeadline(new Date('2026-03-15T08:00:00Z'), 'NO').toISOString()).toBe(
      '2026-04-15T08:00:00.000Z',
    );
  });

  it('is 45 days under the CCPA', () => {
    expect(dsrDeadline(received, 'US-CA').toISOString()).toBe('2026-03-17T10:00:00.000Z');
  });

  it('is 30 days elsewhere and when the jurisdiction is unknown', () => {
    expect(dsrDeadline(received, 'US-NY').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(dsrDeadline(received, 'US').toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(dsrDeadline(received, null).toISOString()).toBe('2026-03-02T10:00:00.000Z');
    expect(dsrDeadline(received, 'BR').toISOString()).toBe('2026-03-02T10:00:00.000Z');
  });
});

describe('verification hashes', () => {
  it('depend on the key, the thread and the code', () => {
    const thread = '0b7e3c8e-52a5-4c3a-9d46-1a2b3c4d5e6f';
    const h = verificationHash(crypto, thread, '123456');
    expect(verificationHash(crypto, thread, '123456').equals(h)).toBe(true);
    expect(verificationHash(crypto, thread, '123457').equals(h)).toBe(false);
    expect(verificationHash(crypto, '1b7e3c8e-52a5-4c3a-9d46-1a2b3c4d5e6f', '123456').equals(h)).toBe(false);
    expect(verificationHash(otherCrypto, thread, '123456').equals(h)).toBe(false);
  });
});

describe('satisfaction tokens', () => {
  const thread = '0b7e3c8e-52a5-4c3a-9d46-1a2b3c4d5e6f';

  it('name the thread they were made for', () => {
    const token = satisfactionToken(crypto, thread);
    expect(token).toMatch(/^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/);
    expect(readSatisfactionToken(crypto, token)).toBe(thread);
  });

  it('refuse a forged, altered or foreign token', () => {
    const token = satisfactionToken(crypto, thread);
    const [payload, signature] = token.split('.') as [string, string];
    const otherPayload = satisfactionToken(crypto, '1b7e3c8e-52a5-4c3a-9d46-1a2b3c4d5e6f').split('.')[0];
    expect(readSatisfactionToken(crypto, `${otherPayload}.${signature}`)).toBeNull();
    expect(readSatisfactionToken(otherCrypto, token)).toBeNull();
    expect(readSatisfactionToken(crypto, `${payload}.`)).toBeNull();
    expect(readSatisfactionToken(crypto, `${token}.x`)).toBeNull();
    expect(readSatisfactionToken(crypto, 'garbage')).toBeNull();
    expect(readSatisfactionToken(crypto, `${payload}.${'A'.repeat(22)}`)).toBeNull();
  });
});
