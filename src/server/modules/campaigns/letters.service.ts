import type { Db, Executor } from '../../db/database.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
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
import { contactsFor, type PersonContact } from '../people/index.ts';
import { settingsOf } from './campaign-definition.ts';
import type { Meta } from './campaigns.deps.ts';
import { type CampaignRow, findCampaignRow } from './campaigns.repository.ts';
import { printedCompanyNameOf } from './company-name.ts';
import { manifestCsv, parseReturnedMail } from './letters-csv.ts';
import { type Letter, type Paper, renderLettersPdf } from './letters-pdf.ts';
import { resolveLocale } from './templates/index.ts';
import { variantLocales } from './variants.repository.ts';

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
export type { Paper };

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

async function campaignFor(tx: Executor, campaignId: string): Promise<CampaignRow> {
  const campaign = await findCampaignRow(tx, campaignId);
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
  campaign: CampaignRow,
  rows: OutboxLetter[],
  paper: Paper,
): Promise<LetterBatch> {
  const pns = rows.map((r) => r.pn);
  const contacts = await contactsFor(tx, crypto, campaign.incident_id, pns);
  const deliveries = await letterDeliveries(tx, campaign.incident_id, campaign.id, pns);
  const localesOf = await variantLocales(tx, campaign.id);
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
    const campaign = await campaignFor(tx, campaignId);
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
  const campaign = await campaignFor(db, campaignId);
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
