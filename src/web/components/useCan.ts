import type { Permission } from '../../shared/permissions.ts';
import { useActiveSession } from './ActiveSession.tsx';

/** Whether the signed-in role holds a permission (to show an action; the server enforces the same rule). */
export function useCan(permission: Permission): boolean {
  return useActiveSession().permissions.includes(permission);
}
