import type { FastifyPluginAsync } from 'fastify';
import { CHALLENGE_SCRIPT } from '../challenge-script.ts';
import { stylesheetFor } from '../render.ts';
import { readBranding } from '../site.ts';
import { CACHEABLE_ROUTE, type PagePluginOptions, PUBLIC_ROUTE } from './site-context.ts';

/**
 * The site's files: the proof-of-work script (a file, since the CSP allows no inline script), the stylesheet
 * (its address carries the rules' hash and the brand colour, so it is cached for good) and the logo.
 */
export const assetsPage: FastifyPluginAsync<PagePluginOptions> = async (app, { site }) => {
  app.get('/n/_assets/challenge.js', CACHEABLE_ROUTE, async (_request, reply) =>
    reply
      .header('content-type', 'text/javascript; charset=utf-8')
      .header('cache-control', 'public, max-age=3600')
      .send(CHALLENGE_SCRIPT),
  );

  app.get<{ Params: { file: string } }>('/n/_assets/:file', CACHEABLE_ROUTE, async (request, reply) => {
    const css = stylesheetFor(request.params.file);
    if (css === null) return site.notFound(request, reply);
    return reply
      .header('content-type', 'text/css; charset=utf-8')
      .header('cache-control', 'public, max-age=31536000, immutable')
      .send(css);
  });

  app.get('/n/_brand/logo', PUBLIC_ROUTE, async (request, reply) => {
    const branding = await readBranding(site.deps.db);
    if (!branding.logo) return site.notFound(request, reply);
    return reply
      .header('content-type', branding.logo.contentType)
      .header('cache-control', 'public, max-age=300')
      .header('x-content-type-options', 'nosniff')
      .send(Buffer.from(branding.logo.dataBase64, 'base64'));
  });
};
