import { Button, Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { api, withQuery } from '../../api/client.ts';
import type { AuditPage } from '../../api/types.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { AuditFilters } from './AuditFilters.tsx';
import { AuditTable } from './AuditTable.tsx';
import { type AuditFilterValues, auditQueryParams, emptyAuditFilters } from './audit-filters.ts';
import { useVerifyChain, VerifyChainButton, VerifyChainResult } from './VerifyChain.tsx';

const PAGE_SIZE = 100;

export function AuditLogPage() {
  return (
    <Stack gap="lg">
      <Title order={1}>Audit log</Title>
      <RequirePermission permission="audit:read">
        <AuditLog />
      </RequirePermission>
    </Stack>
  );
}

function AuditLog() {
  const session = useActiveSession();
  const [filters, setFilters] = useState<AuditFilterValues>(emptyAuditFilters);
  const verify = useVerifyChain();
  const params = auditQueryParams(filters);

  const audit = useInfiniteQuery({
    queryKey: ['audit', 'entries', params],
    queryFn: ({ pageParam, signal }) =>
      api.get<AuditPage>('/api/audit', { ...params, before: pageParam, limit: PAGE_SIZE }, signal),
    initialPageParam: undefined as number | undefined,
    getNextPageParam: (last) => last.nextBefore ?? undefined,
  });
  const entries = audit.data?.pages.flatMap((page) => page.entries) ?? [];

  return (
    <Stack gap="md">
      <Text c="dimmed">
        Every change and every read of personal data, in order. Each entry is chained to the one before it by
        its hash, so a removed or edited entry shows up when you verify the chain.
      </Text>
      <Group gap="sm">
        <VerifyChainButton verify={verify} />
        {session.permissions.includes('audit:export') ? (
          <Button component="a" variant="default" href={withQuery('/api/audit/export', params)} download>
            Export JSON lines
          </Button>
        ) : null}
      </Group>
      <VerifyChainResult verify={verify} />
      <AuditFilters value={filters} onApply={setFilters} />
      {audit.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading audit entries" />
        </Center>
      ) : entries.length === 0 ? (
        audit.error ? (
          <ErrorAlert error={audit.error} />
        ) : (
          <EmptyState mt="lg">
            <EmptyState.Title order={2}>No entries match</EmptyState.Title>
            <EmptyState.Description>
              Change or clear the filters to see more of the log.
            </EmptyState.Description>
          </EmptyState>
        )
      ) : (
        <>
          <AuditTable entries={entries} />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              Showing {entries.length} {entries.length === 1 ? 'entry' : 'entries'}, newest first.
            </Text>
            {audit.hasNextPage ? (
              <Button
                variant="default"
                onClick={() => void audit.fetchNextPage()}
                loading={audit.isFetchingNextPage}
              >
                Load older
              </Button>
            ) : (
              <Text size="sm" c="dimmed">
                No older entries.
              </Text>
            )}
          </Group>
          <ErrorAlert error={audit.error} />
        </>
      )}
    </Stack>
  );
}
