import type { PlatformContext } from '../../platform/context.ts';
import { keysRoutes } from './keys.routes.ts';
import { rotateKeys } from './keys.service.ts';

/** Encryption-key administration: listing and rotation. */
export function createKeysModule(ctx: Pick<PlatformContext, 'db' | 'crypto' | 'masterKeys'>) {
  return {
    routes: [keysRoutes(ctx)],
    rotate: (meta: Parameters<typeof rotateKeys>[1]) => rotateKeys(ctx, meta),
  };
}
