import { isDeepStrictEqual } from 'node:util';
import { sql } from 'kysely';
import type { Exposure } from '../../../shared/consistency/check.ts';
import {
  type CampaignDto,
  type CampaignInput,
  type CampaignStatus,
  type Channel,
  type StateCounts,
  type VariantDto,
  type VariantInput,
  type VariantRule,
  variantLocaleContent,
} from '../../../shared/contracts/campaigns.ts';
import { type Category, categories, categoriesOf, categoryMask } from '../../../shared/taxonomy.ts';
import type { Executor } from '../../db/database.ts';
import { type Actor, recordAudit } from '../../platform/audit/audit-log.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { AppError, notFound } from '../../platform/errors.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import { readConsistencySettings } from '../../platform/settings/consistency.ts';
import { appendTimeline } from '../incidents/index.ts';
import {
  deliveryProgress,
  insertCampaignDeliveries,
  makeHeldDeliveriesDue,
  messageIdHost,
} from '../outbound/index.ts';
import { companyNameView } from './company-name.ts';
import { smsSegments, type TemplateKind, validateTemplate } from './templates/index.ts';
import { variantConsistency } from './variant-consistency.ts';
import { firstChannelCase, variantCase } from './variants.ts';

/**
 * Campaigns: their definition (channels in fallback order, variants with templates per locale), approval by
 * someone other than the author (an edit voids it), and the lifecycle draft → scheduled → running ⇄ paused →
 * finished (or cancelled). Starting creates every delivery row in one set-based statement.
 */
type Deps = Pick<PlatformContext, 'db' | 'config'>;
interface Meta {
  actor: Actor;
  requestId?: string | undefined;
}

export interface CampaignSettings {
  /** The campaign's own name for the company; empty: the company name setting (see company-name.ts). */
  companyName: string;
  contact: CampaignInput['contact'];
  throttle: CampaignInput['throttle'];
  errorThreshold: number;
}

const SMS_SEGMENT_LIMIT = 3;

/** Problems that stop a save: templates that do not compile, channels without content. */
function checkDefinition(input: CampaignInput): Array<{ path: string; message: string }> {
  const problems: Array<{ path: string; message: string }> = [];
  for (const variant of input.variants) {
    if (!variant.content[input.defaultLocale]) {
      problems.push({
        path: `variants.${variant.name}.content`,
        message: `Variant "${variant.name}" has no text in the default locale "${input.defaultLocale}".`,
      });
    }
    for (const [locale, content] of Object.entries(variant.content)) {
      for (const channel of input.channels) {
        const c = content[channel];
        if (!c) {
          problems.push({
            path: `variants.${variant.name}.content.${locale}.${channel}`,
            message: `Variant "${variant.name}" (${locale}) has no ${channel} message, but the campaign sends by ${channel}.`,
          });
          continue;
        }
        const parts: Array<[TemplateKind, string, string]> =
          channel === 'email'
            ? [
                ['subject', 'subject', (c as { subject: string }).subject],
                ['html', 'html', (c as { html: string }).html],
                ['text', 'text', (c as { text: string }).text],
              ]
            : [[channel === 'sms' ? 'sms' : 'letter', 'text', (c as { text: string }).text]];
        for (const [kind, field, source] of parts) {
          for (const p of validateTemplate(source, kind)) {
            problems.push({
              path: `variants.${variant.name}.content.${locale}.${channel}.${field}`,
              message: `Variant "${variant.name}" (${locale}) ${channel} ${field}${p.line ? `, line ${p.line}` : ''}: ${p.message}`,
            });
          }
        }
      }
    }
  }
  return problems;
}

function warningsFor(content: Record<string, unknown>): string[] {
  const warnings: string[] = [];
  for (const [locale, raw] of Object.entries(content)) {
    const parsed = variantLocaleContent.safeParse(raw);
    const sms = parsed.success ? parsed.data.sms?.text : undefined;
    if (!sms) continue;
    // Count the fixed text: Liquid markup never reaches a phone (each brace would count double).
    const count = smsSegments(sms.replace(/\{\{[\s\S]*?\}\}|\{%[\s\S]*?%\}/g, ''));
    if (count.segments > SMS_SEGMENT_LIMIT) {
      warnings.push(
        `The ${locale} SMS text is ${count.segments} segments (${count.encoding}, ${count.characters} characters) before personal values are added, over the limit of ${SMS_SEGMENT_LIMIT}: shorten it or expect higher cost and split messages.`,
      );
    }
  }
  return warnings;
}

