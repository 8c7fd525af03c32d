import { Anchor, Button, Center, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ImportIssuesPage, ImportSummary } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { fieldLabel } from './labels.ts';
import { peopleKeys } from './people-queries.ts';

const PAGE_SIZE = 200;

/** The rows an import set aside: line number, reason and field, never the values themselves. */
export function RejectedRowsModal({ job, onClose }: { job: ImportSummary | null; onClose: () => void }) {
  return (
    <Modal
      opened={job !== null}
      onClose={onClose}
      title={job ? `Rejected rows of ${job.fileName}` : 'Rejected rows'}
      size="xl"
    >
      {job ? <RejectedRows job={job} /> : null}
    </Modal>
  );
}

function RejectedRows({ job }: { job: ImportSummary }) {
  const issues = useInfiniteQuery({
    queryKey: peopleKeys.issues(job.id),
    queryFn: ({ pageParam, signal }) =>
      api.get<ImportIssuesPage>(
        `/api/imports/${job.id}/issues`,
        { severity: 'rejected', limit: PAGE_SIZE, afterLine: pageParam },
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextAfterLine ?? undefined,
  });
  const rows = issues.data?.pages.flatMap((page) => page.issues) ?? [];

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {formatCount(job.rejected)} {job.rejected === 1 ? 'row was' : 'rows were'} set aside; the rest of the
        file was imported. Line numbers count every line of the file, the header included. Values are never
        shown here: open the file at the line to fix it, then import the corrected rows.
      </Text>
      {issues.isPending ? (
        <Center py="md">
          <Loader aria-label="Loading rejected rows" />
        </Center>
      ) : issues.error && rows.length === 0 ? (
        <ErrorAlert error={issues.error} />
      ) : (
        <Table striped verticalSpacing="xs" aria-label="Rejected rows">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col" w={90}>
                Line
              </Table.Th>
              <Table.Th scope="col">Reason</Table.Th>
              <Table.Th scope="col" w={200}>
                Field
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {rows.map((issue) => (
              <Table.Tr key={`${issue.line}-${issue.reason}`}>
                <Table.Td ff="monospace">{issue.line}</Table.Td>
                <Table.Td>{issue.reason}</Table.Td>
                <Table.Td>{issue.field ? fieldLabel(issue.field) : '—'}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      )}
      <Group justify="space-between">
        <Anchor href={`/api/imports/${job.id}/issues.csv`} download size="sm">
          Download all issues (CSV)
        </Anchor>
        {issues.hasNextPage ? (
          <Button
            variant="default"
            onClick={() => void issues.fetchNextPage()}
            loading={issues.isFetchingNextPage}
          >
            Load more
          </Button>
        ) : null}
      </Group>
      {rows.length > 0 ? <ErrorAlert error={issues.error} /> : null}
    </Stack>
  );
}
