import { z } from 'zod';

/** Building blocks: every string trimmed and bounded, ids validated. */
export const id = z.uuid();
export const email = z
  .string()
  .trim()
  .toLowerCase()
  .max(254)
  .pipe(z.email({ message: 'Enter a valid email address.' }));
export const isoDate = z.string().datetime({ offset: true });
export const idParams = z.object({ id });
export const okResponse = z.object({ ok: z.literal(true) });
