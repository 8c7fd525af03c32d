import PDFDocument from 'pdfkit';
import type { Db, Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { formatDay, readerLocale } from '../../platform/time/format-time.ts';
import { readCompanyProfile } from '../incidents/index.ts';
import {
  type CampaignLane,
  letterDeliveries,
  letterPrintSummary,
  lettersEndedFor,
  lettersOfBatch,
  lockLettersNamed,
  OUTBOX_CONTEXT,
  type OutboxLetter,
  printedLetterIds,
  takeUnprintedLetters,
} from '../outbound/index.ts';
import { contactsFor, type PersonContact } from '../population/index.ts';
import { settingsOf } from './campaigns.service.ts';
import { printedCompanyNameOf } from './company-name.ts';
import { resolveLocale } from './templates/index.ts';

/**
 * Letters: the delivery engine renders each letter into the outbox; from there staff take print batches
 * (one PDF for the print vendor, one letter per page set, and a CSV manifest of the same letters), and
 * feed back the vendor's list of returned mail, which bounces those deliveries like a hard bounce.
 *
 * A print batch marks its rows `printed_at = now()` in the transaction that renders it, so two people
 * printing at once never get the same letter; every row of a batch carries the same `printed_at`, which is
 * therefore the batch's id, and a batch whose file was lost can be rendered again from it.
 */
export const RETURNED_MAIL = 'returned mail';
export const MAX_BATCH = 5000;
export type Paper = 'a4' | 'letter';

interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

export interface LetterBatch {
  batchId: string;
  letters: number;
  pages: number;
  pdf: Buffer;
  manifest: string;
}

interface SealedLetter {
  to?: string;
  address?: string[];
  text?: string;
  verificationCode?: string;
}

interface Letter {
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

interface Campaign {
  id: string;
  incident_id: string;
  name: string;
  status: string;
  default_locale: string;
  settings: Record<string, unknown>;
}

async function campaignFor(tx: Executor, campaignId: string): Promise<Campaign> {
  const campaign = await tx
    .selectFrom('campaigns')
    .select(['id', 'incident_id', 'name', 'status', 'default_locale', 'settings'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign) throw notFound('A campaign with this id');
  return campaign;
}

/** Takes the oldest letters not yet printed (up to `limit`), renders them and marks them printed. */
export async function renderLetterBatch(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  campaignId: string,
  options: { limit?: number | undefined; paper?: Paper | undefined },
  meta: Meta,
): Promise<LetterBatch> {
  const limit = Math.min(Math.max(1, options.limit ?? MAX_BATCH), MAX_BATCH);
  return deps.db.transaction().execute(async (tx) => {
    const campaign = await campaignFor(tx, campaignId);
    if (campaign.status === 'cancelled') {
      throw new AppError(
        'conflict',
        'The campaign was cancelled: its letters are not printed. Start a new campaign to send letters.',
      );
    }
    const rows = await takeUnprintedLetters(tx, campaignId, limit);
    if (rows.length === 0) {
      throw new AppError(
        'conflict',
        'No letters are waiting to be printed: every letter rendered so far is in an earlier batch. Letters appear here as the campaign runs.',
      );
    }
    const batch = await composeBatch(tx, deps.crypto, campaign, rows, options.paper ?? 'a4');
    // Last, so the audit log's append lock is held only until the commit, not while rendering.
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.letters_printed',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { letters: batch.letters, pages: batch.pages, batchId: batch.batchId },
    });
    return batch;
  });
}

/** Renders an earlier batch again (same letters, same order), for a file lost on the way to the vendor. */
export async function reprintLetterBatch(
  deps: Pick<PlatformContext, 'db' | 'crypto'>,
  campaignId: string,
  batchId: string,
  options: { paper?: Paper | undefined },
  meta: Meta,
): Promise<LetterBatch> {
  return deps.db.transaction().execute(async (tx) => {
    const campaign = await campaignFor(tx, campaignId);
    const rows = await lettersOfBatch(tx, campaignId, batchId);
    if (rows.length === 0) throw notFound('A print batch with this id in this campaign');
    const batch = await composeBatch(tx, deps.crypto, campaign, rows, options.paper ?? 'a4');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.letters_reprinted',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { letters: batch.letters, pages: batch.pages, batchId },
    });
    return batch;
  });
}

