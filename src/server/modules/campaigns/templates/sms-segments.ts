/**
 * How many SMS segments a text costs (3GPP TS 23.038 / 23.040). GSM-7 packs 160 septets into one message, or
 * 153 per segment once the message is split (the user-data header takes 7); characters from the extension
 * table (€ [ ] { } \ ^ ~ | and form feed) take two septets and are never split across segments. Any character
 * outside GSM-7 switches the whole message to UCS-2: 70 UTF-16 units, or 67 per segment, where a surrogate
 * pair (most emoji) counts two and is never split either.
 */
const GSM7_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const GSM7_EXTENSION = new Set('\f^{}\\[~]|€');

const LIMITS = {
  'GSM-7': { single: 160, multi: 153 },
  'UCS-2': { single: 70, multi: 67 },
} as const;

export interface SmsSegments {
  encoding: 'GSM-7' | 'UCS-2';
  segments: number;
  /** Characters as a person counts them (Unicode code points), not septets or UTF-16 units. */
  characters: number;
}

export function smsSegments(text: string): SmsSegments {
  const chars = Array.from(text);
  const isGsm = chars.every((c) => GSM7_BASIC.has(c) || GSM7_EXTENSION.has(c));
  const encoding = isGsm ? 'GSM-7' : 'UCS-2';
  // Cost in the encoding's units: septets for GSM-7, UTF-16 code units for UCS-2.
  const costs = chars.map((c) => (isGsm ? (GSM7_EXTENSION.has(c) ? 2 : 1) : c.length));
  const total = costs.reduce((sum, cost) => sum + cost, 0);
  const limit = LIMITS[encoding];
  let segments = 0;
  if (total > 0 && total <= limit.single) {
    segments = 1;
  } else if (total > limit.single) {
    let used: number = limit.multi;
    for (const cost of costs) {
      if (used + cost > limit.multi) {
        segments += 1;
        used = 0;
      }
      used += cost;
    }
  }
  return { encoding, segments, characters: chars.length };
}
