import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { MESSAGE_CONTEXT, SENDER_CONTEXT, SUBJECT_CONTEXT } from '../../src/server/modules/inbox/ingest.ts';
import { searchTerms } from '../../src/server/modules/inbox/search.ts';
import { blindLookup } from '../../src/server/modules/people/index.ts';
import type { PiiCrypto } from '../../src/server/platform/crypto/data-keys.ts';
import { progress } from './progress.ts';

/**
 * Seeds the inbox of bench:inbox set-based: threads are streamed with COPY (each thread's sender gets its own
 * blind index, the one per-thread hash), messages come from one INSERT … SELECT per chunk over a pool of
 * sealed bodies (a sealed body is bound to its column, not its row, so one ciphertext may serve many
 * messages), and the inbox's secondary indexes are dropped before and built once after, as a restore would.
 * Foreign-key triggers are off while messages are inserted (the rows are consistent by construction).
 *
 * The shape of a surge after a notice: 60 % open, 25 % pending, 15 % solved over 7 days, so most open
 * threads are past their SLA; half on the big incident, 2 % on a small one, the rest matched nobody; 1 % on
 * the bench agent ("me"), 20 % on four other agents; a quarter with two topics; a data-subject request on
 * every "delete my data" thread, a third of them completed. Bodies are 18 words from a 30-word vocabulary
 * (every common word is in most threads); each email or web thread also holds its sender's address as a
 * search term (as when a person writes it in the message), the rare term a search for a person finds.
 */
export interface InboxSeedPlan {
  threads: number;
  perThread: number;
  incidentId: string;
  smallIncidentId: string;
  meId: string;
  agentIds: readonly string[];
}

export const SEED_TOPICS = [
  'is_this_real',
  'credit_monitoring',
  'password',
  'delete_my_data',
  'legal_threat',
  'press',
] as const;
const WORDS =
  'account password letter notice credit freeze monitoring scam real bank card refund delete data lawyer reporter phone email address breach identity theft hacked worried angry thanks help please'.split(
    ' ',
  );
const BODY_POOL = 2_048;
const CHUNK = 20_000;
const DAY = 86_400_000;

const pick = <T>(list: readonly T[]) => list[Math.floor(Math.random() * list.length)]!;
const sentence = () => Array.from({ length: 18 }, () => pick(WORDS)).join(' ');
const hex = (b: Buffer) => `\\\\x${b.toString('hex')}`;
const iso = (t: number) => new Date(t).toISOString();

/** The address of seeded thread `i` (email and web threads), what a search for a person types. */
export const seededAddress = (i: number) => `person.${i}@example.org`;

type Crypto = Pick<PiiCrypto, 'encrypt' | 'blindIndex'>;

