/**
 * API paths published before the server took the console's vocabulary (issue 15) keep working: a request
 * to an old path is routed, before Fastify's router sees it, to the route that now serves it. The route's
 * permission, audit and schemas are the new route's; the old path appears in no route table.
 *
 * | Old path (still answered)               | Path now                                      |
 * | --------------------------------------- | --------------------------------------------- |
 * | `/api/incidents/:id/notice[/…]`         | `/api/incidents/:id/notice-site[/…]`          |
 */
const aliases: ReadonlyArray<{ from: RegExp; to: string }> = [
  { from: /^(\/api\/incidents\/[^/?#]+\/)notice(?=[/?#]|$)/, to: '$1notice-site' },
];

/** The path a request URL is served at (Fastify's `rewriteUrl`). */
export function rewriteApiAlias(url: string | undefined): string {
  if (!url?.startsWith('/api/')) return url ?? '/';
  for (const alias of aliases) if (alias.from.test(url)) return url.replace(alias.from, alias.to);
  return url;
}
