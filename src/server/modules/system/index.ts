import type { PlatformContext } from '../../platform/context.ts';
import { systemRoutes } from './system.routes.ts';

/** Liveness and readiness probes for load balancers and orchestrators (`/healthz`, `/readyz`). */
export function createSystemModule(ctx: Pick<PlatformContext, 'db'>) {
  return { routes: [systemRoutes(ctx)] };
}
