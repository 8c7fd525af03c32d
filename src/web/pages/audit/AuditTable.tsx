import { Badge, Stack, Table, Text, Tooltip } from '@mantine/core';
import type { AuditEntry } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';

const outcomeColor = { success: 'green', failure: 'orange', denied: 'red' } as const;

function DetailsCell({ details }: { details: AuditEntry['details'] }) {
  const pairs = Object.entries(details);
  if (pairs.length === 0) return <Text c="dimmed">—</Text>;
  return (
    <Stack gap={0} maw={360}>
      {pairs.map(([key, value]) => (
        <Text key={key} fz="xs" ff="monospace" style={{ wordBreak: 'break-word' }}>
          <Text span c="dimmed" inherit>
            {key}:
          </Text>{' '}
          {typeof value === 'string' ? value : JSON.stringify(value)}
        </Text>
      ))}
    </Stack>
  );
}

export function AuditTable({ entries }: { entries: AuditEntry[] }) {
  return (
    <Table.ScrollContainer minWidth={900}>
      <Table striped highlightOnHover verticalSpacing="xs" aria-label="Audit log entries">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">#</Table.Th>
            <Table.Th scope="col">When</Table.Th>
            <Table.Th scope="col">Actor</Table.Th>
            <Table.Th scope="col">Action</Table.Th>
            <Table.Th scope="col">Target</Table.Th>
            <Table.Th scope="col">Outcome</Table.Th>
            <Table.Th scope="col">Details</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {entries.map((entry) => (
            <Table.Tr key={entry.seq}>
              <Table.Td>
                <Tooltip label={`Hash ${entry.hash}`} withArrow>
                  <Text fz="sm" ff="monospace">
                    {entry.seq}
                  </Text>
                </Tooltip>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(entry.at)}</Table.Td>
              <Table.Td>
                <Text fz="sm">{entry.actorName ?? entry.actorLabel}</Text>
                <Text fz="xs" c="dimmed">
                  {entry.actorName && entry.actorName !== entry.actorLabel
                    ? `${entry.actorType} · recorded as ${entry.actorLabel}`
                    : entry.actorType}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text fz="sm" ff="monospace">
                  {entry.action}
                </Text>
              </Table.Td>
              <Table.Td>
                {entry.targetType ? (
                  <>
                    <Text fz="sm">{entry.targetType}</Text>
                    <Text fz="xs" c="dimmed" ff="monospace">
                      {entry.targetId}
                    </Text>
                  </>
                ) : (
                  <Text c="dimmed">—</Text>
                )}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge
                  color={outcomeColor[entry.outcome]}
                  variant="light"
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {entry.outcome}
                </Badge>
              </Table.Td>
              <Table.Td>
                <DetailsCell details={entry.details} />
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
