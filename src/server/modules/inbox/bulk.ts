import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { notFound } from '../../platform/errors.ts';
import { type FactsMemo, factsFor, macroContext, renderMacro } from './macros.service.ts';
import {
  askSatisfaction,
  type Deps,
  filtered,
  type ListQuery,
  lockThreadRows,
  type Meta,
  sendReply,
} from './threads.service.ts';

/**
 * One answer to many threads: every thread matching the filter (or the ids given) gets the macro filled in
 * for it (personal variables only where verified), on its own channel, once: the bulk id is unique per
 * thread, so a retried request or a second click reaches nobody twice. Threads are done in batches, each in
 * its own transaction, so a surge of thousands does not hold one long transaction.
 */
const BATCH = 200;

export async function bulkReply(
  deps: Deps,
  input: {
    filter: Omit<ListQuery, 'limit' | 'cursor'> | { threadIds: string[] };
    macroId: string;
    close: boolean;
    bulkId?: string | undefined;
  },
  meta: Meta,
  onProgress?: (done: number, total: number) => void,
) {
  const macro = await deps.db
    .selectFrom('inbox_macros')
    .select(['id', 'subject', 'body'])
    .where('id', '=', input.macroId)
    .executeTakeFirst();
  if (!macro) throw notFound('The macro');
  const bulkId = input.bulkId ?? randomUUID();
  const actorId = meta.actor.type === 'user' ? meta.actor.id : null;
  const ids =
    'threadIds' in input.filter
      ? input.filter.threadIds
      : (
          await filtered(deps.db, deps.crypto, input.filter, actorId)
            .select('t.id')
            .where('t.status', '<>', 'solved')
            .execute()
        ).map((r) => r.id);
  const memo: FactsMemo = { incidents: new Map() };
  let replied = 0;
  let skipped = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await deps.db.transaction().execute(async (tx) => {
      const rows = await lockThreadRows(tx, batch);
      const sentTo: string[] = [];
      for (const row of rows) {
        const { context } = macroContext(await factsFor(deps, row, memo));
        const text = renderMacro(macro, context);
        const sent = await sendReply(deps, tx, row, { subject: text.subject, body: text.body, bulkId }, meta);
        if (sent) {
          replied += 1;
          sentTo.push(row.id);
          // Closing with the answer asks, like a solve by hand, how we did.
          if (input.close && row.status !== 'solved') await askSatisfaction(deps, tx, row);
        } else skipped += 1;
      }
      skipped += batch.length - rows.length;
      if (sentTo.length > 0) {
        await tx
          .updateTable('inbox_threads')
          .set({
            first_response_at: sql<Date>`coalesce(first_response_at, now())`,
            status: input.close ? 'solved' : 'pending',
            solved_at: input.close ? sql<Date>`coalesce(solved_at, now())` : null,
          })
          .where('id', 'in', sentTo)
          .execute();
      }
    });
    onProgress?.(Math.min(ids.length, i + BATCH), ids.length);
  }
  await deps.db.transaction().execute((tx) =>
    recordAudit(tx, {
      actor: meta.actor,
      action: 'inbox.bulk_replied',
      requestId: meta.requestId,
      details: { bulkId, macroId: input.macroId, replied, skipped, closed: input.close },
    }),
  );
  deps.kick();
  return { bulkId, replied, skipped };
}
