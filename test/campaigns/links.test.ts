import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { personalLinkToken, readPersonalLinkToken } from '../../src/server/modules/campaigns/index.ts';
import { type PiiCrypto, sealingCrypto } from '../../src/server/platform/crypto/data-keys.ts';

/** Personal links carry no personal data and cannot be forged or stretched past their expiry. */
const keys = () =>
  sealingCrypto({
    activeKeyId: 'k1',
    activeKey: randomBytes(32),
    blindIndexKey: randomBytes(32),
  }) as PiiCrypto;
const incident = '6f1c2a4e-2f53-4e0b-9a51-3c4d5e6f7a8b';

describe('personal link tokens', () => {
  it('read back as the incident and person they were made for, and name no one', () => {
    const crypto = keys();
    const issuedAt = new Date();
    const token = personalLinkToken(crypto, incident, 42, new Date(Date.now() + 3_600_000), issuedAt);
    expect(readPersonalLinkToken(crypto, token)).toEqual({
      incidentId: incident,
      pn: 42,
      expired: false,
      issuedAt,
    });
    expect(Buffer.from(token.split('.')[0]!, 'base64url').toString()).toMatch(
      /^[0-9a-f-]{36}\.42\.\d+\.\d+$/,
    );
  });

  it('say when they have expired', () => {
    const crypto = keys();
    const token = personalLinkToken(crypto, incident, 7, new Date(Date.now() - 1000));
    expect(readPersonalLinkToken(crypto, token)?.expired).toBe(true);
  });

  it('refuse a changed person number, a changed expiry, another installation’s key and garbage', () => {
    const crypto = keys();
    const token = personalLinkToken(crypto, incident, 7, new Date(Date.now() + 3_600_000));
    const [, signature] = token.split('.');
    const forged = (payload: string) => `${Buffer.from(payload).toString('base64url')}.${signature}`;
    expect(readPersonalLinkToken(crypto, forged(`${incident}.8.9999999999.1`))).toBeNull();
    expect(readPersonalLinkToken(crypto, `${token}.extra`)).toBeNull();
    expect(readPersonalLinkToken(keys(), token)).toBeNull();
    expect(readPersonalLinkToken(crypto, 'not-a-token')).toBeNull();
    expect(readPersonalLinkToken(crypto, `${'a'.repeat(400)}.b`)).toBeNull();
  });
});