async function composeBatch(
  tx: Executor,
  crypto: PlatformContext['crypto'],
  campaign: Campaign,
  rows: OutboxLetter[],
  paper: Paper,
): Promise<LetterBatch> {
  const pns = rows.map((r) => r.pn);
  const contacts = await contactsFor(tx, crypto, campaign.incident_id, pns);
  const deliveries = await letterDeliveries(tx, campaign.incident_id, campaign.id, pns);
  const variants = await tx
    .selectFrom('campaign_variants')
    .select(['id', 'content'])
    .where('campaign_id', '=', campaign.id)
    .execute();
  const localesOf = new Map(variants.map((v) => [v.id, Object.keys(v.content)]));
  const deliveryOf = new Map(deliveries.map((d) => [d.pn, d]));
  // The language the engine wrote the letter in (delivery.ts), for the date above it.
  const languageOf = (pn: number) => {
    const d = deliveryOf.get(pn);
    const available = (d?.variant_id && localesOf.get(d.variant_id)) || [];
    return resolveLocale(d?.locale ?? contacts.get(pn)?.locale ?? null, available, campaign.default_locale);
  };
  const letters: Letter[] = await Promise.all(
    rows.map(async (row) => {
      const sealed = JSON.parse(await crypto.decrypt(row.sealed, OUTBOX_CONTEXT)) as SealedLetter;
      const contact = contacts.get(row.pn);
      const address = sealed.address ?? [];
      const postal = structuredAddress(contact, address);
      return {
        messageId: row.message_id,
        verificationCode: sealed.verificationCode ?? '',
        locale: languageOf(row.pn),
        to: sealed.to ?? '',
        address,
        text: sealed.text ?? '',
        postal,
        name: postal && contact ? fullName(contact) : (sealed.to ?? ''),
      };
    }),
  );
  const settings = settingsOf(campaign);
  const sender = { company: await printedCompanyNameOf(tx, settings), postal: settings.contact.postal ?? '' };
  const batchId = rows[0]!.batch_id;
  // Dated the day of the batch in the company's time zone (a reprint is the same letter), each letter in
  // its reader's language.
  const { timezone } = await readCompanyProfile(tx);
  const { pdf, pages } = await renderLettersPdf(letters, sender, paper, {
    title: `Letters: ${campaign.name}`,
    date: new Date(batchId),
    timeZone: timezone,
  });
  return {
    batchId,
    letters: letters.length,
    pages: pages.reduce((a, b) => a + b, 0),
    pdf,
    manifest: manifestCsv(letters, pages),
  };
}

const fullName = (c: Pick<PersonContact, 'firstName' | 'lastName'>) =>
  [c.firstName, c.lastName].filter(Boolean).join(' ');

/**
 * The person's structured address, if it still builds the block the engine printed (the same lines as
 * delivery.ts renders). When the record changed since the letter was rendered the letter is printed as
 * rendered, and the manifest carries the printed lines instead: it never contradicts the envelope.
 */
function structuredAddress(contact: PersonContact | undefined, printed: string[]): PersonContact['postal'] {
  const p = contact?.postal;
  if (!contact || !p) return null;
  const block = [
    fullName(contact),
    p.line1,
    p.line2,
    [p.postalCode, p.city, p.region].filter(Boolean).join(' '),
    p.country,
  ].filter(Boolean);
  return JSON.stringify(block) === JSON.stringify(printed) ? p : null;
}

