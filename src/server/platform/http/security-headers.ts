import type { IncomingMessage } from 'node:http';
import helmet from '@fastify/helmet';
import type { FastifyInstance, FastifyRequest } from 'fastify';

/**
 * Browser features no page of ours uses, denied to every page and anything it embeds, so an injected or
 * compromised script cannot ask for them. Clipboard and fullscreen stay allowed (the console copies codes).
 */
export const PERMISSIONS_POLICY = [
  'accelerometer',
  'ambient-light-sensor',
  'autoplay',
  'bluetooth',
  'browsing-topics',
  'camera',
  'display-capture',
  'encrypted-media',
  'geolocation',
  'gyroscope',
  'hid',
  'idle-detection',
  'magnetometer',
  'microphone',
  'midi',
  'payment',
  'screen-wake-lock',
  'serial',
  'usb',
  'xr-spatial-tracking',
]
  .map((feature) => `${feature}=()`)
  .join(', ');

/**
 * What a route declares (`config.cacheable: true`) to keep its own Cache-Control under /api. Nothing does
 * today: API answers carry personal data (a thread, a person, an export), so they are `no-store` by default
 * and a route that forgets to say so is still not kept by a browser, a proxy or a CDN.
 */
export interface CacheDeclaration {
  cacheable?: boolean;
}

function pathOf(url: string | undefined): string {
  return (url ?? '/').split('?', 1)[0] ?? '/';
}

function isApi(path: string): boolean {
  return path === '/api' || path.startsWith('/api/');
}

/**
 * `'unsafe-inline'` styles only where the console's HTML is served. The console (React + Mantine) injects
 * `<style>` elements at runtime and sets `style` attributes on its components (Mantine passes CSS variables
 * that way), which no hash or nonce can cover. The public notice site (`/n/…`, server-rendered for people who
 * may have been sent a phishing copy) uses only its stylesheet, and the API serves no HTML: neither allows
 * inline styles, so injected markup there cannot restyle a page (fake forms, hidden text).
 */
function styleSources(request: IncomingMessage): string {
  const path = pathOf(request.url);
  const isServerRendered = path === '/n' || path.startsWith('/n/') || isApi(path);
  return isServerRendered ? "'self'" : "'self' 'unsafe-inline'";
}

/**
 * CSP that allows only our own scripts (no inline, no third parties), no framing, no referrer, HSTS only
 * when served over https, a Permissions-Policy denying device and payment features on every response, and
 * `Cache-Control: no-store` on every /api response unless the route declares it cacheable.
 */
export async function installSecurityHeaders(app: FastifyInstance, isHttps: boolean): Promise<void> {
  await app.register(helmet, {
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: [styleSources],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'", 'data:'],
        connectSrc: ["'self'"],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'self'"],
        frameAncestors: ["'none'"],
        ...(isHttps ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    referrerPolicy: { policy: 'no-referrer' },
    strictTransportSecurity: isHttps ? { maxAge: 31_536_000, includeSubDomains: true } : false,
    crossOriginEmbedderPolicy: false,
    frameguard: { action: 'deny' },
  });
  app.addHook('onSend', async (request: FastifyRequest, reply, payload) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    if (isApi(pathOf(request.url))) {
      const declared = request.routeOptions.config as CacheDeclaration | undefined;
      if (declared?.cacheable !== true) reply.header('cache-control', 'no-store');
    }
    return payload;
  });
}

/**
 * On staff sign-out: the browser drops what it cached of API answers and console pages, every cookie of this
 * origin, and local storage, so the next person at a shared computer finds nothing of the session.
 */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';
