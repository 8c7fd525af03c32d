import { type RawBuilder, sql } from 'kysely';
import { createInboxModule, type InboundMessage } from '../../src/server/modules/inbox/index.ts';
import { type Client, clientFor, createIncident, isoDaysAgo, ok } from '../incidents/helpers.ts';
import { settleSiteMessages } from '../notice-site/more-helpers.ts';
import { csv, importPeople } from '../obligations/helpers.ts';
import { createSignedInUser, createTestApp, type SignedInUser, type TestApp } from '../support/app.ts';

/**
 * What the inbox tests share: an app with staff of every role that touches the inbox, an incident with
 * affected people, filing messages the way the channels do, and reads of what was stored and sent.
 */

/** Affected people of the default incident. Ann has an email and a phone; Bob only an email. */
export const ann = {
  email: 'ann.lee@example.com',
  phone: '+12025550101',
  name: 'Ann Lee',
  ssn: '536-22-1001',
};
export const bob = { email: 'bob.ray@example.com', name: 'Bob Ray', ssn: '536-22-1002' };
/** Lives in Germany (GDPR: one month for a data-subject request). */
export const dora = { email: 'dora.berg@example.de', name: 'Dora Berg' };
/** Lives in New York (neither GDPR nor CCPA: 30 days). */
export const ned = { email: 'ned.york@example.com', name: 'Ned York' };

export interface InboxSetup {
  t: TestApp;
  agent: Client;
  agentId: string;
  agentUser: SignedInUser;
  comms: Client;
  auditor: Client;
  responder: Client;
  admin: Client;
  incidentId: string;
}

export const mapping = {
  email: 'email',
  phone: 'phone',
  name: 'full_name',
  ssn: 'national_id',
  country: 'country',
  state: 'region',
} as const;

/** A test app with staff, an incident (aware yesterday) and its affected people imported. */
export async function setupInbox(env: Record<string, string> = {}): Promise<InboxSetup> {
  const t = await createTestApp(env);
  const agentUser = await createSignedInUser(t, 'agent');
  const [comms, auditor, responder, admin] = await Promise.all(
    (['comms', 'auditor', 'responder', 'admin'] as const).map(async (role) =>
      clientFor(t, await createSignedInUser(t, role)),
    ),
  );
  const incidentId = (await createIncident(responder!, { title: 'Shop breach', awareAt: isoDaysAgo(1) })).id;
  await importPeople(
    t,
    incidentId,
    csv(
      'email,phone,name,ssn,country,state',
      `${ann.email},${ann.phone},${ann.name},${ann.ssn},US,CA`,
      `${bob.email},,${bob.name},${bob.ssn},US,CA`,
      `${dora.email},,${dora.name},,DE,`,
      `${ned.email},,${ned.name},,US,NY`,
    ),
    mapping,
  );
  return {
    t,
    agent: clientFor(t, agentUser),
    agentId: agentUser.id,
    agentUser,
    comms: comms!,
    auditor: auditor!,
    responder: responder!,
    admin: admin!,
    incidentId,
  };
}

/** The inbox module on the test app's context (what the channels call). */
export const inboxOf = (t: TestApp) => createInboxModule(t.ctx, { kick: () => {} });

let seq = 0;
/** Files a message and returns its thread (the message must be stored). */
export async function file(
  t: TestApp,
  message: Partial<InboundMessage> & Pick<InboundMessage, 'from'>,
): Promise<{ threadId: string; messageId: string; newThread: boolean; verified: boolean }> {
  seq += 1;
  const result = await inboxOf(t).ingest({
    channel: 'email',
    body: `Question number ${seq}`,
    ...message,
  });
  if (result.outcome !== 'stored') throw new Error(`not stored: ${JSON.stringify(result)}`);
  return result;
}

export interface SentMessage {
  id: string;
  kind: string;
  channel: string;
  to: string;
  subject: string | null;
  text: string;
}