export function settingsOf(row: { settings: Record<string, unknown> }): CampaignSettings {
  const s = row.settings as Partial<CampaignSettings>;
  return {
    companyName: s.companyName ?? '',
    contact: s.contact ?? {},
    throttle: s.throttle ?? {},
    errorThreshold: s.errorThreshold ?? 0.25,
  };
}

/** Contact fields left empty or null are the same as absent. */
const stripEmpty = (o: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== null && v !== undefined && v !== ''));

/** Deep equality: PostgreSQL's jsonb reorders keys, so comparing serialized JSON would see changes that are not. */
const sameJson = (a: unknown, b: unknown) => isDeepStrictEqual(a, b);

export async function createCampaign(
  deps: Deps,
  incidentId: string,
  input: CampaignInput,
  meta: Meta,
): Promise<CampaignDto> {
  const problems = checkDefinition(input);
  if (problems.length > 0)
    throw new AppError('validation_failed', problems[0]!.message, { fields: problems });
  const id = await deps.db.transaction().execute(async (tx) => {
    const incident = await tx
      .selectFrom('incidents')
      .select('id')
      .where('id', '=', incidentId)
      .executeTakeFirst();
    if (!incident) throw notFound('An incident with this id');
    const row = await tx
      .insertInto('campaigns')
      .values({
        incident_id: incidentId,
        name: input.name,
        channels: input.channels,
        email_from: input.emailFrom ?? null,
        reply_to: input.replyTo ?? null,
        default_locale: input.defaultLocale,
        settings: JSON.stringify({
          companyName: input.companyName ?? '',
          contact: input.contact,
          throttle: input.throttle,
          errorThreshold: input.errorThreshold,
        } satisfies CampaignSettings),
        activation_categories: categoryMask(input.activationCodesFor as Category[]),
        created_by_id: meta.actor.type === 'user' ? meta.actor.id : null,
        created_by: meta.actor.label,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    await writeVariants(tx, row.id, input.variants, meta);
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.created',
      requestId: meta.requestId,
      target: { type: 'campaign', id: row.id },
      details: { incidentId, variants: input.variants.length },
    });
    return row.id;
  });
  return getCampaign(deps.db, id);
}

async function writeVariants(tx: Executor, campaignId: string, variants: VariantInput[], meta: Meta) {
  const existing = await tx
    .selectFrom('campaign_variants')
    .selectAll()
    .where('campaign_id', '=', campaignId)
    .execute();
  const byName = new Map(existing.map((v) => [v.name, v]));
  const keep = new Set(variants.map((v) => v.name));
  const removed = existing.filter((v) => !keep.has(v.name));
  if (removed.length > 0) {
    await tx
      .deleteFrom('campaign_variants')
      .where(
        'id',
        'in',
        removed.map((v) => v.id),
      )
      .execute();
  }
  // Positions move through a negative range first so the unique (campaign, position) never collides.
  await tx
    .updateTable('campaign_variants')
    .set({ position: sql`-1 - position` })
    .where('campaign_id', '=', campaignId)
    .execute();
  const voided: string[] = [];
  for (const [position, v] of variants.entries()) {
    const rule = v.rule ?? {};
    const before = byName.get(v.name);
    if (!before) {
      await tx
        .insertInto('campaign_variants')
        .values({
          campaign_id: campaignId,
          name: v.name,
          position,
          is_default: v.default ?? false,
          rule: JSON.stringify(rule),
          content: JSON.stringify(v.content),
          author_id: meta.actor.type === 'user' ? meta.actor.id : null,
          author: meta.actor.label,
        })
        .execute();
      continue;
    }
    const changed =
      !sameJson(before.rule, rule) ||
      !sameJson(before.content, v.content) ||
      before.is_default !== (v.default ?? false);
    // Any edit makes the editor the author and voids the approval (DESIGN invariant 8).
    await tx
      .updateTable('campaign_variants')
      .set({
        position,
        ...(changed && {
          is_default: v.default ?? false,
          rule: JSON.stringify(rule),
          content: JSON.stringify(v.content),
          version: sql`version + 1`,
          author_id: meta.actor.type === 'user' ? meta.actor.id : null,
          author: meta.actor.label,
          approved_version: null,
          approved_by_id: null,
          approved_by: null,
          approved_at: null,
          updated_at: new Date(),
        }),
      })
      .where('id', '=', before.id)
      .execute();
    if (changed && before.approved_version !== null) voided.push(v.name);
  }
  return { voided };
}

