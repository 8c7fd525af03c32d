import { timingSafeEqual } from 'node:crypto';
import { Secret, TOTP } from 'otpauth';
import QRCode from 'qrcode';

/**
 * RFC 6238 TOTP: SHA-1, 6 digits, 30-second steps, accepting the previous, current and next step.
 * `matchTotp` compares against all three candidates in constant time and returns the matched step; the
 * caller stores the highest accepted step so no code is accepted twice (replay).
 */
const PERIOD_SECONDS = 30;
const ISSUER = 'Candor';

export function newTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

function totpFor(secretBase32: string, label = 'staff'): TOTP {
  return new TOTP({
    issuer: ISSUER,
    label,
    algorithm: 'SHA1',
    digits: 6,
    period: PERIOD_SECONDS,
    secret: Secret.fromBase32(secretBase32),
  });
}

export function currentStep(now = Date.now()): number {
  return Math.floor(now / 1000 / PERIOD_SECONDS);
}

export function matchTotp(secretBase32: string, code: string, now = Date.now()): number | null {
  if (!/^\d{6}$/.test(code)) return null;
  const totp = totpFor(secretBase32);
  const given = Buffer.from(code.padEnd(6, ' ').slice(0, 6));
  let matched: number | null = null;
  const step = currentStep(now);
  for (const candidate of [step - 1, step, step + 1]) {
    const expected = Buffer.from(totp.generate({ timestamp: candidate * PERIOD_SECONDS * 1000 }));
    // No early exit: every candidate is compared, whatever matched before.
    if (timingSafeEqual(expected, given) && matched === null) matched = candidate;
  }
  return matched;
}

/** For tests and the enrollment page: the code for a given time. */
export function totpCode(secretBase32: string, now = Date.now()): string {
  return totpFor(secretBase32).generate({ timestamp: now });
}

/** The QR code for the authenticator app; the label tells the person which account it is. */
export async function enrollmentMaterial(secretBase32: string, accountLabel: string) {
  const otpauthUri = totpFor(secretBase32, accountLabel).toString();
  const svg = await QRCode.toString(otpauthUri, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
  return {
    secret: secretBase32,
    otpauthUri,
    qrCode: `data:image/svg+xml;base64,${Buffer.from(svg).toString('base64')}`,
  };
}
