import { Button, Group, Menu, Modal, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { Role } from '../../../../shared/permissions.ts';
import { api } from '../../../api/client.ts';
import type { SetupLink, UserSummary } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';
import { SetupLinkNotice } from './SetupLinkNotice.tsx';

type Dialog = 'role' | 'disable' | 'reset' | null;

/** Per-user changes. Role changes and MFA resets may ask the admin to confirm it's them (reauth). */
export function UserActions({ user }: { user: UserSummary }) {
  const queryClient = useQueryClient();
  const [dialog, setDialog] = useState<Dialog>(null);
  const [role, setRole] = useState<Role>(user.role);
  const name = user.displayName || user.email;
  const refresh = () => queryClient.invalidateQueries({ queryKey: ['users'] });

  const changeRole = useMutation({
    mutationFn: () => api.patch<unknown>(`/api/users/${user.id}/role`, { role }),
    onSuccess: async () => {
      await refresh();
      setDialog(null);
    },
  });
  const setEnabled = useMutation({
    mutationFn: (enable: boolean) =>
      api.post<unknown>(`/api/users/${user.id}/${enable ? 'enable' : 'disable'}`),
    onSuccess: async () => {
      await refresh();
      setDialog(null);
    },
  });
  const resetMfa = useMutation({
    mutationFn: () => api.post<SetupLink>(`/api/users/${user.id}/reset-mfa`),
    onSuccess: refresh,
  });

  function open(next: Dialog) {
    changeRole.reset();
    setEnabled.reset();
    resetMfa.reset();
    setRole(user.role);
    setDialog(next);
  }
  const close = () => setDialog(null);

  return (
    <>
      <Menu position="bottom-end" withArrow>
        <Menu.Target>
          <Button variant="subtle" size="xs" aria-label={`Actions for ${name}`}>
            Actions
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => open('role')}>Change role</Menu.Item>
          {user.status === 'disabled' ? (
            <Menu.Item onClick={() => setEnabled.mutate(true)}>Enable</Menu.Item>
          ) : (
            <Menu.Item color="red" onClick={() => open('disable')}>
              Disable
            </Menu.Item>
          )}
          <Menu.Item onClick={() => open('reset')}>Reset MFA</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {dialog === null && setEnabled.error ? <ErrorAlert error={setEnabled.error} /> : null}

      <Modal opened={dialog === 'role'} onClose={close} title={`Change the role of ${name}`}>
        <Stack gap="md">
          <ErrorAlert error={changeRole.error} />
          <RoleSelect label="New role" value={role} onChange={setRole} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button
              onClick={() => changeRole.mutate()}
              loading={changeRole.isPending}
              disabled={role === user.role}
            >
              Change role
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={dialog === 'disable'} onClose={close} title={`Disable ${name}?`}>
        <Stack gap="md">
          <Text size="sm">
            They are signed out everywhere at once and cannot sign in until an admin enables the account
            again. Their history in the audit log stays.
          </Text>
          <ErrorAlert error={setEnabled.error} />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button color="red" onClick={() => setEnabled.mutate(false)} loading={setEnabled.isPending}>
              Disable account
            </Button>
          </Group>
        </Stack>
      </Modal>

      <Modal opened={dialog === 'reset'} onClose={close} title={`Reset MFA for ${name}`} size="lg">
        {resetMfa.data ? (
          <Stack gap="md">
            <SetupLinkNotice link={resetMfa.data} />
            <Group justify="flex-end">
              <Button onClick={close}>Done</Button>
            </Group>
          </Stack>
        ) : (
          <Stack gap="md">
            <Text size="sm">
              Use this when they lost their authenticator app and recovery codes. Their sessions end, their
              authenticator and recovery codes stop working, and you get a one-time link for them to set up
              again.
            </Text>
            <ErrorAlert error={resetMfa.error} />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button color="orange" onClick={() => resetMfa.mutate()} loading={resetMfa.isPending}>
                Reset and create link
              </Button>
            </Group>
          </Stack>
        )}
      </Modal>
    </>
  );
}
