import { z } from 'zod';
import type { SmsReceipt } from './sms.types.ts';

const webhookReceiptSchema = z.object({
  id: z.string().regex(/^[\x21-\x7e]{1,200}$/),
  status: z.enum(['delivered', 'failed', 'undelivered', 'sent', 'queued']),
  permanent: z.boolean().optional(),
  error: z.union([z.string().trim().max(100), z.number().int()]).nullish(),
});

/**
 * A receipt posted by a webhook provider (JSON `{id, status, permanent?, error?}`, already signature-
 * checked), or null when the JSON is not one. `permanent` counts only on a failed or undelivered message.
 */
export function parseWebhookReceipt(json: unknown): SmsReceipt | null {
  const parsed = webhookReceiptSchema.safeParse(json);
  if (!parsed.success) return null;
  const { id, status, error } = parsed.data;
  return {
    providerId: id,
    state: status,
    permanent: (status === 'failed' || status === 'undelivered') && parsed.data.permanent === true,
    errorCode: error === undefined || error === null || error === '' ? null : String(error),
  };
}
