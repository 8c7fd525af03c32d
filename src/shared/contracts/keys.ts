import { z } from 'zod';

export const dataKeySummary = z.object({
  id: z.string(),
  purpose: z.enum(['encryption', 'blind_index']),
  masterKeyId: z.string(),
  isActive: z.boolean(),
  createdAt: z.string(),
  rewrappedAt: z.string().nullable(),
});
export const dataKeyList = z.object({
  keys: z.array(dataKeySummary),
  masterKeySource: z.enum(['file', 'env']),
});
export const rotationResponse = z.object({
  newDataKeyId: z.string(),
  rewrapped: z.number(),
  masterKeyId: z.string(),
});
