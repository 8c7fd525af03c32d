import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCampaignsModule } from '../../src/server/modules/campaigns/index.ts';
import {
  importReturnedMail,
  type LetterBatch,
  letterSummary,
  renderLetterBatch,
  reprintLetterBatch,
} from '../../src/server/modules/campaigns/letters.service.ts';
import {
  csvCell,
  MANIFEST_COLUMNS,
  parseReturnedMail,
} from '../../src/server/modules/campaigns/letters-csv.ts';
import { toWinAnsi } from '../../src/server/modules/campaigns/letters-pdf.ts';
import { COMPANY_PROFILE_KEY, defaultCompanyProfile } from '../../src/server/modules/incidents/index.ts';
import type { Mapping } from '../../src/server/modules/people/index.ts';
import type { Actor } from '../../src/server/platform/audit/audit-log.ts';
import { AppError } from '../../src/server/platform/errors.ts';
import { writeSetting } from '../../src/server/platform/settings/settings.ts';
import type { CampaignDto, CampaignInput } from '../../src/shared/contracts/campaigns.ts';
import { auditRows, type Client, clientFor, createIncident, ok, problem } from '../incidents/helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';
import { pdfPages } from '../support/pdf-text.ts';

/**
 * Letters end to end on real PostgreSQL: a letter-only campaign is approved, started and run by the
 * delivery engine into the outbox; print batches take the oldest unprinted letters (PDF + vendor manifest
 * from the same batch), and the vendor's returned-mail list bounces the right deliveries, once.
 */
const mapping: Mapping = {
  customer_id: 'customer_id',
  email: 'email',
  first_name: 'first_name',
  last_name: 'last_name',
  address: 'address_line1',
  address2: 'address_line2',
  city: 'city',
  zip: 'postal_code',
  country: 'country',
  state: 'region',
  locale: 'locale',
};
const header = 'customer_id,email,first_name,last_name,address,address2,city,zip,country,state,locale';
/** Four people reachable by post (one Spanish, one whose name is a spreadsheet formula), one not. */
const people = csv(
  header,
  'C1,,José,Núñez,"Calle Mayor 1, 2º",,Madrid,28013,ES,,es',
  'C2,,"=HYPERLINK(""http://evil.example"",""x"")",Doe,10 High Street,@home,London,SW1A 2AA,GB,,en',
  'C3,,Zoë,Łukasz-Wiśniewska,北京路 1号,,Beijing,100000,CN,,en',
  'C4,,Bob,Brook,1 Main Street,,Springfield,62701,US,IL,en',
  'C5,ann@example.com,Ann,Avery,,,,,US,CA,en',
);

// Long enough that every letter runs onto a second page.
const filler = Array.from(
  { length: 45 },
  (_, i) => `Paragraph ${i + 1}: we explain what happened, what it means for you and what we are doing.`,
).join('\n');
const letterText = (greeting: string) =>
  `${greeting} {{ person.first_name | default: "customer" }},\n\n${filler}\n\n“Quotes” — dashes, €5, arrows → and 北京.\nVerification code {{ verification_code }}.\n`;

const letterCampaign = (channels: CampaignInput['channels'] = ['letter']): CampaignInput => ({
  name: 'Letters',
  channels,
  defaultLocale: 'en',
  companyName: 'Example Shop',
  contact: { postal: 'Example Shop, Privacy Office, 1 Main Street, Springfield, IL 62701, USA' },
  activationCodesFor: [],
  throttle: {},
  errorThreshold: 0.25,
  variants: [
    {
      name: 'general',
      default: true,
      content: {
        en: {
          letter: { text: letterText('Dear') },
          email: { subject: 'Notice', html: '<p>Notice {{ link }}</p>', text: 'Notice {{ link }}' },
        },
        es: {
          letter: { text: letterText('Estimado/a') },
          email: { subject: 'Aviso', html: '<p>Aviso {{ link }}</p>', text: 'Aviso {{ link }}' },
        },
      },
    },
  ],
});

