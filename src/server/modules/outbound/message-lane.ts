import { hostname } from 'node:os';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Db } from '../../db/database.ts';
import { recordAudit, systemActor } from '../../platform/audit/audit-log.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import type { Logger } from '../../platform/logging/logger.ts';
import { readBranding } from '../../platform/settings/branding.ts';
import type { FailureWindows } from './auto-pause.ts';
import { kindPolicies, messageKinds } from './kinds.ts';
import type { ClaimedMessage, MessageDecision, MessageHandler, PreparedPayload } from './message-handlers.ts';
import { preparedMessage } from './message-handlers.ts';
import { siteMessageId } from './message-ids.ts';
import {
  type ClaimedMessageRow,
  claimMessages,
  MESSAGE_PAYLOAD_CONTEXT,
  pauseKind,
  renewMessageLeases,
  retryMessageLater,
  settleMessage,
} from './messages.repository.ts';
import type { MessageKind, SenderKind, Senders, SendOutcome } from './outbound.types.ts';
import type { ThrottleKey, Throttles } from './throttle.ts';

/**
 * The message lane of the outbound engine: every message that is not a campaign notice (lookup answers,
 * subscription mail, inbox replies and verification codes, the satisfaction question). A request only
 * enqueues, in its own transaction; this lane claims rows with SKIP LOCKED under a lease (most urgent kind
 * first), has the kind's handler decide and write each (or sends prepared text as given), sends it through
 * the channel's sender under the kind's and the provider's throttles, and settles it guarded on its claim.
 * Transient failures retry with back-off (30 s × attempts²) up to six attempts; a kind whose recent attempts
 * mostly fail pauses itself for a while (audited). Message-IDs derive from the row (`<site.id@host>`).
 */
const MAX_ATTEMPTS = 6;
const PAUSE_MS = 5 * 60_000;
const PAUSE_THRESHOLD = 0.5;

interface Deps {
  db: Db;
  crypto: PiiCrypto;
  logger: Logger;
  config: { noticeUrl: string; CANDOR_MAIL_FROM: string };
  senders: () => Senders;
  throttles: Throttles;
  rates: {
    kinds: Record<MessageKind, number | undefined>;
    channels: { email?: number | undefined; sms?: number | undefined };
  };
  failures: FailureWindows;
  handlers: ReadonlyMap<MessageKind, MessageHandler>;
}

type Settled =
  | { state: 'sent'; outcome: string; via: SenderKind }
  | { state: 'skipped' | 'failed'; outcome: string }
  | { state: 'retry'; outcome: string };

