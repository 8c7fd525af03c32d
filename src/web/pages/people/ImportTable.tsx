import { Anchor, Badge, Button, Group, Stack, Table, Text } from '@mantine/core';
import { useState } from 'react';
import type { ImportSummary } from '../../api/types.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { importStatusColors, importStatusLabels } from './labels.ts';
import { isImportActive } from './people-queries.ts';
import { RejectedRowsModal } from './RejectedRowsModal.tsx';

const numeric = { textAlign: 'right', fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' } as const;

export function ImportTable({ imports }: { imports: ImportSummary[] }) {
  const [showing, setShowing] = useState<ImportSummary | null>(null);
  return (
    <>
      <Table.ScrollContainer minWidth={1000}>
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
              <ImportRow key={job.id} job={job} onShowRejected={() => setShowing(job)} />
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <RejectedRowsModal job={showing} onClose={() => setShowing(null)} />
    </>
  );
}

function ImportRow({ job, onShowRejected }: { job: ImportSummary; onShowRejected: () => void }) {
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
          <Badge color={importStatusColors[job.status]} variant="light" style={{ alignSelf: 'flex-start' }}>
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
      <Table.Td style={numeric}>{formatCount(job.rowsPerSecond)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.newPeople)}</Table.Td>
      <Table.Td style={numeric}>{formatCount(job.conflicts)}</Table.Td>
      <Table.Td>
        <Group gap="xs" wrap="nowrap">
          {job.rejected > 0 ? (
            <Button
              size="xs"
              variant="light"
              onClick={onShowRejected}
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
