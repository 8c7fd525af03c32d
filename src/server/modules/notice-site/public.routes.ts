import formBody from '@fastify/formbody';
import type { FastifyInstance } from 'fastify';
import { assetsPage } from './public/assets.ts';
import { contactPage } from './public/contact.ts';
import { feedPage } from './public/feed.ts';
import { lookupPage } from './public/lookup.ts';
import { notFoundPage } from './public/not-found.ts';
import { noticePage } from './public/notice-page.ts';
import { personalPage } from './public/personal-page.ts';
import { installPublicSafety } from './public/safety.ts';
import { createSiteContext, type PublicSiteDeps } from './public/site-context.ts';
import { subscribePage } from './public/subscribe.ts';
import { subscriptionLinksPage } from './public/subscription-links.ts';
import { verifyPage } from './public/verify.ts';

export type { PublicSiteDeps } from './public/site-context.ts';

/**
 * The public notice site under /n/<slug>: server-rendered pages for people with no account, one Fastify
 * plugin per page (`public/`) over a shared context (`public/site-context.ts`). Every form carries a
 * per-request token, is rate-limited, and answers the same way whatever it was given where the answer could
 * tell a stranger something (lookup, subscribe). Only the notice page, its feed and the site's files are
 * cacheable.
 */
const pages = [
  assetsPage,
  notFoundPage,
  noticePage,
  feedPage,
  lookupPage,
  verifyPage,
  contactPage,
  subscribePage,
  subscriptionLinksPage,
  personalPage,
];

export function publicSiteRoutes(deps: PublicSiteDeps) {
  return async function plugin(app: FastifyInstance) {
    const site = createSiteContext(deps);
    await app.register(formBody, { bodyLimit: 64 * 1024 });
    installPublicSafety(app, site);
    for (const page of pages) await app.register(page, { site });
  };
}
