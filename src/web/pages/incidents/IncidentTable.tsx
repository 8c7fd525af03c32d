import { Badge, Group, Table } from '@mantine/core';
import type { Incident } from '../../api/types.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { severityColors, severityLabels, statusColors, statusLabels } from './incident-labels.ts';

/**
 * Incidents, most recent first, each linking to its workspace (or to its people or notice site, from those
 * sections).
 */
export function IncidentTable({
  incidents,
  to = 'workspace',
}: {
  incidents: Incident[];
  to?: 'workspace' | 'people' | 'site';
}) {
  return (
    <Table.ScrollContainer minWidth={820}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Incidents">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Incident</Table.Th>
            <Table.Th scope="col">Status</Table.Th>
            <Table.Th scope="col">Severity</Table.Th>
            <Table.Th scope="col">Aware since</Table.Th>
            <Table.Th scope="col" ta="right">
              People affected
            </Table.Th>
            <Table.Th scope="col">Opened</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {incidents.map((incident) => (
            <Table.Tr key={incident.id}>
              <Table.Td>
                <Group gap="xs" wrap="nowrap">
                  <RouterAnchor
                    to={
                      to === 'people'
                        ? '/incidents/$incidentId/people'
                        : to === 'site'
                          ? '/incidents/$incidentId/notice-site'
                          : '/incidents/$incidentId'
                    }
                    params={{ incidentId: incident.id }}
                    fw={500}
                  >
                    {incident.title}
                  </RouterAnchor>
                  {incident.isDemo ? (
                    <Badge variant="light" color="grape" size="sm" style={{ flexShrink: 0 }}>
                      Demo
                    </Badge>
                  ) : null}
                </Group>
              </Table.Td>
              <Table.Td miw={160}>
                <Badge color={statusColors[incident.status]} variant="light">
                  {statusLabels[incident.status]}
                </Badge>
              </Table.Td>
              <Table.Td miw={120}>
                <Badge color={severityColors[incident.severity]} variant="dot" tt="none">
                  {severityLabels[incident.severity]}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(incident.awareAt)}</Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCount(incident.people)}
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>{formatDateTime(incident.createdAt)}</Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
