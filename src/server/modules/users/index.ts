import type { PlatformContext } from '../../platform/context.ts';
import { usersRoutes } from './users.routes.ts';
import * as service from './users.service.ts';

/** Staff accounts and roles. */
export function createUsersModule(ctx: Pick<PlatformContext, 'db' | 'config'>) {
  return {
    routes: [usersRoutes(ctx)],
    service: {
      list: () => service.listUsers(ctx),
      createAdmin: (email: string, meta: service.ChangeMeta) => service.createAdmin(ctx, email, meta),
      setDisabled: (userId: string, isDisabled: boolean, meta: service.ChangeMeta) =>
        service.setDisabled(ctx, userId, isDisabled, meta),
      resetMfa: (userId: string, meta: service.ChangeMeta) => service.resetMfa(ctx, userId, meta),
    },
  };
}

export {
  enabledStaffIds,
  isAssignableStaff,
  listAssignableStaff,
  staffEmails,
  staffNames,
} from './users.repository.ts';
