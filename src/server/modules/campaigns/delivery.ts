import { hostname } from 'node:os';
import { sql } from 'kysely';
import type { Channel, VariantLocaleContent } from '../../../shared/contracts/campaigns.ts';
import type { Config } from '../../config.ts';
import type { Db } from '../../db/database.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { appendTimeline, incidentPublicFacts } from '../incidents/index.ts';
import { contactsFor } from '../population/index.ts';
import { CODE_CONTEXT } from './activation-codes.ts';
import { launch, settingsOf } from './campaigns.service.ts';
import { printedCompanyNameOf } from './company-name.ts';
import { personalLink, personalLinkToken } from './links.ts';
import { type RenderJob, type RenderResult, renderBatch } from './render-batch.ts';
import { createRenderPool, type RenderPool } from './render-pool.ts';
import type { Senders, SendOutcome } from './senders.ts';

/**
 * The delivery engine (DESIGN invariant 4). Workers claim batches of due deliveries of running campaigns
 * with `FOR UPDATE SKIP LOCKED` and a lease, render each message, send it, and record the provider's
 * acceptance with a guarded update (`WHERE state = 'claimed' AND claimed_by = me`). A crashed worker's lease
 * expires and its rows are claimed again: nobody is skipped, and duplicates are bounded by the batch in
 * flight. A hard failure moves the person to the next channel that reaches them (a new row, same
 * transaction). A campaign is finished only when no row is pending or claimed.
 */
export interface EngineOptions {
  workerId?: string;
  batchSize?: number;
  leaseMs?: number;
  concurrency?: number;
  maxAttempts?: number;
  /** Personal links stay valid this long. */
  linkTtlMs?: number;
  /** Worker threads that render large batches (0: render in the engine's thread). */
  renderThreads?: number;
}

interface Claimed {
  incident_id: string;
  campaign_id: string;
  pn: number;
  channel: Channel;
  step: number;
  variant_id: string | null;
  locale: string | null;
  attempts: number;
  message_id: string;
  verification_code: string;
}

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
  config: Config;
  senders: Senders;
}

const backoffMs = (attempt: number) => Math.min(30 * 60_000, 15_000 * 2 ** Math.max(0, attempt - 1));

