import type { Executor } from '../../db/database.ts';

/** SQL on `inbox_verifications`: one pending code per thread (its keyed hash), its tries and its expiry. */

export function findVerification(db: Executor, threadId: string) {
  return db
    .selectFrom('inbox_verifications')
    .selectAll()
    .where('thread_id', '=', threadId)
    .executeTakeFirst();
}

/** A new code for the thread, replacing any earlier one (tries reset, not verified). */
export async function replaceVerification(
  tx: Executor,
  code: { threadId: string; codeHash: Buffer; channel: 'email' | 'sms'; expiresAt: Date },
): Promise<void> {
  await tx
    .insertInto('inbox_verifications')
    .values({
      thread_id: code.threadId,
      code_hash: code.codeHash,
      channel: code.channel,
      expires_at: code.expiresAt,
    })
    .onConflict((oc) =>
      oc.column('thread_id').doUpdateSet({
        code_hash: code.codeHash,
        channel: code.channel,
        sent_at: new Date(),
        expires_at: code.expiresAt,
        attempts: 0,
        verified_at: null,
      }),
    )
    .execute();
}

/** One more wrong try (the caller holds the thread's lock). */
export async function recordWrongCode(tx: Executor, threadId: string, attempts: number): Promise<void> {
  await tx.updateTable('inbox_verifications').set({ attempts }).where('thread_id', '=', threadId).execute();
}

export async function markCodeVerified(tx: Executor, threadId: string, at: Date): Promise<void> {
  await tx
    .updateTable('inbox_verifications')
    .set({ verified_at: at })
    .where('thread_id', '=', threadId)
    .execute();
}