export async function updateCampaign(
  deps: Deps,
  campaignId: string,
  input: CampaignInput,
  meta: Meta,
): Promise<CampaignDto> {
  const problems = checkDefinition(input);
  if (problems.length > 0)
    throw new AppError('validation_failed', problems[0]!.message, { fields: problems });
  await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('A campaign with this id');
    if (!['draft', 'scheduled', 'paused'].includes(row.status)) {
      throw new AppError('conflict', `The campaign is ${row.status}; pause it before editing.`);
    }
    // Once deliveries exist, each names its channel and variant: neither may disappear under them.
    if (row.started_at) {
      if (!sameJson(row.channels, input.channels)) {
        throw new AppError(
          'conflict',
          'The campaign has started: its channels cannot change. Cancel it and create a new campaign for other channels.',
        );
      }
      const kept = new Set(input.variants.map((v) => v.name));
      const dropped = await tx
        .selectFrom('campaign_variants')
        .select('name')
        .where('campaign_id', '=', campaignId)
        .execute();
      const missing = dropped.filter((v) => !kept.has(v.name)).map((v) => `"${v.name}"`);
      if (missing.length > 0) {
        throw new AppError(
          'conflict',
          `The campaign has started: variants cannot be removed or renamed (${missing.join(', ')}); edit their text instead.`,
        );
      }
    }
    // What every notice prints besides the variant's text: a change needs legal's eyes again on every variant.
    const before = settingsOf(row);
    const printedChanged =
      before.companyName !== (input.companyName ?? '') ||
      !sameJson(stripEmpty(before.contact), stripEmpty(input.contact)) ||
      (row.email_from ?? null) !== (input.emailFrom ?? null) ||
      (row.reply_to ?? null) !== (input.replyTo ?? null) ||
      row.default_locale !== input.defaultLocale ||
      !sameJson(row.channels, input.channels);
    await tx
      .updateTable('campaigns')
      .set({
        name: input.name,
        channels: input.channels,
        email_from: input.emailFrom ?? null,
        reply_to: input.replyTo ?? null,
        default_locale: input.defaultLocale,
        settings: JSON.stringify({
          companyName: input.companyName ?? '',
          contact: input.contact,
          throttle: input.throttle,
          errorThreshold: input.errorThreshold,
        } satisfies CampaignSettings),
        activation_categories: categoryMask(input.activationCodesFor as Category[]),
        // A scheduled campaign whose approvals an edit voided waits again for approval.
        status: row.status === 'scheduled' ? 'draft' : row.status,
        scheduled_at: row.status === 'scheduled' ? null : undefined,
        updated_at: new Date(),
      })
      .where('id', '=', campaignId)
      .execute();
    const { voided } = await writeVariants(tx, campaignId, input.variants, meta);
    if (printedChanged) {
      const cleared = await tx
        .updateTable('campaign_variants')
        .set({ approved_version: null, approved_by_id: null, approved_by: null, approved_at: null })
        .where('campaign_id', '=', campaignId)
        .where('approved_version', 'is not', null)
        .returning('name')
        .execute();
      for (const c of cleared) if (!voided.includes(c.name)) voided.push(c.name);
    }
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.updated',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { approvalsVoided: voided },
    });
  });
  return getCampaign(deps.db, campaignId);
}

/**
 * Approves one variant at the version the approver saw. The approver must hold `campaigns:approve` (checked
 * by the route) and must not be its author; a changed version means someone edited it since.
 */
