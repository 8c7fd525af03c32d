import type { Executor } from '../../db/database.ts';

/** Stores a provider's event once: true the first time, false for a repeat (the event is then ignored). */
export async function recordProviderEvent(tx: Executor, provider: string, eventId: string): Promise<boolean> {
  const fresh = await tx
    .insertInto('provider_events')
    .values({ provider, event_id: eventId.slice(0, 300) })
    .onConflict((oc) => oc.doNothing())
    .returning('event_id')
    .executeTakeFirst();
  return fresh !== undefined;
}
