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
function isServerRendered(path: string): boolean {
  return path === '/n' || path.startsWith('/n/') || isApi(path);
}

/**
 * CSP that allows only our own scripts (no inline, no third parties) and no framing; the rest of what a
 * browser is told on every response (Helmet's set of headers, written out so it is computed once).
 */
function contentSecurityPolicy(styleSrc: string, isHttps: boolean): string {
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src ${styleSrc}`,
    "img-src 'self' data:",
    "font-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
    ...(isHttps ? ['upgrade-insecure-requests'] : []),
  ].join(';');
}

/** The headers set on every request, for a server-rendered path (notice site, API) or the console. */
export function securityHeaders(options: {
  isHttps: boolean;
  isServerRendered: boolean;
}): Record<string, string> {
  return {
    'content-security-policy': contentSecurityPolicy(
      options.isServerRendered ? "'self'" : "'self' 'unsafe-inline'",
      options.isHttps,
    ),
    'cross-origin-opener-policy': 'same-origin',
    'cross-origin-resource-policy': 'same-origin',
    'origin-agent-cluster': '?1',
    'referrer-policy': 'no-referrer',
    ...(options.isHttps ? { 'strict-transport-security': 'max-age=31536000; includeSubDomains' } : {}),
    'x-content-type-options': 'nosniff',
    'x-dns-prefetch-control': 'off',
    'x-download-options': 'noopen',
    'x-frame-options': 'DENY',
    'x-permitted-cross-domain-policies': 'none',
    'x-xss-protection': '0',
  };
}

/**
 * The security headers on every response: HSTS only when served over https, the Permissions-Policy denying
 * device and payment features, and `Cache-Control: no-store` on every /api response unless the route
 * declares it cacheable. Both header sets are built once at start: per request this is one lookup and no
 * serialisation (@fastify/helmet built a new Helmet middleware, CSP included, for every request).
 */
export async function installSecurityHeaders(app: FastifyInstance, isHttps: boolean): Promise<void> {
  const serverRendered = securityHeaders({ isHttps, isServerRendered: true });
  const consoleHeaders = securityHeaders({ isHttps, isServerRendered: false });
  app.addHook('onRequest', (request, reply, done) => {
    reply.headers(isServerRendered(pathOf(request.url)) ? serverRendered : consoleHeaders);
    done();
  });
  // On the way out, so that no answer goes without it (errors raised before onRequest finished included).
  app.addHook('onSend', (request: FastifyRequest, reply, payload, done) => {
    reply.header('permissions-policy', PERMISSIONS_POLICY);
    if (isApi(pathOf(request.url))) {
      const declared = request.routeOptions.config as CacheDeclaration | undefined;
      if (declared?.cacheable !== true) reply.header('cache-control', 'no-store');
    }
    done(null, payload);
  });
}

/**
 * On staff sign-out: the browser drops what it cached of API answers and console pages, every cookie of this
 * origin, and local storage, so the next person at a shared computer finds nothing of the session.
 */
export const CLEAR_SITE_DATA = '"cache", "cookies", "storage"';