export async function approveVariant(
  deps: Deps,
  campaignId: string,
  variantId: string,
  version: number,
  meta: Meta,
): Promise<CampaignDto> {
  await deps.db.transaction().execute(async (tx) => {
    const variant = await tx
      .selectFrom('campaign_variants')
      .select(['id', 'name', 'version', 'author_id', 'author', 'approved_version'])
      .where('id', '=', variantId)
      .where('campaign_id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!variant) throw notFound('A variant with this id in this campaign');
    const approverId = meta.actor.type === 'user' ? meta.actor.id : null;
    if (!approverId)
      throw new AppError(
        'forbidden',
        'Approvals are given by a person signed in, not by a token or the CLI.',
      );
    if (variant.author_id === approverId) {
      throw new AppError(
        'forbidden',
        'You wrote this variant: someone else with the legal role must approve it.',
      );
    }
    if (variant.version !== version) {
      throw new AppError(
        'conflict',
        `Variant "${variant.name}" changed since you read it (now version ${variant.version}); review it again.`,
      );
    }
    if (variant.approved_version === version)
      throw new AppError('conflict', 'This version is already approved.');
    // What the approver was shown (the console's approve dialog lists it): kept with the approval.
    const shown = (await getCampaign(tx, campaignId)).variants.find((v) => v.id === variantId);
    const updated = await tx
      .updateTable('campaign_variants')
      .set({
        approved_version: version,
        approved_by_id: approverId,
        approved_by: meta.actor.label,
        approved_at: new Date(),
      })
      .where('id', '=', variantId)
      .where('version', '=', version)
      .where('author_id', 'is distinct from', approverId)
      .executeTakeFirst();
    if (Number(updated.numUpdatedRows) !== 1)
      throw new AppError('conflict', 'The variant changed; review it again.');
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.variant_approved',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: {
        variantId,
        version,
        consistencyWarnings: (shown?.consistency ?? []).map((w) => `${w.locale}:${w.kind}:${w.category}`),
      },
    });
  });
  return getCampaign(deps.db, campaignId);
}

const emptyCounts = (): StateCounts => ({
  pending: 0,
  claimed: 0,
  sent: 0,
  delivered: 0,
  bounced: 0,
  failed: 0,
  suppressed: 0,
  fellBack: 0,
});

export function addCount(counts: StateCounts, state: string, n: number) {
  const key = (state === 'fell_back' ? 'fellBack' : state) as keyof StateCounts;
  counts[key] += n;
}

