import { Avatar, Badge, Group, Menu, Stack, Text, UnstyledButton } from '@mantine/core';
import { useNavigate } from '@tanstack/react-router';
import type { Session } from '../api/types.ts';
import { ErrorAlert } from './ErrorAlert.tsx';
import { useSignOut } from './useSignOut.ts';

function initials(name: string): string {
  const parts = name.split(/[\s@.]+/).filter(Boolean);
  return (parts.length > 1 ? `${parts[0]![0]}${parts[1]![0]}` : name.slice(0, 2)).toUpperCase();
}

export function UserMenu({ session }: { session: Session }) {
  const navigate = useNavigate();
  const signOut = useSignOut();
  const { user } = session;
  const name = user.displayName || user.email;

  return (
    <Group gap="sm" wrap="nowrap">
      {signOut.error ? <ErrorAlert error={signOut.error} /> : null}
      <Menu position="bottom-end" width={240} withArrow>
        <Menu.Target>
          <UnstyledButton title="Account menu">
            <Group gap="sm" wrap="nowrap">
              <Avatar color="blue" radius="xl" size="md" aria-hidden="true">
                {initials(name)}
              </Avatar>
              <Stack gap={0} visibleFrom="xs">
                <Text size="sm" fw={600} lh={1.3}>
                  {name}
                </Text>
                {user.displayName ? (
                  <Text size="xs" c="dimmed" lh={1.3}>
                    {user.email}
                  </Text>
                ) : null}
              </Stack>
              <Badge variant="light">{user.role}</Badge>
            </Group>
          </UnstyledButton>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>{user.email}</Menu.Label>
          <Menu.Item onClick={() => navigate({ to: '/settings/security' })}>Security settings</Menu.Item>
          <Menu.Divider />
          <Menu.Item onClick={() => signOut.mutate('this')}>Sign out</Menu.Item>
          <Menu.Item color="red" onClick={() => signOut.mutate('everywhere')}>
            Sign out everywhere
          </Menu.Item>
        </Menu.Dropdown>
      </Menu>
    </Group>
  );
}
