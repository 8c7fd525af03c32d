import { Anchor, Badge, Box, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ImportWarningKind } from '../../../shared/contracts/people.ts';
import type { ImportSummary } from '../../api/types.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { importStatusColors, importStatusLabels, importWarningLabels } from './labels.ts';
import { isImportActive } from './people-queries.ts';
import { RejectedRowsModal } from './RejectedRowsModal.tsx';

const numeric = { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

type Showing = { job: ImportSummary; severity: 'rejected' | 'warning' };

export function ImportTable({ imports }: { imports: ImportSummary[] }) {
  const [showing, setShowing] = useState<Showing | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={1160}>
        <Table highlightOnHover verticalSpacing="sm" aria-label="Imports">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col">Status</Table.Th>
              <Table.Th scope="col" style={numeric}>
                Rows
              </Table.Th>
              <Table.Th scope="col" style={numeric}>
                Accepted
              </Table.Th>
              <Table.Th scope="col" style={numeric}>
                Rejected
              </Table.Th>
              <Table.Th scope="col">Warnings</Table.Th>
              <Table.Th scope="col" style={numeric}>
                Rows/s
              </Table.Th>
              <Table.Th scope="col" style={numeric}>
                New people
              </Table.Th>
              <Table.Th scope="col" style={numeric}>
                Conflicts
              </Table.Th>
              <Table.Th scope="col">Issues</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {imports.map((job) => (
              <ImportRow key={job.id} job={job} onShow={(severity) => setShowing({ job, severity })} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <RejectedRowsModal
        job={showing?.job ?? null}
        severity={showing?.severity}
        onClose={() => setShowing(null)}
      />
    </>
  );
}

/** The import's warnings per kind, most frequent first ("12 quotes taken literally"). */
function Warnings({ job, onShow }: { job: ImportSummary; onShow: () => void }) {
  const kinds = (Object.entries(job.warnings.byKind) as Array<[ImportWarningKind, number]>).sort(
    (a, b) => b[1] - a[1],
  );
  if (job.warnings.total === 0) {
    return (
      <Text size="sm" c="dimmed">
        {isImportActive(job) ? '—' : 'None'}
      </Text>
    );
  }
  return (
    <Stack gap={2} maw={260}>
      <Box
        component="ul"
        m={0}
        p={0}
        style={{ listStyle: 'none' }}
        aria-label={`Warnings of ${job.fileName}`}
      >
        {kinds.map(([kind, n]) => (
          <Text component="li" key={kind} size="xs" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatCount(n)} {n === 1 ? importWarningLabels[kind].one : importWarningLabels[kind].many}
          </Text>
        ))}
      </Box>
      <Anchor
        component="button"
        type="button"
        size="xs"
        ta="left"
        onClick={onShow}
        aria-label={`Rows with warnings of ${job.fileName}`}
      >
        See the rows
      </Anchor>
    </Stack>
  );
}

function ImportRow({
  job,
  onShow,
}: {
  job: ImportSummary;
  onShow: (severity: 'rejected' | 'warning') => void;
}) {
  return (
    <Table.Tr>
      <Table.Td>
        <Text size="sm" fw={500} style={{ wordBreak: 'break-all' }}>
          {job.fileName}
        </Text>
        <Text size="xs" c="dimmed">
          {job.format.toUpperCase()} · {formatDateTime(job.createdAt)}
        </Text>
      </Table.Td>
      <Table.Td>
        <Stack gap={2} maw={280}>
          <Badge
            color={importStatusColors[job.status]}
            variant="light"
            style={{ alignSelf: 'flex-start' }}
            styles={{ label: { overflow: 'visible' } }}
          >
            {importStatusLabels[job.status]}
          </Badge>
          {job.error ? (
            <Text size="xs" c="red">
              {job.error}
            </Text>
          ) : null}
        </Stack>
      </Table.Td>
      <Table.Td style={numeric}>{formatCount(job.rows)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.accepted)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.rejected)}</Table.Td>
      <Table.Td>
        <Warnings job={job} onShow={() => onShow('warning')} />
      </Table.Td>
      <Table.Td style={numeric}>{formatCount(job.rowsPerSecond)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.newPeople)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.conflicts)}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {job.rejected > 0 ? (
            <Button
              size="xs"
              variant="light"
              onClick={() => onShow('rejected')}
              aria-label={`Rejected rows of ${job.fileName}`}
            >
              Rejected rows
            </Button>
          ) : null}
          {isImportActive(job) ? null : (
            <Anchor
              size="sm"
              href={`/api/imports/${job.id}/issues.csv`}
              download
              aria-label={`Download issues of ${job.fileName} (CSV)`}
            >
              Download issues
            </Anchor>
          )}
        </Group>
      </Table.Td>
    </Table.Tr>
  );
}
