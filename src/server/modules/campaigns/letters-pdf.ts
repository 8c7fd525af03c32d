import PDFDocument from 'pdfkit';
import { formatDay, readerLocale } from '../../platform/time/format-time.ts';
import type { PersonContact } from '../people/index.ts';

/**
 * A print batch as one PDF for the print vendor: each letter on its own pages, its recipient block where a
 * window envelope shows it, in text Helvetica can show.
 */
export type Paper = 'a4' | 'letter';

export interface Letter {
  messageId: string;
  verificationCode: string;
  locale: string;
  to: string;
  address: string[];
  text: string;
  /** The person's structured address, only when it is the one printed (see `structuredAddress`). */
  postal: PersonContact['postal'];
  name: string;
}

/** `1A2B3C4D5E6F` → `1A2B-3C4D-5E6F`, as printed. */
export const groupCode = (code: string) => code.match(/.{1,4}/g)?.join('-') ?? code;

// WinAnsi (what pdfkit's built-in Helvetica encodes) beyond Latin-1.
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');
const SUBSTITUTES: Record<string, string> = {
  '\t': '    ',
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '—',
  '\u2212': '-',
  '\u2032': "'",
  '\u2033': '"',
  '\u2190': '<-',
  '\u2192': '->',
  '\u2264': '<=',
  '\u2265': '>=',
  '\u2116': 'No.',
  '\u25CF': '•',
  '\u2043': '-',
  Ł: 'L',
  ł: 'l',
  Đ: 'D',
  đ: 'd',
  ı: 'i',
};
const isWinAnsi = (ch: string) => {
  const c = ch.codePointAt(0)!;
  return ch === '\n' || (c >= 0x20 && c <= 0x7e) || (c >= 0xa0 && c <= 0xff) || WIN_ANSI_EXTRA.has(ch);
};
const isInvisible = (c: number) =>
  c < 0x20 || (c >= 0x7f && c <= 0x9f) || (c >= 0x200b && c <= 0x200d) || c === 0x2060 || c === 0xfeff;
const isSpace = (c: number) => (c >= 0x2000 && c <= 0x200a) || c === 0x202f || c === 0x205f;

/**
 * Text Helvetica can show: accented Latin letters stay (é, ñ, ü are WinAnsi), common punctuation is mapped,
 * other letters lose their accents where that leaves a WinAnsi letter (ő → o), the rest become "?".
 */
export function toWinAnsi(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC').replace(/\r\n?/g, '\n')) {
    const c = ch.codePointAt(0)!;
    if (isWinAnsi(ch)) out += ch;
    else if (SUBSTITUTES[ch] !== undefined) out += SUBSTITUTES[ch];
    else if (isInvisible(c)) continue;
    else if (isSpace(c)) out += ' ';
    else {
      const bare = ch.normalize('NFD').replace(/\p{M}/gu, '');
      out += bare && bare !== ch && [...bare].every(isWinAnsi) ? bare : '?';
    }
  }
  return out;
}

const MM = 72 / 25.4;
const IN = 72;
/** Both windows are wider (85 mm, 4.5 in); the text starts a few millimetres inside them. */
const WINDOW_TEXT_WIDTH = 80 * MM;
/**
 * Page geometry. The recipient block sits where a window envelope shows it: DIN 5008 form B on A4 (DL
 * envelope, window 20 mm from the left and 45 mm from the top, the first 17.7 mm of it for the return line),
 * and a #10 single-window envelope on US Letter (the tri-folded sheet shows 2.05–3.15 in from its top).
 */
const LAYOUTS = {
  a4: {
    size: 'A4',
    margins: { top: 20 * MM, bottom: 25 * MM, left: 25 * MM, right: 20 * MM },
    senderY: 12 * MM,
    returnY: 57 * MM,
    recipientY: 63 * MM,
    recipientStep: 12,
    recipientLines: 6,
    dateY: 98 * MM,
    bodyY: 108 * MM,
    footerFromBottom: 14 * MM,
    folds: [105 * MM, 210 * MM],
  },
  letter: {
    size: 'LETTER',
    margins: { top: 0.75 * IN, bottom: 1 * IN, left: 1 * IN, right: 0.75 * IN },
    senderY: 0.5 * IN,
    returnY: 2.12 * IN,
    recipientY: 2.3 * IN,
    recipientStep: 11,
    recipientLines: 5,
    dateY: 3.35 * IN,
    bodyY: 3.65 * IN,
    footerFromBottom: 0.55 * IN,
    folds: [(11 / 3) * IN, (22 / 3) * IN],
  },
} as const;