let t: TestApp;
let commsUser: SignedInUser;
let comms: Client;
let legal: Client;
let admin: Client;
let campaigns: ReturnType<typeof createCampaignsModule>;
let printer: Actor;

beforeAll(async () => {
  t = await createTestApp();
  commsUser = await createSignedInUser(t, 'comms');
  comms = clientFor(t, commsUser);
  legal = clientFor(t, await createSignedInUser(t, 'legal'));
  const adminUser = await createSignedInUser(t, 'admin');
  admin = clientFor(t, adminUser);
  printer = { type: 'user', id: adminUser.id, label: 'admin' };
  campaigns = createCampaignsModule(t.ctx);
});
afterAll(async () => {
  await campaigns.close();
  await t.close();
});

/** Creates the incident and campaign, has legal approve it, starts it and runs the engine to the end. */
async function sentCampaign(
  peopleCsv: string,
  input: CampaignInput,
  options: { finish?: boolean } = {},
): Promise<CampaignDto> {
  const incident = await createIncident(admin, { title: 'Postal breach' });
  await importPeople(t, incident.id, peopleCsv, mapping);
  let campaign = ok<CampaignDto>(await comms.post(`/api/incidents/${incident.id}/campaigns`, input));
  for (const v of campaign.variants) {
    campaign = ok<CampaignDto>(
      await legal.post(`/api/campaigns/${campaign.id}/variants/${v.id}/approve`, { version: v.version }),
    );
  }
  ok(await comms.post(`/api/campaigns/${campaign.id}/start`, {}));
  const engine = campaigns.engine();
  for (let pass = 0; pass < 10; pass++) {
    await engine.runOnce();
    campaign = ok<CampaignDto>(await comms.get(`/api/campaigns/${campaign.id}`));
    if (options.finish === false || campaign.status === 'finished') break;
  }
  if (options.finish !== false) expect(campaign.status).toBe('finished');
  return campaign;
}

async function letterDeliveries(campaignId: string) {
  return t.ctx.db
    .selectFrom('deliveries as d')
    .innerJoin('outbox_messages as o', 'o.message_id', 'd.message_id')
    .select(['d.pn', 'd.state', 'd.error', 'd.message_id', 'd.verification_code', 'o.id', 'o.printed_at'])
    .where('d.campaign_id', '=', campaignId)
    .where('d.channel', '=', 'letter')
    .orderBy('o.id')
    .execute();
}

/** RFC 4180 rows, for reading a manifest back. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ',') {
      row.push(field);
      field = '';
    } else if (c === '\r' && text[i + 1] === '\n') {
      rows.push([...row, field]);
      row = [];
      field = '';
      i++;
    } else field += c;
  }
  return rows;
}

/** Each letter's pages joined, using the page counts of the manifest. */
function lettersOf(batch: LetterBatch): string[] {
  const pages = pdfPages(batch.pdf);
  let at = 0;
  return parseCsv(batch.manifest)
    .slice(1)
    .map((row) => {
      const n = Number(row[3]);
      at += n;
      return pages.slice(at - n, at).join('\n');
    });
}

const pageCount = (pdf: Buffer) => pdf.toString('latin1').match(/\/Type \/Page\n/g)?.length ?? 0;
const grouped = (code: string) => code.match(/.{4}/g)!.join('-');

async function refusal(promise: Promise<unknown>): Promise<AppError> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(AppError);
  return error as AppError;
}

