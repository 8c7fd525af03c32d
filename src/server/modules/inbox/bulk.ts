import { randomUUID } from 'node:crypto';
import type { BulkReplyInput, BulkReplyResult } from '../../../shared/contracts/inbox.ts';
import { recordAudit } from '../../platform/audit/audit-log.ts';
import { notFound } from '../../platform/errors.ts';
import { actorUserId, type Deps, type Meta } from './inbox.deps.ts';
import { type FactsMemo, factsFor, macroContext, renderMacro } from './macros.service.ts';
import { askSatisfaction, sendReply } from './thread-reply.service.ts';
import { lockThreads, markAnswered, unsolvedThreadIds } from './threads.repository.ts';
import { threadFilterOf } from './threads-list.service.ts';

/**
 * One answer to many threads: every thread matching the filter (or the ids given) gets the macro filled in
 * for it (personal variables only where verified), on its own channel, once: the bulk id is unique per
 * thread, so a retried request or a second click reaches nobody twice. Threads are done in batches, each in
 * its own transaction, so a surge of thousands does not hold one long transaction.
 */
const BATCH = 200;

export async function bulkReply(
  deps: Deps,
  input: BulkReplyInput,
  meta: Meta,
  onProgress?: (done: number, total: number) => void,
): Promise<BulkReplyResult> {
  const macro = await deps.db
    .selectFrom('inbox_macros')
    .select(['id', 'subject', 'body'])
    .where('id', '=', input.macroId)
    .executeTakeFirst();
  if (!macro) throw notFound('The macro');
  const bulkId = input.bulkId ?? randomUUID();
  const ids =
    'threadIds' in input.filter
      ? input.filter.threadIds
      : await unsolvedThreadIds(deps.db, threadFilterOf(deps.crypto, input.filter, actorUserId(meta)));
  const memo: FactsMemo = { incidents: new Map() };
  let replied = 0;
  let skipped = 0;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = ids.slice(i, i + BATCH);
    await deps.db.transaction().execute(async (tx) => {
      const rows = await lockThreads(tx, batch);
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
      await markAnswered(tx, sentTo, input.close ? 'solved' : 'pending');
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
