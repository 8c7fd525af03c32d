import type { FastifyPluginAsyncZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { idParams } from '../../../shared/contracts/common.ts';
import { noticeExposure as noticeExposureDto } from '../../../shared/contracts/consistency.ts';
import type { PlatformContext } from '../../platform/context.ts';
import { requestMeta } from '../../platform/http/actors.ts';
import { type OutboundModule, siteOutboxQuery, siteOutboxSearchBody } from '../outbound/index.ts';
import { noticeExposure } from './consistency.ts';
import {
  brandingSchema,
  noticeContentSchema,
  siteLocales,
  slugSchema,
  updateContentSchema,
} from './content.ts';
import type { Counters } from './counters.ts';
import * as notice from './notice.service.ts';
import type { SiteCache } from './site.ts';

/** The console's API for the notice site: drafts, approval, publication, updates, activity, branding. */
export function noticeRoutes(
  deps: Pick<PlatformContext, 'db' | 'crypto' | 'config'> & {
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
    const versionParams = z.object({ id: z.uuid(), versionId: z.uuid() });
    const updateParams = z.object({ id: z.uuid(), updateId: z.uuid() });
    const base = '/api/incidents/:id/notice';

    app.get(base, { config: read, schema: { tags, params: idParams } }, async (request) =>
      notice.overview(deps, request.params.id),
    );
    app.get(
      `${base}/versions/:versionId`,
      { config: read, schema: { tags, params: versionParams } },
      async (request) =>
        notice.withConsistency(
          deps.db,
          request.params.id,
          await notice.getVersion(deps.db, request.params.id, request.params.versionId),
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
      { config: write, schema: { tags, params: idParams, body: z.object({ content: noticeContentSchema }) } },
      async (request) =>
        notice.saveDraft(deps, request.params.id, request.body.content, requestMeta(request)),
    );
    app.put(
      `${base}/slug`,
      { config: write, schema: { tags, params: idParams, body: z.object({ slug: slugSchema }) } },
      async (request) => {
        const before = await notice.overview(deps, request.params.id);
        const result = await notice.setSlug(deps, request.params.id, request.body.slug, requestMeta(request));
        deps.sites.invalidate(before.slug);
        return result;
      },
    );
    app.post(
      `${base}/versions/:versionId/approve`,
      { config: approve, schema: { tags, params: versionParams } },
      async (request) =>
        notice.approveVersion(deps, request.params.id, request.params.versionId, requestMeta(request)),
    );
    app.post(
      `${base}/versions/:versionId/publish`,
      { config: write, schema: { tags, params: versionParams } },
      async (request) => {
        const result = await notice.publishVersion(
          deps,
          request.params.id,
          request.params.versionId,
          requestMeta(request),
        );
        deps.sites.invalidate();
        return result;
      },
    );
    app.get(
      `${base}/preview`,
      {
        config: read,
        schema: {
          tags,
          params: idParams,
          querystring: z.object({ versionId: z.uuid(), locale: z.enum(siteLocales).default('en') }),
        },
      },
      async (request, reply) => {
        const page = await notice.preview(
          deps,
          request.params.id,
          request.query.versionId,
          request.query.locale,
        );
        // Shown in the console's sandboxed iframe: same-origin framing only, and nothing cached.
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
      { config: write, schema: { tags, params: idParams, body: z.object({ content: updateContentSchema }) } },
      async (request) =>
        notice.createUpdate(deps, request.params.id, request.body.content, requestMeta(request)),
    );
    app.put(
      `${base}/updates/:updateId`,
      {
        config: write,
        schema: { tags, params: updateParams, body: z.object({ content: updateContentSchema }) },
      },
      async (request) =>
        notice.editUpdate(
          deps,
          request.params.id,
          request.params.updateId,
          request.body.content,
          requestMeta(request),
        ),
    );
    app.post(
      `${base}/updates/:updateId/approve`,
      { config: approve, schema: { tags, params: updateParams } },
      async (request) =>
        notice.approveUpdate(deps, request.params.id, request.params.updateId, requestMeta(request)),
    );
    app.post(
      `${base}/updates/:updateId/publish`,
      { config: write, schema: { tags, params: updateParams } },
      async (request) => {
        const result = await notice.publishUpdate(
          deps,
          request.params.id,
          request.params.updateId,
          requestMeta(request),
        );
        deps.sites.invalidate();
        return result;
      },
    );

    app.get(`${base}/stats`, { config: read, schema: { tags, params: idParams } }, async (request) => {
      await deps.counters.flush();
      return notice.stats(deps.db, request.params.id);
    });
    app.get(
      `${base}/feedback`,
      {
        config: read,
        schema: { tags, params: idParams, querystring: z.object({ before: z.string().max(40).optional() }) },
      },
      async (request) =>
        notice.feedbackComments(deps, request.params.id, request.query.before, requestMeta(request)),
    );
    // The site's messages hold addresses and personal links: for roles that may read personal data.
    app.get(
      `${base}/outbox`,
      {
        config: { access: { permission: 'people:read_pii' as const } },
        schema: {
          tags,
          params: idParams,
          querystring: siteOutboxQuery,
        },
      },
      async (request) => deps.outbox().site(request.params.id, request.query, requestMeta(request)),
    );
    // By recipient: POST, so the address or number searched for never travels in a URL.
    app.post(
      `${base}/outbox/search`,
      {
        config: { access: { permission: 'people:read_pii' as const } },
        schema: { tags, params: idParams, body: siteOutboxSearchBody },
      },
      async (request) => deps.outbox().site(request.params.id, request.body, requestMeta(request)),
    );
    app.post(
      `${base}/revoke-links`,
      { config: approve, schema: { tags, params: idParams } },
      async (request) => notice.revokeAllLinks(deps, request.params.id, requestMeta(request)),
    );

    app.get(
      '/api/settings/branding',
      { config: { access: { permission: 'settings:read' as const } }, schema: { tags } },
      async () => notice.getBranding(deps.db),
    );
    app.put(
      '/api/settings/branding',
      {
        config: { access: { permission: 'settings:manage' as const } },
        schema: {
          tags,
          body: brandingSchema.extend({ logo: brandingSchema.shape.logo.optional() }),
        },
      },
      async (request) => {
        const result = await notice.setBranding(deps, request.body, requestMeta(request));
        deps.sites.invalidate();
        return result;
      },
    );
  };
}