describe('print batches of a letter-only campaign', () => {
  let campaign: CampaignDto;
  let first: LetterBatch;
  let second: LetterBatch;

  beforeAll(async () => {
    campaign = await sentCampaign(people, letterCampaign());
  });

  it('starts with one rendered letter per person with a postal address, none printed', async () => {
    const letters = await letterDeliveries(campaign.id);
    expect(letters).toHaveLength(4);
    expect(letters.every((l) => l.state === 'sent' && l.printed_at === null)).toBe(true);
    expect(await letterSummary(t.ctx.db, campaign.id)).toEqual({
      pending: 4,
      printed: 0,
      returned: 0,
      batches: [],
    });
  });

  it('takes the oldest letters first, up to the limit, and marks exactly those printed', async () => {
    const before = await letterDeliveries(campaign.id);
    first = await renderLetterBatch(t.ctx, campaign.id, { limit: 2, paper: 'a4' }, { actor: printer });
    expect(first.letters).toBe(2);
    const rows = parseCsv(first.manifest);
    expect(rows[0]).toEqual([...MANIFEST_COLUMNS]);
    expect(rows.slice(1).map((r) => r[1])).toEqual(before.slice(0, 2).map((l) => l.message_id));
    expect(rows.slice(1).map((r) => r[2])).toEqual(before.slice(0, 2).map((l) => l.verification_code));
    expect(rows.slice(1).map((r) => r[0])).toEqual(['1', '2']);
    const after = await letterDeliveries(campaign.id);
    expect(after.map((l) => l.printed_at !== null)).toEqual([true, true, false, false]);
    // Every row of a batch carries the same printed_at: the batch id.
    expect(new Date(after[0]!.printed_at!).getTime()).toBe(new Date(after[1]!.printed_at!).getTime());
  });

  it('a second print takes only the letters not printed yet; a third has nothing and says so (409)', async () => {
    second = await renderLetterBatch(t.ctx, campaign.id, { paper: 'letter' }, { actor: printer });
    expect(second.letters).toBe(2);
    const codes = [first, second].flatMap((b) =>
      parseCsv(b.manifest)
        .slice(1)
        .map((r) => r[2]),
    );
    const all = await letterDeliveries(campaign.id);
    expect(codes).toEqual(all.map((l) => l.verification_code));
    expect(new Set(codes).size).toBe(4);
    expect(all.every((l) => l.printed_at !== null)).toBe(true);

    const nothing = await refusal(renderLetterBatch(t.ctx, campaign.id, {}, { actor: printer }));
    expect(nothing.code).toBe('conflict');
    expect(nothing.message).toMatch(/No letters are waiting to be printed/);
    expect(await letterSummary(t.ctx.db, campaign.id)).toMatchObject({ pending: 0, printed: 4, returned: 0 });
  });

  it('renders a PDF with one page set per letter, each page footed with its code and "page n of m"', () => {
    for (const batch of [first, second]) {
      expect(batch.pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
      const manifest = parseCsv(batch.manifest).slice(1);
      const perLetter = manifest.map((r) => Number(r[3]));
      expect(perLetter.every((n) => n >= 2)).toBe(true);
      expect(pageCount(batch.pdf)).toBe(batch.pages);
      expect(batch.pages).toBe(perLetter.reduce((a, b) => a + b, 0));
      const pages = pdfPages(batch.pdf);
      expect(pages).toHaveLength(batch.pages);
      let at = 0;
      manifest.forEach((row, i) => {
        for (let n = 1; n <= perLetter[i]!; n++) {
          expect(pages[at]).toContain(
            `Verification code: ${grouped(row[2]!)} · page ${n} of ${perLetter[i]}`,
          );
          at++;
        }
      });
    }
  });

  it('prints the sender, the recipient block, the date in the letter’s language, and WinAnsi-safe text', () => {
    const letters = [first, second].flatMap(lettersOf);
    expect(letters).toHaveLength(4);
    for (const letter of letters) {
      expect(
        letter.startsWith('Example Shop\nPrivacy Office, 1 Main Street, Springfield, IL 62701, USA\n'),
      ).toBe(true);
      // The return line in the envelope window, above the recipient.
      expect(letter).toContain('Example Shop, Privacy Office, 1 Main Street');
      expect(letter).toContain('“Quotes” — dashes, €5, arrows -> and ??.');
    }
    const jose = letters.find((p) => p.includes('José Núñez'))!;
    expect(jose).toContain('Calle Mayor 1, 2º');
    expect(jose).toContain('28013 Madrid');
    expect(jose).toMatch(/\d{1,2} de [a-z]+ de \d{4}/);
    expect(jose).toContain('Estimado/a José,');
    // Letters WinAnsi lacks lose their accent rather than the letter; other scripts become "?".
    const zoe = letters.find((p) => p.includes('Zoë Lukasz-Wisniewska'))!;
    expect(zoe).toContain('??? 1?');
    const bob = letters.find((p) => p.includes('Bob Brook'))!;
    expect(bob).toMatch(/[A-Z][a-z]+ \d{1,2}, \d{4}/);
  });

  // Pins: a name or address written as a spreadsheet formula running in the print shop's Excel (CSV
  // injection), and a comma or quote in an address shifting the vendor's columns.
  it('escapes the manifest and neutralizes formula cells', () => {
    const rows = [first, second].flatMap((b) => parseCsv(b.manifest).slice(1));
    expect(rows.every((r) => r.length === MANIFEST_COLUMNS.length)).toBe(true);
    const byName = new Map(rows.map((r) => [r[4], r]));
    const formula = byName.get(`'=HYPERLINK("http://evil.example","x") Doe`)!;
    expect(formula).toBeDefined();
    expect(formula.slice(5)).toEqual(['10 High Street', "'@home", 'London', '', 'SW1A 2AA', 'GB']);
    const raw = [first, second].map((b) => b.manifest).join('');
    expect(raw).toContain(`"'=HYPERLINK(""http://evil.example"",""x"") Doe"`);
    expect(byName.get('José Núñez')!.slice(5)).toEqual([
      'Calle Mayor 1, 2º',
      '',
      'Madrid',
      '',
      '28013',
      'ES',
    ]);
    expect(raw).toContain('"Calle Mayor 1, 2º"');
    expect(byName.get('Bob Brook')!.slice(5)).toEqual([
      '1 Main Street',
      '',
      'Springfield',
      'IL',
      '62701',
      'US',
    ]);
    // The manifest keeps the real spelling; only the PDF is limited to WinAnsi.
    expect(byName.get('Zoë Łukasz-Wiśniewska')!.slice(5, 6)).toEqual(['北京路 1号']);
  });

  it('audits each batch by counts and batch id, never by content', async () => {
    const rows = await auditRows(t, 'campaign.letters_printed', campaign.id);
    expect(rows.map((r) => r.details)).toEqual([
      { letters: 2, pages: first.pages, batchId: first.batchId },
      { letters: 2, pages: second.pages, batchId: second.batchId },
    ]);
    expect(rows.every((r) => r.actor_id === printer.id)).toBe(true);
  });

  it('renders a lost batch again, identical and audited, and lists batches in the summary', async () => {
    const summary = await letterSummary(t.ctx.db, campaign.id);
    expect(summary.batches).toEqual([
      { batchId: second.batchId, letters: 2 },
      { batchId: first.batchId, letters: 2 },
    ]);
    const again = await reprintLetterBatch(
      t.ctx,
      campaign.id,
      first.batchId,
      { paper: 'a4' },
      { actor: printer },
    );
    expect(again.manifest).toBe(first.manifest);
    expect(pdfPages(again.pdf)).toEqual(pdfPages(first.pdf));
    expect(await auditRows(t, 'campaign.letters_reprinted', campaign.id)).toHaveLength(1);
    const missing = await refusal(
      reprintLetterBatch(t.ctx, campaign.id, '2001-01-01T00:00:00.000000Z', {}, { actor: printer }),
    );
    expect(missing.code).toBe('not_found');
  });

  it('dates letters in the company’s time zone, in each reader’s language', async () => {
    // UTC+14 and UTC−11 are 25 hours apart: the same batch falls on two different calendar days.
    const dated = async (timezone: string) => {
      await writeSetting(
        t.ctx.db,
        COMPANY_PROFILE_KEY,
        { ...defaultCompanyProfile, timezone },
        'letters-test',
      );
      const batch = await reprintLetterBatch(t.ctx, campaign.id, first.batchId, {}, { actor: printer });
      return lettersOf(batch);
    };
    const day = (zone: string, locale: string) =>
      new Intl.DateTimeFormat(locale, { dateStyle: 'long', timeZone: zone }).format(new Date(first.batchId));
    try {
      for (const zone of ['Pacific/Kiritimati', 'Pacific/Pago_Pago']) {
        const letters = await dated(zone);
        const english = letters.filter((l) => !l.includes('Estimado/a'));
        const spanish = letters.filter((l) => l.includes('Estimado/a'));
        expect(english.length + spanish.length).toBe(2);
        for (const letter of english) expect(letter).toContain(day(zone, 'en-US'));
        for (const letter of spanish) expect(letter).toContain(day(zone, 'es'));
        // No raw timestamp anywhere on the page.
        for (const letter of letters) expect(letter).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
      }
      expect(day('Pacific/Kiritimati', 'en-US')).not.toBe(day('Pacific/Pago_Pago', 'en-US'));
    } finally {
      await writeSetting(t.ctx.db, COMPANY_PROFILE_KEY, defaultCompanyProfile, 'letters-test');
    }
  });

  describe('returned mail', () => {
    const engine = () => campaigns.engine();

    it('bounces the letters listed by message id, reports unknown lines by number, counts duplicates once', async () => {
      const letters = await letterDeliveries(campaign.id);
      const file = csv(
        'message_id,reason',
        `${letters[0]!.message_id},moved away`,
        '<nobody.1.letter@elsewhere.example>,unknown',
        '',
        `${letters[1]!.message_id.slice(1, -1)},"no such street, returned"`,
        `${letters[0]!.message_id},again`,
      );
      const result = await importReturnedMail({ db: t.ctx.db, engine }, campaign.id, file, {
        actor: printer,
      });
      expect(result).toEqual({ matched: 2, alreadyBounced: 0, unknown: [3] });
      const after = await letterDeliveries(campaign.id);
      expect(after.map((l) => [l.state, l.error])).toEqual([
        ['bounced', 'returned mail'],
        ['bounced', 'returned mail'],
        ['sent', null],
        ['sent', null],
      ]);
    });

    it('is idempotent: the same list again bounces nothing more', async () => {
      const letters = await letterDeliveries(campaign.id);
      const file = csv('message_id', letters[0]!.message_id, letters[1]!.message_id);
      const result = await importReturnedMail({ db: t.ctx.db, engine }, campaign.id, file, {
        actor: printer,
      });
      expect(result).toEqual({ matched: 0, alreadyBounced: 2, unknown: [] });
    });

    it('takes one verification code per line, as printed (dashes) or not', async () => {
      const letters = await letterDeliveries(campaign.id);
      const file = csv(
        grouped(letters[2]!.verification_code).toLowerCase(),
        'not-a-code',
        letters[0]!.verification_code,
      );
      const result = await importReturnedMail({ db: t.ctx.db, engine }, campaign.id, file, {
        actor: printer,
      });
      expect(result).toEqual({ matched: 1, alreadyBounced: 1, unknown: [2] });
      expect((await letterDeliveries(campaign.id)).map((l) => l.state)).toEqual([
        'bounced',
        'bounced',
        'bounced',
        'sent',
      ]);
      expect(await letterSummary(t.ctx.db, campaign.id)).toMatchObject({ printed: 4, returned: 3 });
    });

    it('refuses an empty list and an unclosed quote, changing nothing', async () => {
      const empty = await refusal(
        importReturnedMail({ db: t.ctx.db, engine }, campaign.id, '\n\n', { actor: printer }),
      );
      expect(empty.code).toBe('validation_failed');
      const letters = await letterDeliveries(campaign.id);
      const broken = await refusal(
        importReturnedMail(
          { db: t.ctx.db, engine },
          campaign.id,
          csv('message_id,reason', `${letters[3]!.message_id},"never closed`, 'x,y'),
          { actor: printer },
        ),
      );
      expect(broken.code).toBe('validation_failed');
      expect(broken.message).toMatch(/Line 2 opens a quote/);
      expect((await letterDeliveries(campaign.id))[3]!.state).toBe('sent');
    });

    it('is audited by counts, without the ids it was given', async () => {
      const rows = await auditRows(t, 'campaign.returned_mail_imported', campaign.id);
      expect(rows.map((r) => r.details)).toEqual([
        { lines: 4, matched: 2, alreadyBounced: 0, unknown: 1 },
        { lines: 2, matched: 0, alreadyBounced: 2, unknown: 0 },
        { lines: 3, matched: 1, alreadyBounced: 1, unknown: 1 },
      ]);
    });
  });
});

describe('a returned letter when the campaign has a channel after letters', () => {
  it('moves the person to that channel and reopens the finished campaign', async () => {
    const campaign = await sentCampaign(
      csv(header, 'D1,dee@example.com,Dee,Dale,2 Main Street,,Springfield,62701,US,IL,en'),
      letterCampaign(['letter', 'email']),
    );
    const batch = await renderLetterBatch(t.ctx, campaign.id, {}, { actor: printer });
    const code = parseCsv(batch.manifest)[1]![2]!;
    const result = await importReturnedMail(
      { db: t.ctx.db, engine: () => campaigns.engine() },
      campaign.id,
      code,
      { actor: printer },
    );
    expect(result).toEqual({ matched: 1, alreadyBounced: 0, unknown: [] });
    const rows = await t.ctx.db
      .selectFrom('deliveries')
      .select(['channel', 'state', 'error'])
      .where('campaign_id', '=', campaign.id)
      .orderBy('step')
      .execute();
    expect(rows).toEqual([
      { channel: 'letter', state: 'fell_back', error: 'returned mail' },
      { channel: 'email', state: 'pending', error: null },
    ]);
    expect(ok<CampaignDto>(await comms.get(`/api/campaigns/${campaign.id}`)).status).toBe('running');
    expect(await letterSummary(t.ctx.db, campaign.id)).toMatchObject({ returned: 1 });
  });
});

describe('a cancelled campaign', () => {
  it('does not print the letters it rendered before the cancel, nor take them back as returned', async () => {
    const campaign = await sentCampaign(
      csv(header, 'E1,,Eve,Earl,3 Main Street,,Springfield,62701,US,IL,en'),
      letterCampaign(),
      { finish: false },
    );
    expect((await letterSummary(t.ctx.db, campaign.id)).pending).toBe(1);
    ok(await comms.post(`/api/campaigns/${campaign.id}/cancel`));
    const refused = await refusal(renderLetterBatch(t.ctx, campaign.id, {}, { actor: printer }));
    expect(refused.code).toBe('conflict');
    expect((await letterSummary(t.ctx.db, campaign.id)).pending).toBe(1);
    // Never printed, so it cannot have come back: the line is reported, the delivery left alone.
    const [letter] = await letterDeliveries(campaign.id);
    const result = await importReturnedMail(
      { db: t.ctx.db, engine: () => campaigns.engine() },
      campaign.id,
      letter!.verification_code,
      { actor: printer },
    );
    expect(result).toEqual({ matched: 0, alreadyBounced: 0, unknown: [1] });
    expect((await letterDeliveries(campaign.id))[0]!.state).toBe('sent');
  });
});

describe('the pieces', () => {
  it('keeps WinAnsi text, maps punctuation, strips accents WinAnsi lacks, and replaces the rest', () => {
    expect(toWinAnsi('Ñandú café über façade Œuvre €')).toBe('Ñandú café über façade Œuvre €');
    expect(toWinAnsi('a\u2009b \u2192 c\u200b\u2212d\r\ne\tf')).toBe('a b -> c-d\ne    f');
    expect(toWinAnsi('Łódź, Győr, Ştefan')).toBe('Lódz, Gyor, Stefan');
    expect(toWinAnsi('東京 😀')).toBe('?? ?');
    // Decomposed input (e + combining acute) is composed first, not stripped.
    expect(toWinAnsi('Jose\u0301')).toBe('José');
  });

  // Pins: CSV injection (OWASP): cells a spreadsheet would evaluate, including after leading spaces.
  it('escapes CSV cells and neutralizes formulas', () => {
    expect(csvCell('=1+1')).toBe("'=1+1");
    expect(csvCell('+33 1 23')).toBe("'+33 1 23");
    expect(csvCell('-2')).toBe("'-2");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('  =cmd')).toBe("'  =cmd");
    expect(csvCell('\tx')).toBe("'\tx");
    expect(csvCell('a,b')).toBe('"a,b"');
    expect(csvCell('say "hi"')).toBe('"say ""hi"""');
    expect(csvCell('two\nlines')).toBe('"two\nlines"');
    expect(csvCell('=a,"b"')).toBe(`"'=a,""b"""`);
    expect(csvCell(12)).toBe('12');
    expect(csvCell(null)).toBe('');
  });

  it('reads returned-mail lists with a header, quoted fields across lines, or one value per line', () => {
    expect(parseReturnedMail('Name;Verification Code\n"Doe;\nJane";abcd-ef01-2345\n\nX;\n')).toEqual([
      { line: 2, messageId: null, code: 'ABCDEF012345' },
      { line: 5, messageId: null, code: null },
    ]);
    expect(parseReturnedMail('\uFEFFc.1.letter@candor.test\r\n1A2B 3C4D 5E6F\r\n')).toEqual([
      { line: 1, messageId: '<c.1.letter@candor.test>', code: null },
      { line: 2, messageId: null, code: '1A2B3C4D5E6F' },
    ]);
  });
});

