import { EmptyState } from '@mantine/core';
import type { ReactNode } from 'react';
import type { Permission } from '../../shared/permissions.ts';
import { useActiveSession } from './ActiveSession.tsx';

/** Shows the page only to roles that hold the permission; the server enforces the same rule. */
export function RequirePermission({ permission, children }: { permission: Permission; children: ReactNode }) {
  const session = useActiveSession();
  if (session.permissions.includes(permission)) return children;
  return (
    <EmptyState
      mt="xl"
      title="This page is not part of your role"
      description={`Your role (${session.user.role}) does not include it. Ask an admin if you need access.`}
    />
  );
}
