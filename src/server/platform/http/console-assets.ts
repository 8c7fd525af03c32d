import fs from 'node:fs';
import path from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance } from 'fastify';
import { sendProblem } from './problem.ts';

/**
 * Serves the built console (dist/web): hashed assets under /assets, and index.html for every other GET
 * that is not an API call, so the console's own router handles deep links. API misses get a problem.
 * A console built while the server runs (`npm run build:web`) is served from the next request on.
 */
export async function installConsoleAssets(app: FastifyInstance, webRoot: string): Promise<void> {
  let isBuilt = false;
  const hasBuild = () => {
    isBuilt ||= fs.existsSync(path.join(webRoot, 'index.html'));
    return isBuilt;
  };
  await app.register(fastifyStatic, { root: path.resolve(webRoot), serve: false });

  app.get(
    '/assets/*',
    { config: { access: { public: true, reason: 'console static files' } }, schema: { hide: true } },
    async (request, reply) => {
      const file = (request.params as { '*': string })['*'];
      if (!hasBuild() || file.includes('..'))
        return sendProblem(reply, request, 'not_found', 'No such file.');
      return reply
        .header('cache-control', 'public, max-age=31536000, immutable')
        .sendFile(path.join('assets', file));
    },
  );

  app.setNotFoundHandler((request, reply) => {
    const isPage =
      (request.method === 'GET' || request.method === 'HEAD') &&
      !request.url.startsWith('/api/') &&
      request.url !== '/api';
    if (!isPage) {
      return sendProblem(
        reply,
        request,
        'not_found',
        `There is no ${request.method} ${request.url.split('?')[0]} endpoint.`,
      );
    }
    reply.header('cache-control', 'no-store');
    if (!hasBuild()) {
      return reply
        .type('text/plain; charset=utf-8')
        .send(
          'The Candor console is not built yet. Run `npm run build:web` (npm start does it for you), then reload.',
        );
    }
    return reply.sendFile('index.html');
  });
}
