import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import * as contract from '../../../shared/contracts/campaigns.ts';
import { idParams } from '../../../shared/contracts/common.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { type OutboundModule, outboxPage, outboxQuery, outboxSearchBody } from '../outbound/index.ts';
import * as codes from './activation-codes.ts';
import { approveVariant } from './campaign-approval.service.ts';
import { createCampaign, updateCampaign } from './campaign-edit.service.ts';
import { moveCampaign, startCampaign } from './campaign-lifecycle.service.ts';
import { getCampaign, listCampaigns } from './campaign-read.service.ts';
import { campaignStatus } from './campaign-status.service.ts';
import * as preview from './preview.ts';

export function campaignsRoutes(
  deps: Pick<PlatformContext, 'db' | 'config' | 'crypto'> & {
    outbox: () => OutboundModule['outbox'];
    /** People per transaction when a start creates the delivery rows. */
    prepareBatch: number;
  },
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['campaigns'];
    const read = { access: { permission: 'campaigns:read' as const } };
    const write = { access: { permission: 'campaigns:write' as const } };

    app.get(
      '/api/incidents/:id/campaigns',
      { config: read, schema: { tags, params: idParams, response: { 200: contract.campaignList } } },
      async (request) => ({ campaigns: await listCampaigns(deps.db, request.params.id) }),
    );
    app.post(
      '/api/incidents/:id/campaigns',
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.campaignInput,
          response: { 200: contract.campaignDto },
        },
      },
      async (request) => createCampaign(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.get(
      '/api/campaigns/:id',
      {
        config: read,
        schema: { tags, params: contract.campaignParams, response: { 200: contract.campaignDto } },
      },
      async (request) => getCampaign(deps.db, request.params.id),
    );
    app.put(
      '/api/campaigns/:id',
      {
        config: write,
        schema: {
          tags,
          params: contract.campaignParams,
          body: contract.campaignInput,
          response: { 200: contract.campaignDto },
        },
      },
      async (request) => updateCampaign(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/campaigns/:id/variants/:variantId/approve',
      {
        config: { access: { permission: 'campaigns:approve' } },
        schema: {
          tags,
          params: contract.variantParams,
          body: z.object({ version: z.number().int().positive() }),
          response: { 200: contract.campaignDto },
        },
      },
      async (request) =>
        approveVariant(
          deps,
          request.params.id,
          request.params.variantId,
          request.body.version,
          requestMeta(request),
        ),
    );
    app.post(
      '/api/campaigns/:id/start',
      {
        config: write,
        schema: {
          tags,
          params: contract.campaignParams,
          body: contract.startRequest,
          response: { 200: contract.campaignDto },
        },
      },
      async (request) =>
        startCampaign(
          deps,
          request.params.id,
          request.body.at ? new Date(request.body.at) : null,
          requestMeta(request),
        ),
    );
    for (const action of ['pause', 'resume', 'cancel'] as const) {
      app.post(
        `/api/campaigns/:id/${action}`,
        {
          config: write,
          schema: { tags, params: contract.campaignParams, response: { 200: contract.campaignDto } },
        },
        async (request) => moveCampaign(deps, request.params.id, action, requestMeta(request)),
      );
    }
    app.get(
      '/api/campaigns/:id/status',
      {
        config: read,
        schema: { tags, params: contract.campaignParams, response: { 200: contract.campaignStatusDto } },
      },
      async (request) => campaignStatus(deps.db, request.params.id),
    );
    app.get(
      '/api/campaigns/:id/preview',
      {
        config: read,
        schema: {
          tags,
          params: contract.campaignParams,
          querystring: contract.previewQuery,
          response: { 200: contract.previewDto },
        },
      },
      async (request) => preview.previewSample(deps, request.params.id, request.query),
    );
    app.post(
      '/api/campaigns/:id/preview-person',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: {
          tags,
          params: contract.campaignParams,
          body: contract.previewPersonRequest,
          response: { 200: contract.previewDto },
        },
      },
      async (request) => preview.previewPerson(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/campaigns/:id/test-send',
      {
        config: write,
        schema: {
          tags,
          params: contract.campaignParams,
          body: contract.testSendRequest,
          response: { 200: z.object({ ok: z.literal(true), transport: z.string() }) },
        },
      },
      async (request) => preview.testSend(deps, request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      '/api/campaigns/:id/activation-codes',
      {
        config: write,
        bodyLimit: 25_000_000,
        schema: {
          tags,
          params: contract.campaignParams,
          body: contract.activationCodesRequest,
          response: { 200: contract.activationCodesResponse },
        },
      },
      async (request) => codes.importCodes(deps, request.params.id, request.body.csv, requestMeta(request)),
    );
    app.get(
      '/api/campaigns/:id/outbox',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: {
          tags,
          params: contract.campaignParams,
          querystring: outboxQuery,
          response: { 200: outboxPage },
        },
      },
      async (request) => deps.outbox().campaign(request.params.id, request.query, requestMeta(request)),
    );
    // By recipient: POST, so the address or number searched for never travels in a URL.
    app.post(
      '/api/campaigns/:id/outbox/search',
      {
        config: { access: { permission: 'people:read_pii' } },
        schema: {
          tags,
          params: contract.campaignParams,
          body: outboxSearchBody,
          response: { 200: outboxPage },
        },
      },
      async (request) => deps.outbox().campaign(request.params.id, request.body, requestMeta(request)),
    );
  };
}
