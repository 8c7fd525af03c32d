import { Button, Group, Modal, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '../../../../shared/permissions.ts';
import { api } from '../../../api/client.ts';
import type { SetupLink } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';
import { SetupLinkNotice } from './SetupLinkNotice.tsx';

export function InviteUserModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [email, setEmail] = useState('');
  const [role, setRole] = useState<Role>('responder');
  const [displayName, setDisplayName] = useState('');
  const invite = useMutation({
    mutationFn: () =>
      api.post<SetupLink>('/api/users/invite', {
        email: email.trim(),
        role,
        displayName: displayName.trim() || undefined,
      }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['users'] }),
  });

  function close() {
    setEmail('');
    setDisplayName('');
    setRole('responder');
    invite.reset();
    onClose();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    invite.mutate();
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={invite.data ? 'Invitation ready' : 'Invite a user'}
      size="lg"
    >
      {invite.data ? (
        <Stack gap="md">
          <SetupLinkNotice link={invite.data} />
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="md">
            <ErrorAlert error={invite.error} />
            <TextInput
              label="Email"
              type="email"
              value={email}
              onChange={(event) => setEmail(event.currentTarget.value)}
              maxLength={254}
              required
              data-autofocus
            />
            <RoleSelect value={role} onChange={setRole} />
            <TextInput
              label="Display name"
              description="Optional; they can set it themselves."
              value={displayName}
              onChange={(event) => setDisplayName(event.currentTarget.value)}
              maxLength={120}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={invite.isPending} disabled={!email.trim()}>
                Create setup link
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
