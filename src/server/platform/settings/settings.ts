import type { z } from 'zod';
import type { Executor } from '../../db/database.ts';

/**
 * Installation settings, one JSON value per key, each read through its Zod schema with a default: a value
 * written by an older version that no longer parses falls back to the default rather than breaking reads.
 */
export async function readSetting<T extends z.ZodType>(
  db: Executor,
  key: string,
  schema: T,
  fallback: z.output<T>,
): Promise<z.output<T>> {
  const row = await db.selectFrom('settings').select('value').where('key', '=', key).executeTakeFirst();
  if (!row) return fallback;
  const parsed = schema.safeParse(row.value);
  return parsed.success ? parsed.data : fallback;
}

export async function writeSetting(
  db: Executor,
  key: string,
  value: unknown,
  updatedBy: string,
): Promise<void> {
  await db
    .insertInto('settings')
    .values({ key, value: JSON.stringify(value), updated_by: updatedBy })
    .onConflict((oc) =>
      oc
        .column('key')
        .doUpdateSet({ value: JSON.stringify(value), updated_by: updatedBy, updated_at: new Date() }),
    )
    .execute();
}
