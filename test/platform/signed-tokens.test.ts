import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personalLinkToken } from '../../src/server/modules/campaigns/index.ts';
import { satisfactionToken } from '../../src/server/modules/inbox/satisfaction.ts';
import { type PiiCrypto, sealingCrypto } from '../../src/server/platform/crypto/data-keys.ts';
import {
  openToken,
  signToken,
  type TokenPurpose,
  tokenPurposes,
  uuidPayload,
} from '../../src/server/platform/crypto/signed-tokens.ts';

/** The one signed-token codec behind personal links, cookies, subscription links, ratings, forms and challenges. */
const keys = () =>
  sealingCrypto({
    activeKeyId: 'k1',
    activeKey: randomBytes(32),
    blindIndexKey: randomBytes(32),
  }) as PiiCrypto;
const id = '6f1c2a4e-2f53-4e0b-9a51-3c4d5e6f7a8b';

describe('signed tokens', () => {
  it('open for the purpose and binding they were signed for, and give the payload back', () => {
    const crypto = keys();
    const token = signToken(crypto, 'form', 'lq2x.abc', ['lookup', id]);
    expect(openToken(crypto, 'form', token, ['lookup', id])).toBe('lq2x.abc');
  });

  // pins: a token handed out for one purpose replayed where another is expected (an unsubscribe link used
  // as a confirmation, a rating link as a personal page, a contact form token on the lookup)
  it('never open for another purpose or another binding', () => {
    const crypto = keys();
    const purposes = Object.keys(tokenPurposes) as TokenPurpose[];
    for (const signedFor of purposes) {
      const token = signToken(crypto, signedFor, uuidPayload.encode(id));
      for (const openedAs of purposes.filter((p) => p !== signedFor)) {
        expect(openToken(crypto, openedAs, token), `${signedFor} opened as ${openedAs}`).toBeNull();
      }
    }
    const unsubscribe = signToken(crypto, 'subscription', uuidPayload.encode(id), ['unsubscribe']);
    expect(openToken(crypto, 'subscription', unsubscribe, ['confirm'])).toBeNull();
    const contact = signToken(crypto, 'form', 'lq2x.abc', ['contact', id]);
    expect(openToken(crypto, 'form', contact, ['lookup', id])).toBeNull();
  });

  it('refuse a changed payload, a truncated or re-encoded signature, another key, over-long input and garbage', () => {
    const crypto = keys();
    const token = signToken(crypto, 'satisfaction', uuidPayload.encode(id));
    const [payload, signature] = token.split('.') as [string, string];
    const other = uuidPayload.encode('00000000-0000-4000-8000-000000000000');
    expect(openToken(crypto, 'satisfaction', `${other}.${signature}`)).toBeNull();
    expect(openToken(crypto, 'satisfaction', `${payload}.${signature.slice(0, -2)}`)).toBeNull();
    expect(openToken(keys(), 'satisfaction', token)).toBeNull();
    expect(openToken(crypto, 'satisfaction', `${token}${'A'.repeat(80)}`)).toBeNull();
    for (const garbage of ['', '.', 'abc', `.${signature}`, 42, null, undefined, {}]) {
      expect(openToken(crypto, 'satisfaction', garbage)).toBeNull();
    }
  });

  // Links already in people's mailboxes must keep working: the format is the one each codec had before.
  it('keeps the wire format of the links already sent', () => {
    const crypto = keys();
    const legacy = (namespace: string, signed: string, payload: string) =>
      `${payload}.${crypto.blindIndex(namespace, signed).subarray(0, 16).toString('base64url')}`;
    const payload = uuidPayload.encode(id);
    expect(satisfactionToken(crypto, id)).toBe(legacy('inbox_satisfaction.v1', payload, payload));
    expect(signToken(crypto, 'subscription', payload, ['unsubscribe'])).toBe(
      legacy('notice_subscription.v1', `unsubscribe|${payload}`, payload),
    );
    const expires = new Date('2030-01-01T00:00:00Z');
    const issued = new Date('2026-12-07T10:00:00Z');
    const link = personalLinkToken(crypto, id, 42, expires, issued);
    const linkPayload = Buffer.from(`${id}.42.${expires.getTime() / 1000}.${issued.getTime()}`).toString(
      'base64url',
    );
    expect(link).toBe(legacy('personal_link.v1', linkPayload, linkPayload));
  });

  it('turns UUIDs into 22 characters and back, and refuses anything else', () => {
    expect(uuidPayload.encode(id)).toHaveLength(22);
    expect(uuidPayload.decode(uuidPayload.encode(id))).toBe(id);
    expect(uuidPayload.decode('abc')).toBeNull();
  });
});
