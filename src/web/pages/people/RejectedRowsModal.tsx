import { Anchor, Button, Center, Group, Loader, Modal, Stack, Table, Text } from '@mantine/core';
import { useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { ImportIssuesPage, ImportSummary } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { fieldLabel } from './labels.ts';
import { peopleKeys } from './people-queries.ts';

const PAGE_SIZE = 200;

type Severity = 'rejected' | 'warning';

const titles: Record<Severity, string> = { rejected: 'Rejected rows', warning: 'Rows with warnings' };

/**
 * The rows an import set aside (rejected), or kept with a warning (a value dropped or taken as it was):
 * line number, reason and field, never the values themselves.
 */
export function RejectedRowsModal({
  job,
  severity = 'rejected',
  onClose,
}: {
  job: ImportSummary | null;
  severity?: Severity;
  onClose: () => void;
}) {
  return (
    <Modal
      opened={job !== null}
      onClose={onClose}
      title={job ? `${titles[severity]} of ${job.fileName}` : titles[severity]}
      size="xl"
    >
      {job ? <RejectedRows job={job} severity={severity} /> : null}
    </Modal>
  );
}

function RejectedRows({ job, severity }: { job: ImportSummary; severity: Severity }) {
  const issues = useInfiniteQuery({
    queryKey: [...peopleKeys.issues(job.id), severity],
    queryFn: ({ pageParam, signal }) =>
      api.get<ImportIssuesPage>(
        `/api/imports/${job.id}/issues`,
        { severity, limit: PAGE_SIZE, afterLine: pageParam },
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextAfterLine ?? undefined,
  });
  const rows = issues.data?.pages.flatMap((page) => page.issues) ?? [];

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        {severity === 'rejected'
          ? `${formatCount(job.rejected)} ${job.rejected === 1 ? 'row was' : 'rows were'} set aside; the rest of the file was imported.`
          : `${formatCount(job.warnings.total)} ${job.warnings.total === 1 ? 'warning' : 'warnings'} on rows that were imported: a value was left out or taken as written.`}{' '}
        Line numbers count every line of the file, the header included. Values are never shown here: open the
        file at the line to check it.
      </Text>
      {issues.isPending ? (
        <Center py="md">
          <Loader aria-label={`Loading ${titles[severity].toLowerCase()}`} />
        </Center>
      ) : issues.error && rows.length === 0 ? (
        <ErrorAlert error={issues.error} />
      ) : (
        <Table striped verticalSpacing="xs" aria-label={titles[severity]}>
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