export async function getCampaign(db: Executor, campaignId: string): Promise<CampaignDto> {
  const row = await db.selectFrom('campaigns').selectAll().where('id', '=', campaignId).executeTakeFirst();
  if (!row) throw notFound('A campaign with this id');
  const variants = await db
    .selectFrom('campaign_variants as v')
    .leftJoin('users as a', 'a.id', 'v.author_id')
    .leftJoin('users as r', 'r.id', 'v.approved_by_id')
    .selectAll('v')
    .select(['a.email as author_email', 'r.email as approver_email'])
    .where('v.campaign_id', '=', campaignId)
    .orderBy('v.position')
    .execute();
  const selection = variants.map((v) => ({ id: v.id, isDefault: v.is_default, rule: v.rule as VariantRule }));
  // One pass over the people: each one's variant and first reachable channel, and who needs a code.
  const [cells, codes] = await Promise.all([
    db
      .selectFrom('people as p')
      .select([
        variantCase(selection).as('variant_id'),
        firstChannelCase(row.channels).as('channel'),
        (eb) => eb.fn.countAll<string>().as('n'),
        sql<string>`count(*) FILTER (WHERE (p.categories & ${row.activation_categories}) <> 0)`.as(
          'needing_code',
        ),
        // What each variant's people had exposed, for the consistency check legal sees before approving.
        ...categories.map((c, i) =>
          sql<string>`count(*) FILTER (WHERE (p.categories & ${1 << i}) <> 0)`.as(`c_${c}`),
        ),
      ])
      .where('p.incident_id', '=', row.incident_id)
      .groupBy([sql`1`, sql`2`])
      .execute(),
    db
      .selectFrom('activation_codes')
      .select([
        (eb) => eb.fn.countAll<string>().as('total'),
        (eb) => eb.fn.count<string>('assigned_pn').as('assigned'),
      ])
      .where('campaign_id', '=', campaignId)
      .executeTakeFirstOrThrow(),
  ]);
  const audienceOf = new Map<string | null, number>();
  const exposureOf = new Map<string | null, Exposure>();
  const byChannel: Record<string, number> = {};
  let unreachable = 0;
  let total = 0;
  let needed = 0;
  for (const c of cells) {
    const n = Number(c.n);
    total += n;
    needed += Number(c.needing_code);
    audienceOf.set(c.variant_id, (audienceOf.get(c.variant_id) ?? 0) + n);
    const exposure = exposureOf.get(c.variant_id) ?? { people: 0, counts: {} };
    exposure.people += n;
    for (const category of categories) {
      const k = Number((c as Record<string, unknown>)[`c_${category}`] ?? 0);
      if (k > 0) exposure.counts[category] = ((exposure.counts[category] as number | undefined) ?? 0) + k;
    }
    exposureOf.set(c.variant_id, exposure);
    if (c.channel) byChannel[c.channel] = (byChannel[c.channel] ?? 0) + n;
    else unreachable += n;
  }
  const [branding, wording] = await Promise.all([readBranding(db), readConsistencySettings(db)]);
  const variantDtos: VariantDto[] = variants.map((v) => ({
    id: v.id,
    name: v.name,
    position: v.position,
    isDefault: v.is_default,
    rule: v.rule as VariantRule,
    content: v.content as VariantDto['content'],
    version: v.version,
    // Staff are named by their account email (shown to staff only); tokens and the CLI by their label.
    author: v.author_email ?? v.author,
    authorId: v.author_id,
    approved: v.approved_version === v.version,
    approvedBy: v.approved_version === v.version ? (v.approver_email ?? v.approved_by) : null,
    approvedAt:
      v.approved_version === v.version && v.approved_at ? new Date(v.approved_at).toISOString() : null,
    audience: audienceOf.get(v.id) ?? 0,
    warnings: warningsFor(v.content),
    consistency: variantConsistency(v.content, exposureOf.get(v.id) ?? { people: 0, counts: {} }, wording),
  }));
  const blockers: string[] = [];
  const unapproved = variantDtos.filter((v) => !v.approved);
  if (unapproved.length > 0) {
    blockers.push(
      `Waiting for approval by legal: ${unapproved.map((v) => `"${v.name}"`).join(', ')} (the author cannot approve their own).`,
    );
  }
  const unmatched = audienceOf.get(null) ?? 0;
  if (unmatched > 0) blockers.push(`${unmatched} people match no variant: add a default variant.`);
  if (total === 0) blockers.push('The incident has no affected people yet: import them first.');
  const settings = settingsOf(row);
  const iso = (d: Date | null) => (d ? new Date(d).toISOString() : null);
  return {
    id: row.id,
    incidentId: row.incident_id,
    name: row.name,
    status: row.status,
    channels: row.channels,
    emailFrom: row.email_from,
    replyTo: row.reply_to,
    defaultLocale: row.default_locale,
    ...companyNameView(settings, branding),
    contact: settings.contact,
    activationCodesFor: categoriesOf(row.activation_categories),
    activationCodes: { total: Number(codes.total), assigned: Number(codes.assigned), needed },
    throttle: settings.throttle,
    errorThreshold: settings.errorThreshold,
    scheduledAt: iso(row.scheduled_at),
    startedAt: iso(row.started_at),
    finishedAt: iso(row.finished_at),
    pausedReason: row.paused_reason,
    createdBy: row.created_by,
    createdAt: new Date(row.created_at).toISOString(),
    variants: variantDtos,
    reach: { byChannel, unreachable, total },
    readyToStart: blockers.length === 0 && ['draft', 'scheduled'].includes(row.status),
    blockers,
  };
}

export async function listCampaigns(db: Executor, incidentId: string) {
  const rows = await db
    .selectFrom('campaigns')
    .select('id')
    .where('incident_id', '=', incidentId)
    .orderBy('created_at', 'desc')
    .execute();
  const all = await Promise.all(rows.map((r) => getCampaign(db, r.id)));
  return all.map(({ variants: _variants, ...rest }) => rest);
}

