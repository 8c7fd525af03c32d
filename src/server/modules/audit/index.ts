import type { PlatformContext } from '../../platform/context.ts';
import { auditRoutes } from './audit.routes.ts';

/** Browsing, verifying and exporting the audit log (writing it is a platform service). */
export function createAuditModule(ctx: Pick<PlatformContext, 'db'>) {
  return { routes: [auditRoutes(ctx)] };
}
