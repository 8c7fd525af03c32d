import { Alert, Button, Group, Modal, NumberInput, Stack, TextInput } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { Role } from '../../../../shared/permissions.ts';
import { api } from '../../../api/client.ts';
import type { CreatedToken, CreateTokenRequest } from '../../../api/types.ts';
import { CopyField } from '../../../components/CopyField.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RoleSelect } from '../../../components/RoleSelect.tsx';

export function CreateTokenModal({ opened, onClose }: { opened: boolean; onClose: () => void }) {
  const queryClient = useQueryClient();
  const [name, setName] = useState('');
  const [role, setRole] = useState<Role>('auditor');
  const [expiresInDays, setExpiresInDays] = useState<number | ''>(90);
  const create = useMutation({
    mutationFn: (body: CreateTokenRequest) => api.post<CreatedToken>('/api/tokens', body),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });

  function close() {
    setName('');
    setRole('auditor');
    setExpiresInDays(90);
    create.reset();
    onClose();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate({
      name: name.trim(),
      role,
      expiresInDays: expiresInDays === '' ? undefined : expiresInDays,
    });
  }

  return (
    <Modal
      opened={opened}
      onClose={close}
      title={create.data ? 'API token created' : 'Create an API token'}
      size="lg"
    >
      {create.data ? (
        <Stack gap="md">
          <CopyField label="API token" value={create.data.token} />
          <Alert color="yellow" variant="light">
            Copy it now: Candor stores only a hash and cannot show it again. Send it as{' '}
            <code>Authorization: Bearer …</code>. Anyone holding it acts with the {create.data.summary.role}{' '}
            role.
          </Alert>
          <Group justify="flex-end">
            <Button onClick={close}>Done</Button>
          </Group>
        </Stack>
      ) : (
        <form onSubmit={submit}>
          <Stack gap="md">
            <ErrorAlert error={create.error} />
            <TextInput
              label="Name"
              description="What uses it, e.g. “SIEM export”."
              value={name}
              onChange={(event) => setName(event.currentTarget.value)}
              maxLength={100}
              required
              data-autofocus
            />
            <RoleSelect value={role} onChange={setRole} />
            <NumberInput
              label="Expires in (days)"
              description="Leave empty for a token that never expires (not recommended)."
              value={expiresInDays}
              onChange={(value) => setExpiresInDays(typeof value === 'number' ? value : '')}
              min={1}
              max={730}
              allowDecimal={false}
              allowNegative={false}
            />
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!name.trim()}>
                Create token
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Modal>
  );
}