/**
 * The batch as one PDF: each letter starts on a new page and numbers its own pages in the footer. Pages
 * are buffered per letter only (footers need the letter's page count), then flushed. Measured: 5,000
 * three-page letters take 15–25 s and make a 17 MB PDF.
 */
export function renderLettersPdf(
  letters: Letter[],
  sender: { company: string; postal: string },
  paper: Paper,
  batch: { title: string; date: Date; timeZone: string },
): Promise<{ pdf: Buffer; pages: number[] }> {
  const L = LAYOUTS[paper];
  const doc = new PDFDocument({
    autoFirstPage: false,
    bufferPages: true,
    info: { Title: batch.title, Producer: 'Candor' },
  });
  const chunks: Buffer[] = [];
  // Copied: pdfkit hands out slices of zlib's 16 KiB output buffers, which would pin 16 KiB per page.
  doc.on('data', (c: Buffer) => chunks.push(Buffer.from(c)));
  const done = new Promise<Buffer>((resolve, reject) => {
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
  });
  const fitLine = (text: string, width: number) => {
    let s = toWinAnsi(text).replaceAll('\n', ' ');
    if (doc.widthOfString(s) <= width) return s;
    while (s.length > 1 && doc.widthOfString(`${s}…`) > width) s = s.slice(0, -1);
    return `${s.trimEnd()}…`;
  };
  // The postal address often starts with the company name: print the name once.
  const postal = sender.postal.startsWith(sender.company)
    ? sender.postal.slice(sender.company.length).replace(/^[\s,]+/, '')
    : sender.postal;
  const returnLine = [sender.company, postal].filter(Boolean).join(', ');
  const pages: number[] = [];
  for (const letter of letters) {
    doc.addPage({ size: L.size, margins: L.margins });
    const { width, height } = doc.page;
    const left = L.margins.left;
    const contentWidth = width - left - L.margins.right;
    const first = doc.bufferedPageRange().start + doc.bufferedPageRange().count - 1;

    doc.font('Helvetica-Bold').fontSize(11).text(fitLine(sender.company, contentWidth), left, L.senderY);
    doc
      .font('Helvetica')
      .fontSize(8.5)
      .text(toWinAnsi(postal), { width: contentWidth, height: 24, ellipsis: true });
    doc.fontSize(7).text(fitLine(returnLine, WINDOW_TEXT_WIDTH), left, L.returnY, { lineBreak: false });
    doc.fontSize(10);
    letter.address.slice(0, L.recipientLines).forEach((line, i) => {
      doc.text(fitLine(line, WINDOW_TEXT_WIDTH), left, L.recipientY + i * L.recipientStep, {
        lineBreak: false,
      });
    });
    const date = formatDay(batch.date, batch.timeZone, readerLocale(letter.locale));
    doc.text(toWinAnsi(date), left, L.dateY, { width: contentWidth, align: 'right', lineBreak: false });
    for (const y of L.folds)
      doc
        .moveTo(3 * MM, y)
        .lineTo(7 * MM, y)
        .lineWidth(0.3)
        .stroke('#999999');
    doc.fillColor('black').fontSize(10.5).text(toWinAnsi(letter.text), left, L.bodyY, {
      width: contentWidth,
      lineGap: 2,
    });

    const range = doc.bufferedPageRange();
    const count = range.start + range.count - first;
    const code = groupCode(letter.verificationCode);
    for (let i = 0; i < count; i++) {
      doc.switchToPage(first + i);
      // Below the bottom margin: lift it while writing, or pdfkit would start another page.
      const bottom = doc.page.margins.bottom;
      doc.page.margins.bottom = 0;
      doc
        .font('Helvetica')
        .fontSize(8)
        .text(`Verification code: ${code} · page ${i + 1} of ${count}`, left, height - L.footerFromBottom, {
          width: contentWidth,
          align: 'center',
          lineBreak: false,
        });
      doc.page.margins.bottom = bottom;
    }
    doc.flushPages();
    pages.push(count);
  }
  doc.end();
  return done.then((pdf) => ({ pdf, pages }));
}
