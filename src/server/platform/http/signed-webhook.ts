import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { verifyTwilioSignature } from '../sms/twilio.signature.ts';
import { isPlausibleWebhook, verifyWebhookSignature } from '../sms/webhook.signature.ts';

/**
 * Provider webhooks (`/api/hooks/*`): public routes authenticated by a signature over the body. One helper
 * for every one of them, so none parses what a stranger sent before knowing it came from the provider:
 * 1. before a byte of the body is read, the signature headers must be there, well formed and fresh (our
 *    scheme), or present (Twilio's), and the secret configured: otherwise 401;
 * 2. the body is read as raw bytes, at most UNVERIFIED_BODY_LIMIT (64 kB) unless the route needs more
 *    (inbound email with attachments), and never parsed by a content-type parser;
 * 3. the signature is checked over those bytes (ours) and only then is the JSON parsed. Twilio signs the
 *    URL and the decoded form fields, so its form is decoded first, within the 64 kB limit.
 * A body that is too large is 413 before the HMAC; a verified body that is not JSON is 400.
 */
export const UNVERIFIED_BODY_LIMIT = 64 * 1024;

type Header = string | undefined;

function header(request: FastifyRequest, name: string): Header {
  const value = request.headers[name];
  return typeof value === 'string' ? value : undefined;
}

function rawBodyOf(request: FastifyRequest): Buffer {
  return Buffer.isBuffer(request.body) ? request.body : Buffer.alloc(0);
}

function refuse(reply: FastifyReply): FastifyReply {
  return reply.code(401).send({ error: 'bad signature' });
}

/**
 * Replaces the content-type parsers of this plugin's scope (call it first, in a plugin holding only webhook
 * routes): every body stays raw bytes, within the route's limit.
 */
export function installWebhookBodies(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    '*',
    { parseAs: 'buffer', bodyLimit: UNVERIFIED_BODY_LIMIT },
    (_request, body, done) => done(null, body),
  );
}

interface RouteBase {
  url: string;
  /** Why the route is public (the route table shows it). */
  reason: string;
  /** Larger than UNVERIFIED_BODY_LIMIT only where a genuine provider payload needs it. */
  bodyLimit?: number;
}

/** A webhook signed with our scheme (X-Candor-Timestamp, X-Candor-Signature); the handler gets the JSON. */
export function candorSignedRoute(
  app: FastifyInstance,
  options: RouteBase & {
    /** Read per request, so a secret set in the config is used as it is now. */
    secret: () => string | undefined;
    handler: (request: FastifyRequest, reply: FastifyReply, json: unknown) => Promise<unknown>;
  },
): void {
  app.post(
    options.url,
    {
      config: { access: { public: true, reason: options.reason } },
      bodyLimit: options.bodyLimit ?? UNVERIFIED_BODY_LIMIT,
      onRequest: async (request, reply) => {
        const plausible =
          Boolean(options.secret()) &&
          isPlausibleWebhook(header(request, 'x-candor-timestamp'), header(request, 'x-candor-signature'));
        if (!plausible) return refuse(reply);
      },
    },
    async (request, reply) => {
      const raw = rawBodyOf(request);
      const isGenuine = verifyWebhookSignature(
        options.secret() ?? '',
        raw,
        header(request, 'x-candor-timestamp'),
        header(request, 'x-candor-signature'),
      );
      if (!isGenuine) return refuse(reply);
      let json: unknown;
      try {
        json = JSON.parse(raw.toString('utf8'));
      } catch {
        return reply.code(400).send({ error: 'the body is not JSON' });
      }
      return options.handler(request, reply, json);
    },
  );
}

/** A webhook signed by Twilio (X-Twilio-Signature over the URL and form fields); the handler gets the fields. */
export function twilioSignedRoute(
  app: FastifyInstance,
  options: RouteBase & {
    authToken: () => string | undefined;
    /** The public URL Twilio was given, without the path (behind a proxy, not the one the server sees). */
    publicUrl: () => string;
    handler: (
      request: FastifyRequest,
      reply: FastifyReply,
      fields: Record<string, string>,
    ) => Promise<unknown>;
  },
): void {
  app.post(
    options.url,
    {
      config: { access: { public: true, reason: options.reason } },
      bodyLimit: options.bodyLimit ?? UNVERIFIED_BODY_LIMIT,
      onRequest: async (request, reply) => {
        if (!options.authToken() || !header(request, 'x-twilio-signature')) return refuse(reply);
      },
    },
    async (request, reply) => {
      const fields = Object.fromEntries(new URLSearchParams(rawBodyOf(request).toString('utf8')));
      const isGenuine = verifyTwilioSignature(
        options.authToken() ?? '',
        `${options.publicUrl()}${request.url}`,
        fields,
        header(request, 'x-twilio-signature'),
      );
      if (!isGenuine) return refuse(reply);
      return options.handler(request, reply, fields);
    },
  );
}
