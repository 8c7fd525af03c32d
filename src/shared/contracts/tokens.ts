import { z } from 'zod';
import { roles } from '../permissions.ts';

export const apiTokenSummary = z.object({
  id: z.string(),
  name: z.string(),
  prefix: z.string(),
  role: z.enum(roles),
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const apiTokenList = z.object({ tokens: z.array(apiTokenSummary) });

export const createTokenRequest = z.object({
  name: z.string().trim().min(1).max(100),
  role: z.enum(roles),
  expiresInDays: z.number().int().min(1).max(730).optional(),
});
/** `token` is shown this once; only its hash is stored. */
export const createTokenResponse = z.object({ token: z.string(), summary: apiTokenSummary });

export type ApiTokenSummary = z.infer<typeof apiTokenSummary>;