/**
 * Starts now (creating every delivery row) or schedules. Every variant must be approved at its current
 * version, and every person must match a variant.
 */
export async function startCampaign(
  deps: Deps,
  campaignId: string,
  at: Date | null,
  meta: Meta,
): Promise<CampaignDto> {
  const before = await getCampaign(deps.db, campaignId);
  if (!['draft', 'scheduled'].includes(before.status)) {
    throw new AppError(
      'conflict',
      `The campaign is ${before.status}; only a draft or scheduled campaign starts.`,
    );
  }
  if (before.blockers.length > 0)
    throw new AppError('conflict', `Cannot start yet. ${before.blockers.join(' ')}`);
  if (at && at.getTime() > Date.now() + 5_000) {
    await deps.db.transaction().execute(async (tx) => {
      const moved = await tx
        .updateTable('campaigns')
        .set({ status: 'scheduled', scheduled_at: at, updated_at: new Date() })
        .where('id', '=', campaignId)
        .where('status', 'in', ['draft', 'scheduled'])
        .executeTakeFirst();
      if (Number(moved.numUpdatedRows) !== 1)
        throw new AppError('conflict', 'The campaign changed; reload it.');
      await appendTimeline(tx, {
        incidentId: before.incidentId,
        kind: 'campaign',
        actor: meta.actor,
        summary: `Campaign "${before.name}" scheduled for ${at.toISOString()}.`,
        details: { campaignId },
      });
      await recordAudit(tx, {
        actor: meta.actor,
        action: 'campaign.scheduled',
        requestId: meta.requestId,
        target: { type: 'campaign', id: campaignId },
        details: { at: at.toISOString() },
      });
    });
    return getCampaign(deps.db, campaignId);
  }
  await launch(deps, campaignId, ['draft', 'scheduled'], meta);
  return getCampaign(deps.db, campaignId);
}

/** Moves to running and creates the deliveries, in one transaction guarded on the campaign's status. */
export async function launch(deps: Deps, campaignId: string, from: string[], meta: Meta): Promise<boolean> {
  return deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('campaigns')
      .selectAll()
      .where('id', '=', campaignId)
      .where('status', 'in', from as CampaignStatus[])
      .forUpdate()
      .executeTakeFirst();
    if (!row) return false;
    const variants = await tx
      .selectFrom('campaign_variants')
      .select(['id', 'is_default', 'rule', 'version', 'approved_version'])
      .where('campaign_id', '=', campaignId)
      .orderBy('position')
      .execute();
    if (variants.length === 0 || variants.some((v) => v.approved_version !== v.version)) {
      throw new AppError(
        'conflict',
        'Every variant must be approved at its current version before the campaign starts.',
      );
    }
    const selection = variants.map((v) => ({
      id: v.id,
      isDefault: v.is_default,
      rule: v.rule as VariantRule,
    }));
    const first = firstChannelCase(row.channels);
    const recipients = await insertCampaignDeliveries(tx, {
      campaignId,
      channels: row.channels,
      host: messageIdHost(deps.config.publicUrl),
      chosen: sql`SELECT p.incident_id, p.pn, p.locale, ${variantCase(selection)} AS variant_id, ${first} AS channel
                  FROM people p WHERE p.incident_id = ${row.incident_id}`,
    });
    await tx
      .updateTable('campaigns')
      .set({
        status: 'running',
        started_at: sql`coalesce(started_at, now())`,
        scheduled_at: null,
        paused_reason: null,
        recipients: sql`coalesce(recipients, 0) + ${recipients}`,
        updated_at: new Date(),
      })
      .where('id', '=', campaignId)
      .execute();
    await appendTimeline(tx, {
      incidentId: row.incident_id,
      kind: 'campaign',
      actor: meta.actor,
      summary: `Campaign "${row.name}" started: ${recipients.toLocaleString('en-US')} people, by ${row.channels.join(' → ')}.`,
      details: { campaignId, recipients },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: 'campaign.started',
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
      details: { recipients },
    });
    return true;
  });
}

