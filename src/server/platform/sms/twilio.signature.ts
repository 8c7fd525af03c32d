import { createHmac } from 'node:crypto';
import { safeEqual } from '../http/guard.ts';

/**
 * Twilio's X-Twilio-Signature: base64 HMAC-SHA1, keyed with the auth token, of the full URL Twilio called
 * (query string included) followed by every POST parameter sorted by name, as name then value.
 */
export function twilioSignature(authToken: string, url: string, params: Record<string, string>): string {
  let signed = url;
  for (const name of Object.keys(params).sort()) signed += name + params[name];
  return createHmac('sha1', authToken).update(signed, 'utf8').digest('base64');
}

/**
 * Whether a status callback really comes from Twilio. Pass the URL exactly as Twilio was given it (behind a
 * proxy, the public URL, not the one the server sees). Constant-time compare; an empty token never
 * verifies, since anyone can compute an HMAC with an empty key.
 */
export function verifyTwilioSignature(
  authToken: string,
  url: string,
  params: Record<string, string>,
  signature: string | undefined,
): boolean {
  if (!authToken || !signature) return false;
  return safeEqual(signature, twilioSignature(authToken, url, params));
}
