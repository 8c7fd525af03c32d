import {
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { UserList, UserSummary } from '../../../api/types.ts';
import { useActiveSession } from '../../../components/ActiveSession.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../components/format.ts';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { roleLabel } from '../../../components/RoleSelect.tsx';
import { InviteUserModal } from './InviteUserModal.tsx';
import { UserActions } from './UserActions.tsx';

const statusColor = { invited: 'blue', active: 'green', disabled: 'gray' } as const;

export function UsersPage() {
  return (
    <RequirePermission permission="users:read">
      <Users />
    </RequirePermission>
  );
}

function Users() {
  const session = useActiveSession();
  const canManage = session.permissions.includes('users:manage');
  const [isInviteOpen, invite] = useDisclosure(false);
  const users = useQuery({
    queryKey: ['users'],
    queryFn: ({ signal }) => api.get<UserList>('/api/users', undefined, signal),
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Users</Title>
          <Text c="dimmed" size="sm">
            Staff accounts and their roles. Everyone signs in with a password and an authenticator app.
          </Text>
        </div>
        {canManage ? <Button onClick={invite.open}>Invite</Button> : null}
      </Group>
      {users.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading users" />
        </Center>
      ) : users.error ? (
        <ErrorAlert error={users.error} />
      ) : (
        <UserTable users={users.data.users} selfId={session.user.id} canManage={canManage} />
      )}
      {canManage ? <InviteUserModal opened={isInviteOpen} onClose={invite.close} /> : null}
    </Stack>
  );
}

function UserTable({
  users,
  selfId,
  canManage,
}: {
  users: UserSummary[];
  selfId: string;
  canManage: boolean;
}) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover aria-label="Users">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Authenticator</Table.Th>
            <Table.Th scope="col">Last sign-in</Table.Th>
            {canManage ? (
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {users.map((user) => (
            <Table.Tr key={user.id}>
              <Table.Td>
                <Text size="sm" fw={500}>
                  {user.displayName || user.email} {user.id === selfId ? <Badge size="xs">you</Badge> : null}
                </Text>
                {user.displayName ? (
                  <Text size="xs" c="dimmed">
                    {user.email}
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>{roleLabel(user.role)}</Table.Td>
              <Table.Td>
                <Badge color={statusColor[user.status]} variant="light">
                  {user.status}
                </Badge>
              </Table.Td>
              <Table.Td>{user.mfaEnrolled ? 'Set up' : 'Not set up'}</Table.Td>
              <Table.Td>{formatDateTime(user.lastSignInAt, 'Never')}</Table.Td>
              {canManage ? (
                <Table.Td ta="right">{user.id === selfId ? null : <UserActions user={user} />}</Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