/** Sends everything queued (waiting for the app's own sender too), then every message in the outbox. */
export async function outbox(t: TestApp): Promise<SentMessage[]> {
  await settleSiteMessages(t);
  const rows = await t.ctx.db
    .selectFrom('outbox_messages')
    .select(['id', 'kind', 'channel', 'sealed'])
    .orderBy('id')
    .execute();
  return Promise.all(
    rows.map(async (r) => {
      const m = JSON.parse(await t.ctx.crypto.decrypt(r.sealed, 'outbox_messages.sealed')) as {
        to: string;
        subject?: string | null;
        text: string;
      };
      return {
        id: r.id,
        kind: r.kind,
        channel: r.channel,
        to: m.to,
        subject: m.subject ?? null,
        text: m.text,
      };
    }),
  );
}

/** The last verification code sent to that address or number. */
export async function lastCodeTo(t: TestApp, to: string): Promise<string> {
  const found = (await outbox(t)).filter((m) => m.kind === 'inbox_verification' && m.to === to).at(-1);
  if (!found) throw new Error(`no verification code was sent to ${to}`);
  return /\b(\d{6})\b/.exec(found.text)![1]!;
}

/** A six-digit code that is not `code`. */
export const otherCode = (code: string) => (code === '000000' ? '111111' : '000000');

export async function countWhere(t: TestApp, query: RawBuilder<{ n: string }>): Promise<number> {
  return Number((await query.execute(t.ctx.db)).rows[0]!.n);
}

export const inboxMessageCount = (t: TestApp) =>
  countWhere(t, sql<{ n: string }>`SELECT count(*)::text AS n FROM inbox_messages`);

export const threadCount = (t: TestApp) =>
  countWhere(t, sql<{ n: string }>`SELECT count(*)::text AS n FROM inbox_threads`);

export interface ThreadView {
  id: string;
  channel: string;
  status: 'open' | 'pending' | 'solved';
  topics: string[];
  priority: number;
  personLinked: boolean;
  incidentId: string | null;
  verified: boolean;
  sender: string;
  subject: string | null;
  messages: number;
  createdAt: string;
  firstResponseAt: string | null;
  sla: { dueAt: string | null; state: 'met' | 'none' | 'breached' | 'due_soon' | 'ok' };
  dsr: { kind: 'access' | 'deletion'; dueAt: string; completedAt: string | null } | null;
  satisfaction: number | null;
}

export interface ThreadDetail extends ThreadView {
  messages: number;
  person:
    | { linked: false }
    | {
        linked: true;
        incidentId: string;
        incidentTitle: string;
        verified: boolean;
        verification?: {
          state: 'none' | 'sent' | 'expired' | 'locked';
          channel: 'email' | 'sms' | null;
          attemptsLeft: number;
        };
        exposure?: {
          categories: string[];
          identifiers: string[];
          firstName: string | null;
          activationCode: string | null;
        };
      };
  /** What the agent must know before replying (the company name not set). */
  warnings: string[];
}

export type ThreadMessage = {
  id: string;
  direction: 'in' | 'out';
  kind: 'message' | 'note';
  subject: string | null;
  body: string;
  attachments: Array<{ id: string; filename: string; contentType: string; size: number }>;
};

export async function threadOf(client: Client, id: string) {
  return ok<Omit<ThreadDetail, 'messages'> & { messages: ThreadMessage[] }>(
    await client.get(`/api/inbox/threads/${id}`),
  );
}

export async function listOf(client: Client, query: Record<string, string> = {}) {
  const qs = new URLSearchParams(query).toString();
  return ok<{
    threads: ThreadView[];
    total: number;
    nextCursor: string | null;
    counts: Record<string, number>;
  }>(await client.get(`/api/inbox/threads${qs ? `?${qs}` : ''}`));
}

/** Raw thread row (what the database holds). */
export function threadRow(t: TestApp, id: string) {
  return t.ctx.db.selectFrom('inbox_threads').selectAll().where('id', '=', id).executeTakeFirstOrThrow();
}