describe('over HTTP', () => {
  it('prints for a role that may read personal data, not for comms; summary and returns for comms', async () => {
    const campaign = await sentCampaign(
      csv(header, 'F1,,Fay,Ford,4 Main Street,,Springfield,62701,US,IL,en'),
      letterCampaign(),
    );
    problem(await comms.post(`/api/campaigns/${campaign.id}/letters/print`, {}), 403, 'forbidden');
    const summary = ok<{ pending: number }>(await comms.get(`/api/campaigns/${campaign.id}/letters/summary`));
    expect(summary.pending).toBe(1);
    const batch = ok<{ letters: number; pdf: string; manifest: string; batchId: string }>(
      await admin.post(`/api/campaigns/${campaign.id}/letters/print`, { paper: 'letter' }),
    );
    expect(batch.letters).toBe(1);
    expect(Buffer.from(batch.pdf, 'base64').subarray(0, 5).toString('latin1')).toBe('%PDF-');
    problem(await admin.post(`/api/campaigns/${campaign.id}/letters/print`, {}), 409, 'conflict');
    const again = ok<{ manifest: string }>(
      await admin.post(`/api/campaigns/${campaign.id}/letters/batches/${batch.batchId}/reprint`, {}),
    );
    expect(again.manifest).toBe(batch.manifest);
    const code = parseCsv(batch.manifest)[1]![2]!;
    expect(
      ok(await comms.post(`/api/campaigns/${campaign.id}/letters/returned`, { csv: `${code}\nnope\n` })),
    ).toEqual({ matched: 1, alreadyBounced: 0, unknown: [2] });
  });
});