export async function seedInbox(url: string, crypto: Crypto, plan: InboxSeedPlan): Promise<void> {
  const client = new pg.Client({ connectionString: url, application_name: 'candor-bench-inbox-seed' });
  await client.connect();
  try {
    await client.query(`SET maintenance_work_mem = '1GB'`);
    const indexes = await dropSecondaryIndexes(client);
    const bodies = await sealBodies(client, crypto);
    const senders = {
      email: Array.from({ length: 64 }, (_, k) => crypto.encrypt(seededAddress(k), SENDER_CONTEXT)),
      sms: Array.from({ length: 64 }, (_, k) =>
        crypto.encrypt(`+1202555${String(k).padStart(4, '0')}`, SENDER_CONTEXT),
      ),
    };
    const subjects = Array.from({ length: 64 }, (_, k) => crypto.encrypt(`Question ${k}`, SUBJECT_CONTEXT));

    const seeding = progress('seeding threads', plan.threads, 'threads');
    for (let done = 0; done < plan.threads; done += CHUNK) {
      const n = Math.min(CHUNK, plan.threads - done);
      const lines: string[] = [];
      const messages = {
        thread: [] as string[],
        direction: [] as string[],
        body: [] as number[],
        at: [] as string[],
      };
      for (let i = done; i < done + n; i++) {
        const t = seedThread(i, crypto, plan, bodies.terms);
        const sealedSender = t.channel === 'sms' ? pick(senders.sms) : pick(senders.email);
        const subject = t.channel === 'email' ? hex(pick(subjects)) : '\\N';
        lines.push(
          [
            t.id,
            t.incidentId ?? '\\N',
            t.channel,
            hex(t.senderIdx),
            hex(sealedSender),
            t.pn ?? '\\N',
            t.status,
            iso(t.created),
            iso(t.lastMessageAt),
            subject,
            `{${t.topics.join(',')}}`,
            t.sentiment,
            t.priority,
            t.assigneeId ?? '\\N',
            t.firstResponseAt === null ? '\\N' : iso(t.firstResponseAt),
            iso(t.slaDueAt),
            t.solvedAt === null ? '\\N' : iso(t.solvedAt),
            t.dsrKind ?? '\\N',
            t.dsrDueAt === null ? '\\N' : iso(t.dsrDueAt),
            t.dsrCompletedAt === null ? '\\N' : iso(t.dsrCompletedAt),
            `{${t.searchTerms.join(',')}}`,
            plan.perThread,
          ].join('\t'),
        );
        t.bodies.forEach((body, k) => {
          messages.thread.push(t.id);
          messages.direction.push(k === 1 && t.status !== 'open' ? 'out' : 'in');
          messages.body.push(body);
          messages.at.push(iso(t.created + k * 60_000));
        });
      }
      await copyRows(
        client,
        `COPY inbox_threads (id, incident_id, channel, sender_idx, sender_sealed, pn, status, created_at,
          last_message_at, subject_sealed, topics, sentiment, priority, assignee_id, first_response_at,
          sla_due_at, solved_at, dsr_kind, dsr_due_at, dsr_completed_at, search_terms, messages) FROM STDIN`,
        `${lines.join('\n')}\n`,
      );
      // Foreign-key checks off for the messages only: the threads' own triggers (the inbox's counts) fire.
      await client.query(`SET session_replication_role = replica`);
      await client.query(
        `INSERT INTO inbox_messages (thread_id, direction, sealed, created_at)
         SELECT m.thread, m.direction, b.sealed, m.at
         FROM unnest($1::uuid[], $2::text[], $3::int[], $4::timestamptz[]) WITH ORDINALITY
           AS m(thread, direction, body, at, n)
         JOIN bench_bodies b ON b.idx = m.body
         ORDER BY m.n`,
        [messages.thread, messages.direction, messages.body, messages.at],
      );
      await client.query(`SET session_replication_role = origin`);
      seeding.update(done + n);
    }
    seeding.stop();

    const indexing = progress('building indexes', indexes.length, 'indexes');
    for (const [k, index] of indexes.entries()) {
      await client.query(index.def);
      indexing.update(k + 1, index.name);
    }
    indexing.stop();
    await client.query(`DROP TABLE bench_bodies`);
    await client.query(`VACUUM ANALYZE inbox_threads`);
    await client.query(`VACUUM ANALYZE inbox_messages`);
  } finally {
    await client.end();
  }
}

interface SeededThread {
  id: string;
  channel: 'web' | 'email' | 'sms';
  senderIdx: Buffer;
  incidentId: string | null;
  pn: number | null;
  status: 'open' | 'pending' | 'solved';
  created: number;
  lastMessageAt: number;
  topics: string[];
  sentiment: number;
  priority: number;
  assigneeId: string | null;
  firstResponseAt: number | null;
  slaDueAt: number;
  solvedAt: number | null;
  dsrKind: 'deletion' | null;
  dsrDueAt: number | null;
  dsrCompletedAt: number | null;
  searchTerms: string[];
  bodies: number[];
}

