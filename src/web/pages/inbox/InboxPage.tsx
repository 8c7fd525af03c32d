import { Button, Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { useCan } from '../../components/useCan.ts';
import { BulkAnswer } from './BulkAnswer.tsx';
import { InboxFilterBar } from './InboxFilterBar.tsx';
import { InboxStats } from './InboxStats.tsx';
import { bulkFilterOf, type InboxFilters, threadQueryParams } from './inbox-filters.ts';
import { inboxKeys, threadPageQuery, useTopicLabels } from './inbox-queries.ts';
import { ThreadTable } from './ThreadTable.tsx';
import { useThreadSelection } from './thread-selection.ts';

interface Props {
  filters: InboxFilters;
  onFiltersChange: (filters: InboxFilters) => void;
}

/** Every question from the web form, email and SMS, in one list. */
export function InboxPage(props: Props) {
  return (
    <Stack gap="lg">
      <Group justify="space-between" align="flex-end">
        <Title order={1}>Inbox</Title>
        <RouterButton to="/inbox/settings" variant="default">
          Macros, topics and SLA
        </RouterButton>
      </Group>
      <RequirePermission permission="inbox:read">
        <Inbox {...props} />
      </RequirePermission>
    </Stack>
  );
}

function Inbox({ filters, onFiltersChange }: Props) {
  const canReply = useCan('inbox:reply');
  const params = threadQueryParams(filters);
  const list = useInfiniteQuery({
    queryKey: inboxKeys.threadList(params),
    queryFn: ({ pageParam }) => threadPageQuery(params, pageParam),
    initialPageParam: undefined as string | undefined,
    getNextPageParam: (last) => last.nextCursor ?? undefined,
    placeholderData: keepPreviousData,
  });
  const selection = useThreadSelection(JSON.stringify(params));
  const labels = useTopicLabels();
  const first = list.data?.pages[0];
  const threads = list.data?.pages.flatMap((page) => page.threads) ?? [];
  const topicLabels = new Map([...labels, ...(first?.topics ?? []).map((t) => [t.topic, t.label] as const)]);

  return (
    <Stack gap="md">
      <InboxStats />
      <InboxFilterBar
        filters={filters}
        counts={first?.counts}
        topics={first?.topics ?? []}
        onChange={onFiltersChange}
      />
      {canReply && first ? (
        <BulkAnswer
          control={selection}
          loadedIds={threads.map((t) => t.id)}
          total={first.total}
          totalIsCapped={first.totalIsCapped}
          bulkFilter={bulkFilterOf(filters)}
        />
      ) : null}
      {list.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading threads" />
        </Center>
      ) : threads.length === 0 ? (
        list.error ? (
          <ErrorAlert error={list.error} title="The inbox could not be loaded" />
        ) : (
          <EmptyState mt="lg">
            <EmptyState.Title order={2}>No threads match</EmptyState.Title>
            <EmptyState.Description>
              Questions from the notice site’s contact form, email and SMS land here. Change or clear the
              filters to see more.
            </EmptyState.Description>
          </EmptyState>
        )
      ) : (
        <>
          <ThreadTable
            threads={threads}
            topicLabels={topicLabels}
            selection={canReply ? selection : undefined}
          />
          <Group justify="space-between">
            <Text size="sm" c="dimmed" role="status">
              Showing {formatCount(threads.length)} of {formatCount(first?.total ?? threads.length)}
              {first?.totalIsCapped ? '+' : ''}, highest priority first.
            </Text>
            <Group gap="sm">
              <Button
                variant="subtle"
                onClick={() => void list.refetch()}
                loading={list.isRefetching && !list.isFetchingNextPage}
              >
                Refresh
              </Button>
              {list.hasNextPage ? (
                <Button
                  variant="default"
                  onClick={() => void list.fetchNextPage()}
                  loading={list.isFetchingNextPage}
                >
                  Load more
                </Button>
              ) : null}
            </Group>
          </Group>
          <ErrorAlert error={list.error} />
        </>
      )}
    </Stack>
  );
}
