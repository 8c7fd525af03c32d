import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { campaignParams } from '../../../shared/contracts/campaigns.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import type { CampaignLane } from '../outbound/index.ts';
import * as letters from './letters.service.ts';

/**
 * Print batches and returned mail. A batch is taken by one POST that answers with the PDF (base64) and the
 * CSV manifest together: taking a batch marks its letters printed, so the two files must come from the
 * same call, and there is no batch table to fetch either from later. When nothing is waiting the answer is
 * 409 with a message saying so. A file lost on the way can be rendered again from its `batchId` (listed by
 * the summary); that changes nothing but is audited like the first print.
 *
 * Printing decrypts every name and address of the batch, so it needs `people:read_pii`, like the outbox.
 */
export const printRequest = z.object({
  paper: z.enum(['a4', 'letter']).default('a4'),
  limit: z.number().int().min(1).max(letters.MAX_BATCH).optional(),
});
export const letterBatchDto = z.object({
  batchId: z.string(),
  letters: z.number(),
  pages: z.number(),
  /** The print-ready PDF, base64. */
  pdf: z.string(),
  /** The vendor manifest (CSV, one row per letter, in print order). */
  manifest: z.string(),
});
export const batchParams = campaignParams.extend({
  batchId: z.string().regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z$/, 'A batch id from the summary.'),
});
export const returnedMailRequest = z.object({ csv: z.string().max(10_000_000) });
export const returnedMailResponse = z.object({
  matched: z.number(),
  alreadyBounced: z.number(),
  /** Line numbers (1-based, as in the file) that match no printed letter of this campaign. */
  unknown: z.array(z.number()),
});
export const letterSummaryDto = z.object({
  pending: z.number(),
  printed: z.number(),
  returned: z.number(),
  batches: z.array(z.object({ batchId: z.string(), letters: z.number() })),
});

export function lettersRoutes(
  deps: Pick<PlatformContext, 'db' | 'crypto'> & { engine: () => CampaignLane },
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['campaigns'];
    const toDto = (batch: letters.LetterBatch) => ({ ...batch, pdf: batch.pdf.toString('base64') });

    app.post(
      '/api/campaigns/:id/letters/print',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: { tags, params: campaignParams, body: printRequest, response: { 200: letterBatchDto } },
      },
      async (request) =>
        toDto(await letters.renderLetterBatch(deps, request.params.id, request.body, requestMeta(request))),
    );
    app.post(
      '/api/campaigns/:id/letters/batches/:batchId/reprint',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: {
          tags,
          params: batchParams,
          body: printRequest.pick({ paper: true }),
          response: { 200: letterBatchDto },
        },
      },
      async (request) =>
        toDto(
          await letters.reprintLetterBatch(
            deps,
            request.params.id,
            request.params.batchId,
            request.body,
            requestMeta(request),
          ),
        ),
    );
    app.post(
      '/api/campaigns/:id/letters/returned',
      {
        config: { access: { permission: 'campaigns:write' } },
        bodyLimit: 12_000_000,
        schema: {
          tags,
          params: campaignParams,
          body: returnedMailRequest,
          response: { 200: returnedMailResponse },
        },
      },
      async (request) =>
        letters.importReturnedMail(deps, request.params.id, request.body.csv, requestMeta(request)),
    );
    app.get(
      '/api/campaigns/:id/letters/summary',
      {
        config: { access: { permission: 'campaigns:read' } },
        schema: { tags, params: campaignParams, response: { 200: letterSummaryDto } },
      },
      async (request) => letters.letterSummary(deps.db, request.params.id),
    );
  };
}
