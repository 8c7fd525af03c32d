/**
 * The SMS segment count shown live under the SMS editor (the server warns on the same numbers when the
 * campaign is saved). GSM 03.38: 160 septets fit one message, 153 per part once split (the concatenation
 * header takes the rest); the extension-table characters cost an escape plus the character and stay whole
 * within a part. One character outside the alphabet makes the whole message UCS-2: 70 UTF-16 units alone,
 * 67 per part, and an astral character (most emoji) is a surrogate pair that stays whole too.
 */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
const GSM_EXTENDED = '\f^{}\\[~]|€';
const basic = new Set(Array.from(GSM_BASIC));
const extended = new Set(Array.from(GSM_EXTENDED));

export type SmsEncoding = 'GSM-7' | 'UCS-2';

export const smsLimits: Record<SmsEncoding, { single: number; part: number }> = {
  'GSM-7': { single: 160, part: 153 },
  'UCS-2': { single: 70, part: 67 },
};

export interface SmsCount {
  encoding: SmsEncoding;
  segments: number;
  /** Code points, as a person counts characters. */
  characters: number;
  /** Units used in the encoding: septets for GSM-7, UTF-16 units for UCS-2. */
  units: number;
  /** Units left before the next segment starts. */
  remaining: number;
  /** The characters that forced UCS-2, once each, in order of appearance (at most 5). */
  nonGsm: string[];
}

export function countSms(text: string): SmsCount {
  const chars = Array.from(text);
  const nonGsm = [...new Set(chars.filter((c) => !basic.has(c) && !extended.has(c)))];
  const encoding: SmsEncoding = nonGsm.length === 0 ? 'GSM-7' : 'UCS-2';
  const costs = chars.map((c) => (encoding === 'GSM-7' ? (extended.has(c) ? 2 : 1) : c.length));
  const units = costs.reduce((sum, cost) => sum + cost, 0);
  const { single, part } = smsLimits[encoding];
  if (units <= single) {
    return {
      encoding,
      segments: units === 0 ? 0 : 1,
      characters: chars.length,
      units,
      remaining: single - units,
      nonGsm: nonGsm.slice(0, 5),
    };
  }
  // Parts fill greedily; a character that does not fit whole opens the next part.
  let segments = 1;
  let used = 0;
  for (const cost of costs) {
    if (used + cost > part) {
      segments += 1;
      used = 0;
    }
    used += cost;
  }
  return {
    encoding,
    segments,
    characters: chars.length,
    units,
    remaining: part - used,
    nonGsm: nonGsm.slice(0, 5),
  };
}