const transitions = {
  pause: { from: ['running', 'scheduled'], to: 'paused' },
  resume: { from: ['paused'], to: 'running' },
  cancel: { from: ['draft', 'scheduled', 'running', 'paused'], to: 'cancelled' },
} as const;

export async function moveCampaign(
  deps: Deps,
  campaignId: string,
  action: keyof typeof transitions,
  meta: Meta,
  reason?: string,
): Promise<CampaignDto> {
  const { from, to } = transitions[action];
  await deps.db.transaction().execute(async (tx) => {
    const row = await tx
      .selectFrom('campaigns')
      .select(['id', 'status', 'incident_id', 'name', 'started_at'])
      .where('id', '=', campaignId)
      .forUpdate()
      .executeTakeFirst();
    if (!row) throw notFound('A campaign with this id');
    if (!(from as readonly string[]).includes(row.status)) {
      throw new AppError(
        'conflict',
        `The campaign is ${row.status}; it cannot ${action} (only from ${from.join(' or ')}).`,
      );
    }
    if (action === 'resume') {
      const unapproved = await tx
        .selectFrom('campaign_variants')
        .select('name')
        .where('campaign_id', '=', campaignId)
        .where((eb) =>
          eb.or([eb('approved_version', 'is', null), eb('approved_version', '<>', eb.ref('version'))]),
        )
        .execute();
      if (unapproved.length > 0) {
        throw new AppError(
          'conflict',
          `Edited variants need approval again before resuming: ${unapproved.map((v) => `"${v.name}"`).join(', ')}.`,
        );
      }
      // Rows held back (activation codes ran out, back-off) are tried again at once.
      await makeHeldDeliveriesDue(tx, row.incident_id, campaignId);
    }
    // A campaign paused before it ever started resumes as a draft waiting to be started.
    const target = action === 'resume' && !row.started_at ? 'draft' : to;
    await tx
      .updateTable('campaigns')
      .set({
        status: target,
        paused_reason: action === 'pause' ? (reason ?? `Paused by ${meta.actor.label}`) : null,
        finished_at: action === 'cancel' ? new Date() : undefined,
        updated_at: new Date(),
      })
      .where('id', '=', campaignId)
      .where('status', 'in', [...from])
      .execute();
    await appendTimeline(tx, {
      incidentId: row.incident_id,
      kind: 'campaign',
      actor: meta.actor,
      summary: `Campaign "${row.name}" ${action === 'pause' ? 'paused' : action === 'resume' ? 'resumed' : 'cancelled'}.${reason ? ` ${reason}` : ''}`,
      details: { campaignId, action },
    });
    await recordAudit(tx, {
      actor: meta.actor,
      action: `campaign.${({ pause: 'paused', resume: 'resumed', cancel: 'cancelled' } as const)[action]}`,
      requestId: meta.requestId,
      target: { type: 'campaign', id: campaignId },
    });
  });
  return getCampaign(deps.db, campaignId);
}

export async function campaignStatus(db: Executor, campaignId: string) {
  const row = await db
    .selectFrom('campaigns')
    .select(['status', 'paused_reason', 'incident_id'])
    .where('id', '=', campaignId)
    .executeTakeFirst();
  if (!row) throw notFound('A campaign with this id');
  const progress = await deliveryProgress(db, row.incident_id, campaignId);
  const byState = emptyCounts();
  const byChannel: Record<Channel | string, StateCounts> = {};
  let people = 0;
  for (const c of progress.counts) {
    addCount(byState, c.state, c.n);
    byChannel[c.channel] ??= emptyCounts();
    addCount(byChannel[c.channel]!, c.state, c.n);
    if (c.state !== 'fell_back') people += c.n;
  }
  const perMinute = Math.round(progress.sentLastFiveMinutes / 5);
  const remaining = byState.pending + byState.claimed;
  return {
    state: row.status,
    total: people,
    byState,
    byChannel,
    throughputPerMinute: perMinute,
    etaSeconds: remaining === 0 ? 0 : perMinute > 0 ? Math.round((remaining / perMinute) * 60) : null,
    pausedReason: row.paused_reason,
    recentErrors: progress.errors,
  };
}