function seedThread(i: number, crypto: Crypto, plan: InboxSeedPlan, bodyTerms: string[][]): SeededThread {
  const channel = i % 10 === 0 ? ('sms' as const) : i % 3 === 0 ? ('web' as const) : ('email' as const);
  const sender = channel === 'sms' ? `+1202555${String(i % 10_000).padStart(4, '0')}` : seededAddress(i);
  const status = i % 20 < 12 ? ('open' as const) : i % 20 < 17 ? ('pending' as const) : ('solved' as const);
  const created = Date.now() - Math.random() * 7 * DAY;
  const bodies = Array.from({ length: plan.perThread }, () => Math.floor(Math.random() * BODY_POOL));
  const topics = [...new Set([pick(SEED_TOPICS), ...(i % 4 === 0 ? [pick(SEED_TOPICS)] : [])])];
  const terms = new Set(bodies.flatMap((b) => bodyTerms[b]!));
  if (channel !== 'sms') for (const term of searchTerms(crypto, sender)) terms.add(term);
  const incidentId = i % 2 === 0 ? plan.incidentId : i % 50 === 1 ? plan.smallIncidentId : null;
  const isDsr = topics.includes('delete_my_data');
  return {
    id: randomUUID(),
    channel,
    senderIdx: blindLookup(crypto, { kind: channel === 'sms' ? 'phone' : 'email', value: sender })!.index,
    incidentId,
    pn: incidentId && i % 4 === 0 ? i : null,
    status,
    created,
    lastMessageAt: created + (plan.perThread - 1) * 60_000,
    topics,
    sentiment: Math.round((Math.random() * 4 - 2) * 100) / 100,
    priority: Math.floor(Math.random() * 100),
    assigneeId: i % 100 === 7 ? plan.meId : i % 5 === 1 ? plan.agentIds[i % plan.agentIds.length]! : null,
    firstResponseAt: status === 'open' ? null : created + 3_600_000,
    slaDueAt: created + (channel === 'sms' ? 8 : 24) * 3_600_000,
    solvedAt: status === 'solved' ? created + 2 * 3_600_000 : null,
    dsrKind: isDsr ? 'deletion' : null,
    dsrDueAt: isDsr ? created + 30 * DAY : null,
    dsrCompletedAt: isDsr && i % 3 === 0 ? created + DAY : null,
    searchTerms: [...terms],
    bodies,
  };
}

/** A pool of sealed message bodies in a scratch table, and each body's search terms. */
async function sealBodies(client: pg.Client, crypto: Crypto): Promise<{ terms: string[][] }> {
  await client.query(`CREATE UNLOGGED TABLE bench_bodies (idx integer PRIMARY KEY, sealed bytea NOT NULL)`);
  const terms: string[][] = [];
  const lines: string[] = [];
  for (let k = 0; k < BODY_POOL; k++) {
    const body = sentence();
    terms.push(searchTerms(crypto, body));
    const sealed = crypto.encrypt(JSON.stringify({ name: null, subject: null, body }), MESSAGE_CONTEXT);
    lines.push(`${k}\t${hex(sealed)}`);
  }
  await copyRows(client, `COPY bench_bodies (idx, sealed) FROM STDIN`, `${lines.join('\n')}\n`);
  return { terms };
}

/** The inbox tables' indexes that no constraint needs, dropped; their definitions to build them again. */
async function dropSecondaryIndexes(client: pg.Client): Promise<Array<{ name: string; def: string }>> {
  const { rows } = await client.query<{ name: string; def: string }>(
    `SELECT i.indexrelid::regclass::text AS name, pg_get_indexdef(i.indexrelid) AS def
     FROM pg_index i
     WHERE i.indrelid IN ('inbox_threads'::regclass, 'inbox_messages'::regclass)
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)
     ORDER BY 1`,
  );
  for (const index of rows) await client.query(`DROP INDEX ${index.name}`);
  return rows;
}

async function copyRows(client: pg.Client, statement: string, text: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const stream = client.query(copyFrom(statement));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    stream.end(text);
  });
}
