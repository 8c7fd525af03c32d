import { Badge, Button, Center, EmptyState, Group, Loader, Stack, Table, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../api/client.ts';
import type { ApiToken, ApiTokenList } from '../../../api/types.ts';
import { ConfirmButton } from '../../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../../components/format.ts';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { roleLabel } from '../../../components/RoleSelect.tsx';
import { CreateTokenModal } from './CreateTokenModal.tsx';

export function TokensPage() {
  return (
    <RequirePermission permission="tokens:manage">
      <Tokens />
    </RequirePermission>
  );
}

function Tokens() {
  const [isCreateOpen, create] = useDisclosure(false);
  const tokens = useQuery({
    queryKey: ['tokens'],
    queryFn: ({ signal }) => api.get<ApiTokenList>('/api/tokens', undefined, signal),
  });

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>API tokens</Title>
          <Text c="dimmed" size="sm">
            For scripts and other systems that call Candor’s API. Each token acts with one role.
          </Text>
        </div>
        <Button onClick={create.open}>Create token</Button>
      </Group>
      {tokens.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading API tokens" />
        </Center>
      ) : tokens.error ? (
        <ErrorAlert error={tokens.error} />
      ) : tokens.data.tokens.length === 0 ? (
        <EmptyState>
          <EmptyState.Title order={3}>No API tokens</EmptyState.Title>
          <EmptyState.Description>
            Create one when another system needs to call Candor.
          </EmptyState.Description>
        </EmptyState>
      ) : (
        <TokenTable tokens={tokens.data.tokens} />
      )}
      <CreateTokenModal opened={isCreateOpen} onClose={create.close} />
    </Stack>
  );
}

function TokenTable({ tokens }: { tokens: ApiToken[] }) {
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table highlightOnHover aria-label="API tokens">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Name</Table.Th>
            <Table.Th scope="col">Role</Table.Th>
            <Table.Th scope="col">Created</Table.Th>
            <Table.Th scope="col">Expires</Table.Th>
            <Table.Th scope="col">Last used</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {tokens.map((token) => (
            <TokenRow key={token.id} token={token} />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function TokenRow({ token }: { token: ApiToken }) {
  const queryClient = useQueryClient();
  const revoke = useMutation({
    mutationFn: () => api.delete<unknown>(`/api/tokens/${token.id}`),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: ['tokens'] }),
  });
  const isExpired = token.expiresAt !== null && new Date(token.expiresAt) < new Date();

  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500}>
          {token.name}
        </Text>
        <Text size="xs" c="dimmed" ff="monospace">
          {token.prefix}…
        </Text>
      </Table.Td>
      <Table.Td>{roleLabel(token.role)}</Table.Td>
      <Table.Td>{formatDateTime(token.createdAt)}</Table.Td>
      <Table.Td>{formatDateTime(token.expiresAt, 'Never')}</Table.Td>
      <Table.Td>{formatDateTime(token.lastUsedAt, 'Never')}</Table.Td>
      <Table.Td>
        {token.revokedAt ? (
          <Badge color="gray" variant="light">
            revoked
          </Badge>
        ) : isExpired ? (
          <Badge color="gray" variant="light">
            expired
          </Badge>
        ) : (
          <Group gap="xs" wrap="nowrap">
            <Badge color="green" variant="light">
              active
            </Badge>
            <ConfirmButton
              size="xs"
              variant="subtle"
              color="red"
              loading={revoke.isPending}
              aria-label={`Revoke ${token.name}`}
              title={`Revoke “${token.name}”?`}
              message="Anything that uses this token stops working at once. This cannot be undone."
              confirmLabel="Revoke token"
              onConfirm={() => revoke.mutate()}
            >
              Revoke
            </ConfirmButton>
          </Group>
        )}
        {revoke.error ? <ErrorAlert error={revoke.error} /> : null}
      </Table.Td>
    </Table.Tr>
  );
}
