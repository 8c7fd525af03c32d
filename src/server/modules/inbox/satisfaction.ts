import formBody from '@fastify/formbody';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { PlatformContext } from '../../platform/context.ts';
import type { PiiCrypto } from '../../platform/crypto/data-keys.ts';
import { openToken, signToken, uuidPayload } from '../../platform/crypto/signed-tokens.ts';
import { esc, layout, messageBox, readBranding, type SiteFrame } from '../notice-site/index.ts';

/**
 * The satisfaction question sent when a thread is solved: a signed link to a page with five buttons; one
 * click records the answer (the latest counts). The page is served with the notice site, under /n/_rate/.
 */
export function satisfactionToken(crypto: Pick<PiiCrypto, 'blindIndex'>, threadId: string): string {
  return signToken(crypto, 'satisfaction', uuidPayload.encode(threadId));
}

export function readSatisfactionToken(crypto: Pick<PiiCrypto, 'blindIndex'>, token: string): string | null {
  const payload = openToken(crypto, 'satisfaction', token);
  return payload === null ? null : uuidPayload.decode(payload);
}

const words = {
  en: {
    title: 'How did we do?',
    intro: 'Rate the answer you received, from 1 (poor) to 5 (excellent).',
    scale: ['1 · Poor', '2 · Fair', '3 · Good', '4 · Very good', '5 · Excellent'],
    thanks: 'Thank you: your rating is recorded.',
    invalid: 'This link does not work. It may have been copied incompletely.',
  },
  es: {
    title: '¿Qué tal lo hicimos?',
    intro: 'Valora la respuesta que recibiste, de 1 (mala) a 5 (excelente).',
    scale: ['1 · Mala', '2 · Regular', '3 · Buena', '4 · Muy buena', '5 · Excelente'],
    thanks: 'Gracias: hemos registrado tu valoración.',
    invalid: 'Este enlace no funciona. Puede que se copiara incompleto.',
  },
} as const;

export function satisfactionRoutes(deps: Pick<PlatformContext, 'db' | 'crypto'>) {
  return async (app: FastifyInstance) => {
    await app.register(formBody, { bodyLimit: 4 * 1024 });
    const PUBLIC = {
      access: { public: true as const, reason: 'satisfaction question after a solved inquiry' },
    };

    async function render(
      reply: FastifyReply,
      status: number,
      threadLocale: string,
      body: (l: 'en' | 'es') => string,
    ) {
      const l = threadLocale === 'es' ? 'es' : 'en';
      const branding = await readBranding(deps.db);
      const frame: SiteFrame = {
        slug: '',
        locale: l,
        locales: [l],
        companyName: branding.companyName,
        primaryColor: branding.primaryColor,
        hasLogo: branding.logo !== null,
      };
      return reply
        .code(status)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(
          layout(frame, {
            title: words[l].title,
            path: '/',
            body: `<h1>${esc(words[l].title)}</h1>${body(l)}`,
          }),
        );
    }

    async function threadOf(token: string) {
      const id = readSatisfactionToken(deps.crypto, token);
      if (!id) return null;
      return deps.db
        .selectFrom('inbox_threads')
        .select(['id', 'locale', 'satisfaction'])
        .where('id', '=', id)
        .executeTakeFirst();
    }

    app.get<{ Params: { token: string } }>(
      '/n/_rate/:token',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const thread = await threadOf(request.params.token);
        if (!thread) return render(reply, 404, 'en', (l) => `<p>${esc(words[l].invalid)}</p>`);
        return render(
          reply,
          200,
          thread.locale,
          (l) =>
            `<p>${esc(words[l].intro)}</p><form method="post" action="/n/_rate/${esc(request.params.token)}"><div class="scale">${words[
              l
            ].scale
              .map(
                (label, i) =>
                  `<button type="submit" name="rating" value="${i + 1}"${thread.satisfaction === i + 1 ? ' aria-pressed="true"' : ''}>${esc(label)}</button>`,
              )
              .join('')}</div></form>`,
        );
      },
    );

    app.post<{ Params: { token: string }; Body: { rating?: string } }>(
      '/n/_rate/:token',
      { config: PUBLIC, schema: { hide: true } },
      async (request, reply) => {
        const thread = await threadOf(request.params.token);
        if (!thread) return render(reply, 404, 'en', (l) => `<p>${esc(words[l].invalid)}</p>`);
        const rating = Number((request.body as { rating?: string } | undefined)?.rating);
        if (!Number.isInteger(rating) || rating < 1 || rating > 5) {
          return render(reply, 400, thread.locale, (l) => `<p>${esc(words[l].intro)}</p>`);
        }
        await deps.db
          .updateTable('inbox_threads')
          .set({ satisfaction: rating })
          .where('id', '=', thread.id)
          .execute();
        return render(reply, 200, thread.locale, (l) => messageBox('ok', words[l].thanks, ''));
      },
    );
  };
}