export const MANIFEST_COLUMNS = [
  'sequence',
  'message_id',
  'verification_code',
  'pages',
  'name',
  'address_line1',
  'address_line2',
  'city',
  'region',
  'postal_code',
  'country',
] as const;

function manifestCsv(letters: Letter[], pages: number[]): string {
  const lines = [MANIFEST_COLUMNS.join(',')];
  letters.forEach((l, i) => {
    const printedLines = l.address[0] === l.to ? l.address.slice(1) : l.address;
    const p = l.postal;
    const cells = [
      i + 1,
      l.messageId,
      l.verificationCode,
      pages[i]!,
      l.name,
      p ? p.line1 : (printedLines[0] ?? ''),
      p ? p.line2 : printedLines.slice(1).join(', '),
      p?.city,
      p?.region,
      p?.postalCode,
      p?.country,
    ];
    lines.push(cells.map(csvCell).join(','));
  });
  return `${lines.join('\r\n')}\r\n`;
}

/**
 * One CSV cell (RFC 4180). A text cell starting with = + - @ (or a tab or carriage return) gets a leading
 * apostrophe, so a spreadsheet at the print shop shows it instead of running it as a formula.
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = String(value);
  if (typeof value === 'string' && /^\s*[=+\-@]|^[\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replaceAll('"', '""')}"` : s;
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
function renderLettersPdf(
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

export interface ReturnedEntry {
  line: number;
  messageId: string | null;
  code: string | null;
}

/** CSV records with the physical line each starts on; quoted fields may hold delimiters and newlines. */
function csvRecords(text: string): Array<{ line: number; fields: string[] }> {
  const src = text.replace(/^\uFEFF/, '');
  const firstLine = src.split(/\r?\n/, 1)[0] ?? '';
  const delimiter = [',', ';', '\t'].reduce((best, d) =>
    firstLine.split(d).length > firstLine.split(best).length ? d : best,
  );
  const records: Array<{ line: number; fields: string[] }> = [];
  let fields: string[] = [];
  let field = '';
  let quoted = false;
  let line = 1;
  let start = 1;
  for (let i = 0; i < src.length; i++) {
    const c = src[i]!;
    if (quoted) {
      if (c === '"' && src[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else {
        if (c === '\n') line++;
        field += c;
      }
    } else if (c === '"' && field.trim() === '') {
      quoted = true;
      field = '';
    } else if (c === delimiter) {
      fields.push(field);
      field = '';
    } else if (c === '\n' || c === '\r') {
      if (c === '\r' && src[i + 1] === '\n') i++;
      records.push({ line: start, fields: [...fields, field] });
      fields = [];
      field = '';
      start = ++line;
    } else field += c;
  }
  if (quoted) {
    throw new AppError(
      'validation_failed',
      `Line ${start} opens a quote that never closes, so the lines after it cannot be read. Fix the file and import it again; nothing was imported.`,
    );
  }
  records.push({ line: start, fields: [...fields, field] });
  return records.filter((r) => r.fields.some((f) => f.trim() !== ''));
}

/**
 * The vendor's returned-mail list: a CSV with a `message_id` and/or `verification_code` column, or one
 * value per line (a value with "@" is a message id, anything else a verification code). Codes are
 * compared without dashes or spaces and in upper case; message ids with or without their angle brackets.
 */
export function parseReturnedMail(csv: string): ReturnedEntry[] {
  const records = csvRecords(csv);
  if (records.length === 0) return [];
  const header = records[0]!.fields.map((f) => f.toLowerCase().replace(/[^a-z]/g, ''));
  const idColumn = header.indexOf('messageid');
  const codeColumn = header.indexOf('verificationcode');
  const hasHeader = idColumn >= 0 || codeColumn >= 0;
  return (hasHeader ? records.slice(1) : records).map(({ line, fields }) => {
    let id = hasHeader ? (fields[idColumn]?.trim() ?? '') : '';
    let code = hasHeader ? (fields[codeColumn]?.trim() ?? '') : '';
    if (!hasHeader) {
      const value = fields[0]?.trim() ?? '';
      if (value.includes('@')) id = value;
      else code = value;
    }
    if (id && !id.startsWith('<')) id = `<${id}>`;
    code = code.replace(/[\s-]/g, '').toUpperCase();
    return { line, messageId: id || null, code: code || null };
  });
}

/**
 * Marks the letters the vendor reports as returned as bounced, through the engine's fail-over: a letter is
 * usually the last channel, but when a campaign lists another after it, the person moves on to that one
 * (as for any other hard bounce). Only printed, sent letters bounce; the update is guarded on that state.
 * Lines naming no printed letter of this campaign are reported by number, never by content. Duplicate
 * lines count once.
 */
export async function importReturnedMail(
  deps: { db: Db; engine: () => CampaignLane },
  campaignId: string,
  csv: string,
  meta: Meta,
): Promise<{ matched: number; alreadyBounced: number; unknown: number[] }> {
  const entries = parseReturnedMail(csv);
  if (entries.length === 0) {
    throw new AppError(
      'validation_failed',
      'No returned letters found: send a CSV with a "message_id" or "verification_code" column, or one value per line.',
    );
  }
  return deps.db.transaction().execute(async (tx) => {
    const campaign = await tx
      .selectFrom('campaigns')
      .select(['id', 'incident_id', 'channels'])
      .where('id', '=', campaignId)
      .executeTakeFirst();
    if (!campaign) throw notFound('A campaign with this id');
    const ids = entries.flatMap((e) => (e.messageId ? [e.messageId] : []));
    const codes = entries.flatMap((e) => (e.code ? [e.code] : []));
    // Locked, so the state read here is the one the guarded update sees.
    const found = await lockLettersNamed(tx, campaign.incident_id, campaignId, { messageIds: ids, codes });
    // Only a printed letter can come back; anything else in the list is a mistake to show, not apply.
    const isPrinted = await printedLetterIds(
      tx,
      campaignId,
      found.map((d) => d.message_id),
    );
    const returnable = found.filter((d) => isPrinted.has(d.message_id));
    const byId = new Map(returnable.map((d) => [d.message_id, d]));
    const byCode = new Map(returnable.map((d) => [d.verification_code, d]));
    const seen = new Set<number>();
    const unknown: number[] = [];
    let matched = 0;
    let alreadyBounced = 0;
    for (const entry of entries) {
      const delivery =
        (entry.messageId && byId.get(entry.messageId)) || (entry.code && byCode.get(entry.code)) || null;
      if (!delivery || !['sent', 'delivered', 'bounced', 'fell_back'].includes(delivery.state)) {
        unknown.push(entry.line);
        continue;
      }
      if (seen.has(delivery.pn)) continue;
      seen.add(delivery.pn);
      if (delivery.state === 'bounced' || delivery.state === 'fell_back') {
        alreadyBounced++;
        continue;
      }
      await deps.engine().failOver(tx, campaign, delivery, RETURNED_MAIL, 'bounced', 'report');
      matched++;
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.returned_mail_imported',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { lines: entries.length, matched, alreadyBounced, unknown: unknown.length },
    });
    return { matched, alreadyBounced, unknown };
  });
}

/** Letters waiting for print, printed, returned by the post; the recent batches, for a reprint. */
export async function letterSummary(db: Executor, campaignId: string) {
  const campaign = await db
    .selectFrom('campaigns')
    .select(['id', 'incident_id'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!campaign) throw notFound('A campaign with this id');
  const [printing, returned] = await Promise.all([
    letterPrintSummary(db, campaignId),
    lettersEndedFor(db, campaign.incident_id, campaignId, RETURNED_MAIL),
  ]);
  return {
    pending: printing.pending,
    printed: printing.printed,
    returned,
    batches: printing.batches,
  };
}
