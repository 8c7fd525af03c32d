import { Alert, Badge, Center, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { DataKey, DataKeyList, Rotation } from '../../../api/types.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../components/format.ts';
import { RequirePermission } from '../../../components/RequirePermission.tsx';

const masterKeySourceText = {
  env: 'The master key comes from the CANDOR_MASTER_KEY environment variable.',
  file: 'The master key comes from a key file on the server.',
} as const;

export function KeysPage() {
  return (
    <RequirePermission permission="keys:manage">
      <Keys />
    </RequirePermission>
  );
}

function Keys() {
  const queryClient = useQueryClient();
  const keys = useQuery({
    queryKey: ['keys'],
    queryFn: ({ signal }) => api.get<DataKeyList>('/api/keys', undefined, signal),
  });
  const rotate = useMutation({
    mutationFn: () => api.post<Rotation>('/api/keys/rotate'),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['keys'] }),
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Encryption keys</Title>
          <Text c="dimmed" size="sm" maw={640}>
            Personal data is encrypted with data keys, which are themselves encrypted (wrapped) by the master
            key. Rotating makes a new data key for new writes and re-wraps every data key; nothing goes
            offline.
          </Text>
        </div>
        <ConfirmButton
          color="blue"
          loading={rotate.isPending}
          title="Rotate the encryption keys?"
          message="A new data key encrypts everything written from now on, and data keys still wrapped by an older master key are re-wrapped with the current one. Existing data stays readable throughout."
          confirmLabel="Rotate keys"
          onConfirm={() => rotate.mutate()}
        >
          Rotate keys
        </ConfirmButton>
      </Group>
      <ErrorAlert error={rotate.error} />
      {rotate.data ? (
        <Alert color="green" title="Keys rotated" role="status">
          New data key {rotate.data.newDataKeyId}; {rotate.data.rewrapped} data{' '}
          {rotate.data.rewrapped === 1 ? 'key' : 'keys'} re-wrapped with master key {rotate.data.masterKeyId}.
        </Alert>
      ) : null}
      {keys.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading keys" />
        </Center>
      ) : keys.error ? (
        <ErrorAlert error={keys.error} />
      ) : (
        <>
          <Text size="sm">{masterKeySourceText[keys.data.masterKeySource]}</Text>
          <KeyTable keys={keys.data.keys} />
        </>
      )}
    </Stack>
  );
}

function KeyTable({ keys }: { keys: DataKey[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table aria-label="Data keys">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Data key</Table.Th>
            <Table.Th scope="col">Purpose</Table.Th>
            <Table.Th scope="col">Master key</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Re-wrapped</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {keys.map((key) => (
            <Table.Tr key={key.id}>
              <Table.Td ff="monospace" fz="sm">
                {key.id}
              </Table.Td>
              <Table.Td>{key.purpose === 'blind_index' ? 'Search index' : 'Encryption'}</Table.Td>
              <Table.Td ff="monospace" fz="sm">
                {key.masterKeyId}
              </Table.Td>
              <Table.Td>{formatDateTime(key.createdAt)}</Table.Td>
              <Table.Td>{formatDateTime(key.rewrappedAt, 'Never')}</Table.Td>
              <Table.Td>
                {key.isActive ? (
                  <Badge color="green" variant="light">
                    active
                  </Badge>
                ) : (
                  <Badge color="gray" variant="light">
                    retired (decrypt only)
                  </Badge>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