export function createDeliveryEngine(deps: Deps, options: EngineOptions = {}) {
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const batchSize = options.batchSize ?? 200;
  const leaseMs = options.leaseMs ?? 120_000;
  const concurrency = options.concurrency ?? 16;
  const maxAttempts = options.maxAttempts ?? 6;
  const linkTtlMs = options.linkTtlMs ?? 90 * 86_400_000;
  const outcomes = new Map<string, boolean[]>();
  const renderThreads = options.renderThreads ?? 0;
  let pool: RenderPool | undefined;
  const renderPool = () => {
    pool ??= createRenderPool(renderThreads);
    return pool;
  };
  const buckets = new Map<string, { tokens: number; at: number }>();

  /**
   * Claims up to `limit` rows: first those whose lease expired (a crashed worker's batch), then due pending
   * ones in order. Each statement reads one partial index; SKIP LOCKED lets workers claim side by side.
   */
  async function claim(
    incidentId: string,
    campaignId: string,
    channel: Channel,
    limit: number,
  ): Promise<Claimed[]> {
    const take = async (which: 'expired' | 'due', n: number) => {
      const condition =
        which === 'expired'
          ? sql`state = 'claimed' AND lease_until < now()`
          : sql`state = 'pending' AND next_attempt_at <= now()`;
      const order = which === 'expired' ? sql`lease_until` : sql`next_attempt_at, pn`;
      const result = await sql<Claimed>`
        WITH due AS (
          SELECT incident_id, campaign_id, pn, channel FROM deliveries
          WHERE incident_id = ${incidentId} AND campaign_id = ${campaignId} AND channel = ${channel} AND ${condition}
            AND EXISTS (SELECT 1 FROM campaigns WHERE id = ${campaignId} AND status = 'running')
          ORDER BY ${order}
          LIMIT ${n}
          FOR UPDATE SKIP LOCKED
        )
        UPDATE deliveries d
        SET state = 'claimed', claimed_by = ${workerId}, lease_until = now() + ${`${leaseMs} milliseconds`}::interval,
            attempts = d.attempts + 1, updated_at = now()
        FROM due
        WHERE d.incident_id = due.incident_id AND d.campaign_id = due.campaign_id AND d.pn = due.pn
          AND d.channel = due.channel
        RETURNING d.incident_id, d.campaign_id, d.pn, d.channel, d.step, d.variant_id, d.locale, d.attempts,
                  d.message_id, d.verification_code`.execute(deps.db);
      return result.rows;
    };
    const expired = await take('expired', limit);
    return expired.length < limit ? [...expired, ...(await take('due', limit - expired.length))] : expired;
  }

  /** Waits for a token of the campaign's per-channel rate (messages per second), if it sets one. */
  async function throttle(key: string, perSecond: number | undefined) {
    if (!perSecond) return;
    for (;;) {
      const now = Date.now();
      const bucket = buckets.get(key) ?? { tokens: perSecond, at: now };
      bucket.tokens = Math.min(perSecond, bucket.tokens + ((now - bucket.at) / 1000) * perSecond);
      bucket.at = now;
      buckets.set(key, bucket);
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1;
        return;
      }
      await new Promise((r) => setTimeout(r, Math.ceil(((1 - bucket.tokens) / perSecond) * 1000)));
    }
  }

  async function assignActivationCodes(campaignId: string, pns: number[]): Promise<Map<number, string>> {
    if (pns.length === 0) return new Map();
    await sql`
      WITH need AS (
        SELECT pn, row_number() OVER (ORDER BY pn) AS k FROM unnest(${pns}::int[]) AS pn
        WHERE NOT EXISTS (SELECT 1 FROM activation_codes a WHERE a.campaign_id = ${campaignId} AND a.assigned_pn = pn)
      ), free AS (
        SELECT id, row_number() OVER (ORDER BY id) AS k FROM (
          SELECT id FROM activation_codes WHERE campaign_id = ${campaignId} AND assigned_pn IS NULL
          ORDER BY id LIMIT (SELECT count(*) FROM need) FOR UPDATE SKIP LOCKED
        ) f
      )
      UPDATE activation_codes a SET assigned_pn = need.pn, assigned_at = now()
      FROM free JOIN need USING (k) WHERE a.id = free.id`.execute(deps.db);
    const rows = await deps.db
      .selectFrom('activation_codes')
      .select(['assigned_pn', 'code_sealed'])
      .where('campaign_id', '=', campaignId)
      .where('assigned_pn', 'in', pns)
      .execute();
    const codes = new Map<number, string>();
    for (const r of rows) {
      codes.set(r.assigned_pn!, await deps.crypto.decrypt(r.code_sealed, CODE_CONTEXT));
    }
    return codes;
  }

  async function processBatch(
    campaign: {
      id: string;
      incident_id: string;
      name: string;
      channels: Channel[];
      email_from: string | null;
      reply_to: string | null;
      default_locale: string;
      settings: Record<string, unknown>;
      activation_categories: number;
    },
    channel: Channel,
  ): Promise<number> {
    const rows = await claim(campaign.incident_id, campaign.id, channel, batchSize);
    if (rows.length === 0) return 0;
    const settings = settingsOf(campaign);
    const pns = rows.map((r) => r.pn);
    const contacts = await contactsFor(deps.db, deps.crypto, campaign.incident_id, pns);
    await deps.db.transaction().execute((tx) =>
      recordAudit(tx, {
        actor: systemActor,
        action: 'campaign.batch_decrypted',
        target: { type: 'campaign', id: campaign.id },
        details: { channel, people: rows.length, worker: workerId },
      }),
    );
    const eligible = campaign.activation_categories
      ? pns.filter((pn) => ((contacts.get(pn)?.categories ?? 0) & campaign.activation_categories) !== 0)
      : [];
    const codes = await assignActivationCodes(campaign.id, eligible);
    const lacking = new Set(eligible.filter((pn) => !codes.has(pn)));
    const variants = await deps.db
      .selectFrom('campaign_variants')
      .select(['id', 'version', 'content'])
      .where('campaign_id', '=', campaign.id)
      .execute();
    const incident = await incidentPublicFacts(deps.db, campaign.incident_id);
    if (!incident) throw new Error(`incident ${campaign.incident_id} of campaign ${campaign.id} is gone`);
    const expires = new Date(Date.now() + linkTtlMs);
    // Where the SMS provider reports delivery (signed; see receipts.ts).
    const smsCallbackUrl =
      deps.config.SMS_PROVIDER === 'twilio'
        ? `${deps.config.publicUrl}/api/hooks/sms/twilio`
        : deps.config.SMS_PROVIDER === 'webhook'
          ? `${deps.config.publicUrl}/api/hooks/sms/webhook`
          : undefined;

    const job: RenderJob = {
      channel,
      campaign: {
        id: campaign.id,
        incidentId: campaign.incident_id,
        emailFrom: campaign.email_from,
        replyTo: campaign.reply_to,
        defaultLocale: campaign.default_locale,
      },
      // The company's name from the setting unless the campaign names it on purpose.
      settings: { ...settings, companyName: await printedCompanyNameOf(deps.db, settings) },
      incident: {
        publicTitle: incident.publicTitle,
        description: incident.description,
        occurredOn: incident.occurredOn,
        awareOn: incident.awareOn,
      },
      variants: variants.map((v) => ({
        id: v.id,
        version: v.version,
        content: v.content as Record<string, VariantLocaleContent>,
      })),
      mailFrom: deps.config.CANDOR_MAIL_FROM,
      smsCallbackUrl,
      items: rows
        .filter((row) => !lacking.has(row.pn))
        .map((row) => ({
          pn: row.pn,
          variantId: row.variant_id,
          locale: row.locale,
          messageId: row.message_id,
          verificationCode: row.verification_code,
          contact: contacts.get(row.pn) ?? null,
          link: personalLink(
            deps.config.noticeUrl,
            incident.slug,
            personalLinkToken(deps.crypto, campaign.incident_id, row.pn, expires),
          ),
          activationCode: codes.get(row.pn) ?? null,
        })),
    };
    const sendable = rows.filter((row) => !lacking.has(row.pn));
    const released = rows.filter((row) => lacking.has(row.pn));
    // Large batches render on worker threads, keeping the templates' CPU off the thread that sends.
    let rendered: RenderResult[];
    try {
      rendered =
        renderThreads > 0 && job.items.length >= 64 ? await renderPool().render(job) : renderBatch(job);
    } catch (error) {
      deps.logger.warn({ err: error, campaignId: campaign.id }, 'rendering a batch failed; retrying it');
      rendered = job.items.map(() => ({ error: 'RenderPoolError' }));
    }

    const results: Array<{ row: Claimed; outcome: SendOutcome }> = [];
    let next = 0;
    const worker = async () => {
      for (;;) {
        const i = next++;
        const row = sendable[i];
        if (!row) return;
        const result = rendered[i]!;
        let outcome: SendOutcome;
        if ('missing' in result) {
          outcome = { ok: false, permanent: true, reason: result.missing };
        } else if ('error' in result) {
          outcome = { ok: false, permanent: false, reason: `could not render: ${result.error}` };
        } else {
          try {
            await throttle(
              `${campaign.id}:${channel}`,
              channel === 'letter' ? undefined : settings.throttle[channel],
            );
            outcome = await deps.senders[channel].send(result.message);
          } catch (error) {
            outcome = { ok: false, permanent: false, reason: `could not send: ${(error as Error).name}` };
            deps.logger.warn(
              { err: error, campaignId: campaign.id, pn: row.pn, channel },
              'delivery attempt failed',
            );
          }
        }
        results.push({ row, outcome });
      }
    };

    // While the batch is in flight its lease is renewed, so a slow batch is not taken over by another
    // worker (which would send it twice); only a dead worker's lease runs out.
    const heartbeat = setInterval(
      () => {
        void sql`UPDATE deliveries SET lease_until = now() + ${`${leaseMs} milliseconds`}::interval
               WHERE incident_id = ${campaign.incident_id} AND campaign_id = ${campaign.id}
                 AND state = 'claimed' AND claimed_by = ${workerId}`
          .execute(deps.db)
          .catch((error: unknown) => deps.logger.warn({ err: error }, 'could not renew a delivery lease'));
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    } finally {
      clearInterval(heartbeat);
    }
    await settle(campaign, results, released);
    trackErrors(campaign, results, settings.errorThreshold);
    return rows.length;
  }

  async function settle(
    campaign: { id: string; incident_id: string; name: string; channels: Channel[] },
    results: Array<{ row: Claimed; outcome: SendOutcome }>,
    released: Claimed[],
  ) {
    const sent = results.filter((r) => r.outcome.ok);
    await deps.db.transaction().execute(async (tx) => {
      if (sent.length > 0) {
        await sql`
          UPDATE deliveries d SET state = 'sent', provider_id = v.provider_id, sent_at = now(), lease_until = NULL,
                 error = NULL, updated_at = now()
          FROM unnest(${sent.map((r) => r.row.pn)}::int[], ${sent.map((r) => r.row.channel)}::text[],
                      ${sent.map((r) => (r.outcome as { providerId: string }).providerId)}::text[])
               AS v(pn, channel, provider_id)
          WHERE d.incident_id = ${campaign.incident_id} AND d.campaign_id = ${campaign.id} AND d.pn = v.pn
            AND d.channel = v.channel AND d.state = 'claimed' AND d.claimed_by = ${workerId}`.execute(tx);
        const first = await tx
          .updateTable('incidents')
          .set({ first_notice_at: new Date() })
          .where('id', '=', campaign.incident_id)
          .where('first_notice_at', 'is', null)
          .executeTakeFirst();
        if (Number(first.numUpdatedRows) === 1) {
          await appendTimeline(tx, {
            incidentId: campaign.incident_id,
            kind: 'campaign',
            actor: systemActor,
            summary: `First individual notice sent (campaign "${campaign.name}").`,
            details: { campaignId: campaign.id },
          });
        }
      }
      for (const row of released) {
        await tx
          .updateTable('deliveries')
          .set({
            state: 'pending',
            lease_until: null,
            attempts: sql`attempts - 1`,
            next_attempt_at: new Date(Date.now() + 60_000),
          })
          .where('incident_id', '=', row.incident_id)
          .where('campaign_id', '=', row.campaign_id)
          .where('pn', '=', row.pn)
          .where('channel', '=', row.channel)
          .where('state', '=', 'claimed')
          .where('claimed_by', '=', workerId)
          .execute();
      }
      if (released.length > 0) {
        const paused = await tx
          .updateTable('campaigns')
          .set({
            status: 'paused',
            paused_reason: `Activation codes ran out: ${released.length}+ people still need one. Import more codes, then resume.`,
            updated_at: new Date(),
          })
          .where('id', '=', campaign.id)
          .where('status', '=', 'running')
          .executeTakeFirst();
        if (Number(paused.numUpdatedRows) === 1) {
          await appendTimeline(tx, {
            incidentId: campaign.incident_id,
            kind: 'campaign',
            actor: systemActor,
            summary: `Campaign "${campaign.name}" paused: activation codes ran out. Import more codes, then resume.`,
            details: { campaignId: campaign.id },
          });
        }
      }
      for (const { row, outcome } of results) {
        if (outcome.ok) continue;
        if (!outcome.permanent && row.attempts < maxAttempts) {
          await tx
            .updateTable('deliveries')
            .where('incident_id', '=', row.incident_id)
            .where('campaign_id', '=', row.campaign_id)
            .where('pn', '=', row.pn)
            .where('channel', '=', row.channel)
            .where('state', '=', 'claimed')
            .where('claimed_by', '=', workerId)
            .set({
              state: 'pending',
              lease_until: null,
              error: outcome.reason.slice(0, 500),
              next_attempt_at: new Date(Date.now() + backoffMs(row.attempts)),
              updated_at: new Date(),
            })
            .execute();
          continue;
        }
        await failOver(
          tx,
          campaign,
          row,
          outcome.permanent ? outcome.reason : `gave up after ${row.attempts} attempts: ${outcome.reason}`,
          outcome.permanent ? 'bounced' : 'failed',
          'claim',
        );
      }
    });
  }

  type Tx = Parameters<Parameters<ReturnType<Db['transaction']>['execute']>[0]>[0];

  /**
   * Ends a row (bounced or failed) and, if a later channel reaches the person, queues them there. From the
   * send path the row must still be this worker's claim; from a bounce report it must have been sent.
   */
  async function failOver(
    tx: Tx,
    campaign: { id: string; incident_id: string; channels: Channel[] },
    row: Pick<Claimed, 'incident_id' | 'campaign_id' | 'pn' | 'channel' | 'step' | 'variant_id' | 'locale'>,
    reason: string,
    finalState: 'bounced' | 'failed',
    from: 'claim' | 'report',
  ) {
    const nextChannel = await nextChannelFor(tx, campaign, row.pn, row.step + 1);
    const state = nextChannel ? 'fell_back' : finalState;
    let update = tx
      .updateTable('deliveries')
      .set({
        state,
        lease_until: null,
        error: reason.slice(0, 500),
        settled_at: new Date(),
        updated_at: new Date(),
      })
      .where('incident_id', '=', row.incident_id)
      .where('campaign_id', '=', row.campaign_id)
      .where('pn', '=', row.pn)
      .where('channel', '=', row.channel);
    update =
      from === 'claim'
        ? update.where('state', '=', 'claimed').where('claimed_by', '=', workerId)
        : update.where('state', 'in', ['sent', 'delivered']);
    const done = await update.executeTakeFirst();
    if (Number(done.numUpdatedRows) !== 1 || !nextChannel) return;
    // A bounce reported after the campaign finished reopens it: the next channel still has to be tried.
    if (from === 'report') {
      await tx
        .updateTable('campaigns')
        .set({ status: 'running', finished_at: null, updated_at: new Date() })
        .where('id', '=', row.campaign_id)
        .where('status', '=', 'finished')
        .execute();
    }
    const host = new URL(deps.config.publicUrl).hostname || 'candor.invalid';
    await sql`
      INSERT INTO deliveries (incident_id, campaign_id, pn, channel, step, variant_id, locale, message_id, verification_code)
      VALUES (${row.incident_id}, ${row.campaign_id}, ${row.pn}, ${nextChannel.channel}, ${nextChannel.step},
              ${row.variant_id}, ${row.locale}, ${`<${row.campaign_id}.${row.pn}.${nextChannel.channel}@${host}>`},
              upper(substr(replace(gen_random_uuid()::text, '-', ''), 1, 12)))
      ON CONFLICT DO NOTHING`.execute(tx);
  }

  async function nextChannelFor(
    tx: Tx,
    campaign: { incident_id: string; channels: Channel[] },
    pn: number,
    from: number,
  ) {
    const person = await tx
      .selectFrom('people')
      .select(['reachable_email', 'reachable_phone', 'reachable_postal'])
      .where('incident_id', '=', campaign.incident_id)
      .where('pn', '=', pn)
      .executeTakeFirst();
    if (!person) return null;
    const reach = {
      email: person.reachable_email,
      sms: person.reachable_phone,
      letter: person.reachable_postal,
    };
    for (let step = from; step < campaign.channels.length; step++) {
      const channel = campaign.channels[step]!;
      if (reach[channel]) return { channel, step };
    }
    return null;
  }

  /** Auto-pause when the share of failures among the last 200 attempts passes the campaign's threshold. */
  function trackErrors(
    campaign: { id: string; incident_id: string; name: string },
    results: Array<{ outcome: SendOutcome }>,
    threshold: number,
  ) {
    const window = outcomes.get(campaign.id) ?? [];
    for (const r of results) window.push(!r.outcome.ok && !(r.outcome as { permanent: boolean }).permanent);
    while (window.length > 200) window.shift();
    outcomes.set(campaign.id, window);
    const failures = window.filter(Boolean).length;
    if (window.length >= 50 && failures / window.length >= threshold) {
      outcomes.set(campaign.id, []);
      void deps.db
        .transaction()
        .execute(async (tx) => {
          const paused = await tx
            .updateTable('campaigns')
            .set({
              status: 'paused',
              paused_reason: `Paused automatically: ${failures} of the last ${window.length} attempts failed (threshold ${Math.round(threshold * 100)}%). Check the errors and the provider, then resume.`,
              updated_at: new Date(),
            })
            .where('id', '=', campaign.id)
            .where('status', '=', 'running')
            .executeTakeFirst();
          if (Number(paused.numUpdatedRows) === 1) {
            await appendTimeline(tx, {
              incidentId: campaign.incident_id,
              kind: 'campaign',
              actor: systemActor,
              summary: `Campaign "${campaign.name}" paused automatically: too many failed sends.`,
              details: { campaignId: campaign.id },
            });
          }
        })
        .catch((error: unknown) => deps.logger.error({ err: error }, 'could not auto-pause a campaign'));
    }
  }

  /** Finishes a running campaign once no delivery is pending or claimed; marks individual notices done. */
  async function finishIfDone(campaign: {
    id: string;
    incident_id: string;
    name: string;
  }): Promise<{ reached: number; missed: number } | null> {
    return deps.db.transaction().execute(async (tx) => {
      const finished = await sql<{ id: string }>`
        UPDATE campaigns SET status = 'finished', finished_at = now(), updated_at = now()
        WHERE id = ${campaign.id} AND status = 'running'
          AND NOT EXISTS (SELECT 1 FROM deliveries WHERE incident_id = ${campaign.incident_id}
                          AND campaign_id = ${campaign.id} AND state IN ('pending', 'claimed'))
        RETURNING id`.execute(tx);
      if (finished.rows.length === 0) return null;
      const counts = await tx
        .selectFrom('deliveries')
        .select(['state', (eb) => eb.fn.countAll<string>().as('n')])
        .where('incident_id', '=', campaign.incident_id)
        .where('campaign_id', '=', campaign.id)
        .where('state', '<>', 'fell_back')
        .groupBy('state')
        .execute();
      const by = Object.fromEntries(counts.map((c) => [c.state, Number(c.n)]));
      const reached = (by.sent ?? 0) + (by.delivered ?? 0);
      const missed = (by.bounced ?? 0) + (by.failed ?? 0) + (by.suppressed ?? 0);
      await appendTimeline(tx, {
        incidentId: campaign.incident_id,
        kind: 'campaign',
        actor: systemActor,
        summary: `Campaign "${campaign.name}" finished: ${reached.toLocaleString('en-US')} people notified, ${missed.toLocaleString('en-US')} not reached.`,
        details: { campaignId: campaign.id, reached, missed },
      });
      await recordAudit(tx, {
        actor: systemActor,
        action: 'campaign.finished',
        target: { type: 'campaign', id: campaign.id },
        details: { reached, missed },
      });
      return { reached, missed };
    });
  }

  let onFinished:
    | ((
        campaign: { id: string; incident_id: string; name: string },
        result: { reached: number; missed: number },
      ) => Promise<void>)
    | undefined;

  /** One pass over every running campaign (and scheduled ones whose time has come): returns rows handled. */
  async function runOnce(): Promise<number> {
    const due = await deps.db
      .selectFrom('campaigns')
      .select('id')
      .where('status', '=', 'scheduled')
      .where('scheduled_at', '<=', new Date())
      .execute();
    for (const c of due) {
      await launch({ db: deps.db, config: deps.config }, c.id, ['scheduled'], { actor: systemActor }).catch(
        (error: unknown) =>
          deps.logger.warn({ err: error, campaignId: c.id }, 'scheduled campaign could not start'),
      );
    }
    const campaigns = await deps.db
      .selectFrom('campaigns')
      .select([
        'id',
        'incident_id',
        'name',
        'channels',
        'email_from',
        'reply_to',
        'default_locale',
        'settings',
        'activation_categories',
        'status',
      ])
      .where('status', '=', 'running')
      .execute();
    let handled = 0;
    for (const campaign of campaigns) {
      let any = 0;
      for (const channel of campaign.channels) any += await processBatch(campaign, channel);
      handled += any;
      if (any === 0) {
        const result = await finishIfDone(campaign);
        if (result) {
          await onFinished?.(campaign, result).catch((error: unknown) =>
            deps.logger.error({ err: error, campaignId: campaign.id }, 'after-finish step failed'),
          );
        }
      }
    }
    return handled;
  }

  return {
    workerId,
    runOnce,
    async close() {
      await pool?.close();
      pool = undefined;
    },
    failOver,
    setOnFinished(fn: typeof onFinished) {
      onFinished = fn;
    },
    /** Runs until the signal aborts; sleeps briefly when there is nothing to do. */
    async run(signal: AbortSignal, idleMs = 1000) {
      while (!signal.aborted) {
        let handled = 0;
        try {
          handled = await runOnce();
        } catch (error) {
          deps.logger.error({ err: error }, 'delivery pass failed; retrying');
        }
        if (handled === 0) await new Promise((r) => setTimeout(r, idleMs));
      }
    },
  };
}
