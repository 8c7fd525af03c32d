import { Alert, Button, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { AuditVerify } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Recomputes the hash chain on the server: any edited, removed or reordered entry breaks it. */
export function useVerifyChain() {
  return useMutation({ mutationFn: () => api.get<AuditVerify>('/api/audit/verify') });
}

export function VerifyChainButton({ verify }: { verify: ReturnType<typeof useVerifyChain> }) {
  return (
    <Button variant="default" onClick={() => verify.mutate()} loading={verify.isPending}>
      Verify chain
    </Button>
  );
}

export function VerifyChainResult({ verify }: { verify: ReturnType<typeof useVerifyChain> }) {
  if (verify.error) return <ErrorAlert error={verify.error} title="The chain could not be checked" />;
  const result = verify.data;
  if (!result) return null;
  if (result.ok) {
    return (
      <Alert color="green" title="The audit chain is intact" role="status">
        <Stack gap={2}>
          <Text size="sm">
            All {result.entries} entries link up: none was edited, removed or reordered.
            {result.headSeq !== undefined ? ` Latest entry #${result.headSeq}.` : ''}
          </Text>
          {result.headHash ? (
            <Text size="xs" ff="monospace" style={{ wordBreak: 'break-all' }}>
              Head hash {result.headHash}
            </Text>
          ) : null}
        </Stack>
      </Alert>
    );
  }
  return (
    <Alert color="red" title="The audit chain is broken" role="alert">
      <Text size="sm">
        {result.badSeq !== undefined ? `Entry #${result.badSeq} does not match the chain. ` : ''}
        {result.reason ?? 'An entry was changed or removed.'} Checked {result.entries} entries. Keep a copy of
        the database as it is and investigate before anything else changes.
      </Text>
    </Alert>
  );
}
