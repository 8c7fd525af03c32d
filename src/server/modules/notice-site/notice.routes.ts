import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { idParams } from '../../../shared/contracts/common.ts';
import { noticeExposure as noticeExposureDto } from '../../../shared/contracts/consistency.ts';
import * as contract from '../../../shared/contracts/notice-site.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import type { OutboundModule } from '../outbound/index.ts';
import { feedbackComments, stats } from './activity.service.ts';
import { revokeAllLinks, setSlug } from './address.service.ts';
import { approveVersion, publishVersion } from './approval.service.ts';
import { noticeExposure } from './consistency.ts';
import type { Counters } from './counters.ts';
import { type Deps, noticeIncident } from './notice.deps.ts';
import { overview, preview } from './overview.service.ts';
import type { SiteCache } from './site.ts';
import { approveUpdate, createUpdate, editUpdate, publishUpdate } from './updates.service.ts';
import { getVersion, saveDraft, withConsistency } from './versions.service.ts';

/** The console's API for the notice site: drafts, approval, publication, updates, activity, the outbox. */
export function noticeRoutes(
  deps: Deps & {
    sites: SiteCache;
    counters: Counters;
    outbox: () => OutboundModule['outbox'];
  },
): FastifyPluginAsyncZod {
  return async (app) => {
    const tags = ['notice'];
    const read = { access: { permission: 'notice:read' as const } };
    const write = { access: { permission: 'notice:write' as const } };
    const approve = { access: { permission: 'notice:publish' as const } };
    const { versionParams, updateParams } = contract;
    const base = '/api/incidents/:id/notice-site';

    app.get(
      base,
      { config: read, schema: { tags, params: idParams, response: { 200: contract.noticeOverview } } },
      async (request) => overview(deps, request.params.id),
    );
    app.get(
      `${base}/versions/:versionId`,
      { config: read, schema: { tags, params: versionParams, response: { 200: contract.noticeVersion } } },
      async (request) =>
        withConsistency(
          deps.db,
          request.params.id,
          await getVersion(deps.db, request.params.id, request.params.versionId),
        ),
    );
    // Counts per category, never who: what the editor prefills and checks the texts against.
    app.get(
      `${base}/exposure`,
      { config: read, schema: { tags, params: idParams, response: { 200: noticeExposureDto } } },
      async (request) => noticeExposure(deps.db, request.params.id),
    );
    app.put(
      `${base}/draft`,
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.draftRequest,
          response: { 200: contract.noticeVersion },
        },
      },
      async (request) => saveDraft(deps, request.params.id, request.body.content, requestMeta(request)),
    );
    app.put(
      `${base}/slug`,
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.slugRequest,
          response: { 200: contract.noticeSlug },
        },
      },
      async (request) => {
        const before = await noticeIncident(deps.db, request.params.id);
        const result = await setSlug(deps, request.params.id, request.body.slug, requestMeta(request));
        deps.sites.invalidate(before.slug);
        return result;
      },
    );
    app.post(
      `${base}/versions/:versionId/approve`,
      { config: approve, schema: { tags, params: versionParams, response: { 200: contract.noticeVersion } } },
      async (request) =>
        approveVersion(deps, request.params.id, request.params.versionId, requestMeta(request)),
    );
    app.post(
      `${base}/versions/:versionId/publish`,
      {
        config: write,
        schema: { tags, params: versionParams, response: { 200: contract.noticeVersionContent } },
      },
      async (request) => {
        const result = await publishVersion(
          deps,
          request.params.id,
          request.params.versionId,
          requestMeta(request),
        );
        deps.sites.invalidate();
        return result;
      },
    );
    // An HTML page, not JSON: shown in the console's sandboxed iframe.
    app.get(
      `${base}/preview`,
      { config: read, schema: { tags, params: idParams, querystring: contract.previewQuery } },
      async (request, reply) => {
        const page = await preview(deps, request.params.id, request.query.versionId, request.query.locale);
        // Same-origin framing only, and nothing cached.
        return reply
          .header('content-type', 'text/html; charset=utf-8')
          .header('cache-control', 'no-store')
          .header('x-frame-options', 'SAMEORIGIN')
          .header(
            'content-security-policy',
            "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; script-src 'none'; frame-ancestors 'self'",
          )
          .send(page);
      },
    );

    app.post(
      `${base}/updates`,
      {
        config: write,
        schema: {
          tags,
          params: idParams,
          body: contract.updateRequest,
          response: { 200: contract.noticeUpdate },
        },
      },
      async (request) => createUpdate(deps, request.params.id, request.body.content, requestMeta(request)),
    );
    app.put(
      `${base}/updates/:updateId`,
      {
        config: write,
        schema: {
          tags,
          params: updateParams,
          body: contract.updateRequest,
          response: { 200: contract.noticeUpdate },
        },
      },
      async (request) =>
        editUpdate(
          deps,
          request.params.id,
          request.params.updateId,
          request.body.content,
          requestMeta(request),
        ),
    );
    app.post(
      `${base}/updates/:updateId/approve`,
      { config: approve, schema: { tags, params: updateParams, response: { 200: contract.noticeUpdate } } },
      async (request) =>
        approveUpdate(deps, request.params.id, request.params.updateId, requestMeta(request)),
    );
    app.post(
      `${base}/updates/:updateId/publish`,
      { config: write, schema: { tags, params: updateParams, response: { 200: contract.publishedUpdate } } },
      async (request) => {
        const result = await publishUpdate(
          deps,
          request.params.id,
          request.params.updateId,
          requestMeta(request),
        );
        deps.sites.invalidate();
        return result;
      },
    );

    app.get(
      `${base}/stats`,
      { config: read, schema: { tags, params: idParams, response: { 200: contract.noticeStats } } },
      async (request) => {
        await deps.counters.flush();
        return stats(deps.db, request.params.id);
      },
    );
    app.get(
      `${base}/feedback`,
      {
        config: read,
        schema: {
          tags,
          params: idParams,
          querystring: contract.feedbackQuery,
          response: { 200: contract.feedbackPage },
        },
      },
      async (request) =>
        feedbackComments(deps, request.params.id, request.query.before, requestMeta(request)),
    );
    // The site's messages hold addresses and personal links: for roles that may read personal data.
    app.get(
      `${base}/outbox`,
      {
        config: { access: { permission: 'people:read_pii' as const } },
        schema: {
          tags,
          params: idParams,
          querystring: contract.siteOutboxQuery,
          response: { 200: contract.siteOutboxPage },
        },
      },
      async (request) => deps.outbox().site(request.params.id, request.query, requestMeta(request)),
    );
    // By recipient: POST, so the address or number searched for never travels in a URL.
    app.post(
      `${base}/outbox/search`,
      {
        config: { access: { permission: 'people:read_pii' as const } },
        schema: {
          tags,
          params: idParams,
          body: contract.siteOutboxSearchBody,
          response: { 200: contract.siteOutboxPage },
        },
      },
      async (request) => deps.outbox().site(request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      `${base}/revoke-links`,
      { config: approve, schema: { tags, params: idParams, response: { 200: contract.linksRevoked } } },
      async (request) => revokeAllLinks(deps, request.params.id, requestMeta(request)),
    );
  };
}