export function createMessageLane(
  deps: Deps,
  options: { workerId?: string; limit?: number; concurrency?: number; leaseMs?: number } = {},
) {
  const workerId =
    options.workerId ?? `${hostname()}:${process.pid}:${Math.random().toString(36).slice(2, 8)}`;
  const limit = options.limit ?? 50;
  const concurrency = options.concurrency ?? 8;
  const leaseMs = options.leaseMs ?? 60_000;
  let kicked: NodeJS.Immediate | null = null;
  let running: Promise<number> | null = null;

  /** Kinds this process can send: prepared ones, and those whose handler is registered here. */
  const sendableKinds = () => messageKinds.filter((k) => kindPolicies[k].isPrepared || deps.handlers.has(k));

  function throttlesFor(kind: MessageKind, channel: 'email' | 'sms', sender: SenderKind): ThrottleKey[] {
    const keys: ThrottleKey[] = [];
    const own = deps.rates.kinds[kind];
    if (own) keys.push({ key: `kind:${kind}`, rate: own });
    const provider = deps.rates.channels[channel];
    if (provider && sender !== 'outbox') keys.push({ key: `provider:${channel}:${sender}`, rate: provider });
    return keys;
  }

  async function decide(row: ClaimedMessageRow): Promise<MessageDecision> {
    const payload = row.payload
      ? (JSON.parse(await deps.crypto.decrypt(row.payload, MESSAGE_PAYLOAD_CONTEXT)) as Record<
          string,
          unknown
        >)
      : null;
    if (kindPolicies[row.kind].isPrepared) {
      const { companyName } = await readBranding(deps.db);
      return { send: preparedMessage(payload as unknown as PreparedPayload, companyName) };
    }
    const handler = deps.handlers.get(row.kind);
    if (!handler) throw new Error(`no handler for messages of kind ${row.kind}`);
    const message: ClaimedMessage = {
      id: row.id,
      incidentId: row.incident_id,
      kind: row.kind,
      payload,
      subscriptionId: row.subscription_id,
      updateId: row.update_id,
      attempts: row.attempts,
    };
    return handler(message);
  }

  async function sendOne(row: ClaimedMessageRow): Promise<Settled> {
    const decision = await decide(row);
    if ('skip' in decision) return { state: 'skipped', outcome: decision.skip };
    const { send } = decision;
    const sender = deps.senders()[send.channel];
    const keys = throttlesFor(row.kind, send.channel, sender.kind);
    if (keys.length > 0) await deps.throttles.take(keys, kindPolicies[row.kind].priority);
    const outcome: SendOutcome = await sender.send({
      incidentId: row.incident_id,
      campaignId: null,
      pn: null,
      kind: row.kind,
      messageId: siteMessageId(deps.config.noticeUrl, row.id),
      to: send.to,
      from: send.channel === 'email' ? deps.config.CANDOR_MAIL_FROM : undefined,
      subject: send.channel === 'email' ? send.subject : undefined,
      text: send.text,
      html: send.channel === 'email' ? send.html : undefined,
      headers: send.headers,
      verificationCode: '',
    });
    if (outcome.ok) return { state: 'sent', outcome: 'sent', via: sender.kind };
    if (outcome.permanent || row.attempts >= MAX_ATTEMPTS)
      return { state: 'failed', outcome: outcome.reason };
    return { state: 'retry', outcome: outcome.reason };
  }

  async function settle(row: ClaimedMessageRow, settled: Settled): Promise<void> {
    if (settled.state === 'retry') {
      await retryMessageLater(deps.db, workerId, row.id, settled.outcome, 30 * row.attempts ** 2);
      return;
    }
    await settleMessage(deps.db, workerId, row.id, {
      state: settled.state,
      outcome: settled.outcome,
      sentVia: settled.state === 'sent' ? settled.via : null,
    });
  }

  /** A kind whose attempts mostly fail rests for five minutes; the pause and its audit row commit together. */
  async function pauseIfFailing(kind: MessageKind, isFailure: boolean) {
    const tripped = deps.failures.record(`kind:${kind}`, [isFailure], PAUSE_THRESHOLD);
    if (!tripped) return;
    const until = new Date(Date.now() + PAUSE_MS);
    const reason = `Paused automatically for 5 minutes: ${tripped.failures} of the last ${tripped.attempts} attempts failed. Check the provider; messages wait in the queue.`;
    await deps.db
      .transaction()
      .execute(async (tx) => {
        await pauseKind(tx, kind, until, reason);
        await recordAudit(tx, {
          actor: systemActor,
          action: 'outbound.kind_paused',
          target: { type: 'message_kind', id: kind },
          details: { failures: tripped.failures, attempts: tripped.attempts, until: until.toISOString() },
        });
      })
      .catch((error: unknown) =>
        deps.logger.error({ err: error, kind }, 'could not pause a kind of message'),
      );
  }

  async function runOnce(): Promise<number> {
    const rows = await claimMessages(deps.db, { workerId, leaseMs, kinds: sendableKinds(), limit });
    if (rows.length === 0) return 0;
    const inFlight = new Set(rows.map((r) => r.id));
    const heartbeat = setInterval(
      () => {
        renewMessageLeases(deps.db, workerId, [...inFlight], leaseMs).catch((error: unknown) =>
          deps.logger.warn({ err: error }, 'could not renew a message lease'),
        );
      },
      Math.max(250, Math.floor(leaseMs / 3)),
    );
    let next = 0;
    const worker = async () => {
      for (;;) {
        const row = rows[next++];
        if (!row) return;
        let settled: Settled;
        try {
          settled = await sendOne(row);
        } catch (error) {
          deps.logger.warn({ err: error, messageId: row.id, kind: row.kind }, 'message failed; will retry');
          settled =
            row.attempts >= MAX_ATTEMPTS
              ? { state: 'failed', outcome: 'could not be processed' }
              : { state: 'retry', outcome: 'could not be processed' };
        }
        await settle(row, settled);
        inFlight.delete(row.id);
        if (settled.state !== 'skipped') await pauseIfFailing(row.kind, settled.state === 'retry');
      }
    };
    try {
      await Promise.all(Array.from({ length: Math.min(concurrency, rows.length) }, worker));
    } finally {
      clearInterval(heartbeat);
    }
    return rows.length;
  }

  /** Sends everything due now (tests, and the loop below). */
  async function drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const n = await runOnce();
      total += n;
      if (n === 0) return total;
    }
  }

  return {
    workerId,
    runOnce,
    drain,
    /** Soon after a request enqueued something, without making the request wait for it. */
    kick() {
      if (kicked || running) return;
      kicked = setImmediate(() => {
        kicked = null;
        running = drain()
          .catch((error: unknown) => {
            deps.logger.warn({ err: error }, 'sending messages failed');
            return 0;
          })
          .finally(() => {
            running = null;
          });
      });
    },
    /** Until aborted: sends what is due, every second (messages enqueued by other processes, retries). */
    async run(signal: AbortSignal): Promise<void> {
      while (!signal.aborted) {
        try {
          await drain();
        } catch (error) {
          deps.logger.warn({ err: error }, 'sending messages failed; retrying');
        }
        // timers/promises removes its abort listener when the second passes (a listener added per second and
        // never removed grew without bound: MaxListenersExceededWarning within seconds of `npm start`).
        await sleep(1_000, undefined, { signal }).catch(() => undefined);
      }
    },
    /** Lets the messages being sent settle. */
    async idle(): Promise<void> {
      if (kicked) await new Promise((resolve) => setImmediate(resolve));
      await running;
    },
  };
}

export type MessageLane = ReturnType<typeof createMessageLane>;
