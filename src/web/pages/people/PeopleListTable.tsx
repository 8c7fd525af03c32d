import { Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { ListedPersonDto } from '../../../shared/contracts/people.ts';
import { formatCount } from '../../components/format.ts';
import {
  categoryLabel,
  jurisdictionLabel,
  reachabilityLabels,
  riskTierColors,
  riskTierLabels,
} from './labels.ts';

const numeric = { textAlign: 'right', fontVariantNumeric: 'tabular-nums' } as const;

function reachOf(person: ListedPersonDto): string {
  const ways = (['email', 'phone', 'postal'] as const).filter((way) => person.reachable[way]);
  return ways.length === 0 ? reachabilityLabels.none : ways.map((way) => reachabilityLabels[way]).join(', ');
}

/** One row per person; masked identifiers only when the server sent them (roles with people:read_pii). */
export function PeopleListTable({
  people,
  canReadPii,
  onOpen,
}: {
  people: ListedPersonDto[];
  canReadPii: boolean;
  onOpen: (personId: string) => void;
}) {
  const showsIdentifiers = people.some((p) => p.masked !== null);
  return (
    <Table.ScrollContainer minWidth={showsIdentifiers ? 1180 : 900}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Affected people">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Person</Table.Th>
            {showsIdentifiers ? (
              <>
                <Table.Th scope="col">Email</Table.Th>
                <Table.Th scope="col">Phone</Table.Th>
              </>
            ) : null}
            <Table.Th scope="col">Risk</Table.Th>
            <Table.Th scope="col">Jurisdiction</Table.Th>
            <Table.Th scope="col">Data exposed</Table.Th>
            <Table.Th scope="col">Reachable by</Table.Th>
            <Table.Th scope="col" style={numeric}>
              Records
            </Table.Th>
            {canReadPii ? (
              <Table.Th scope="col">
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            ) : null}
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.map((person) => (
            <Table.Tr key={person.id}>
              <Table.Td ff="monospace">#{person.pn}</Table.Td>
              {showsIdentifiers ? (
                <>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {person.masked?.email ?? <Text c="dimmed">—</Text>}
                  </Table.Td>
                  <Table.Td ff="monospace" style={{ whiteSpace: 'nowrap' }}>
                    {person.masked?.phone ?? <Text c="dimmed">—</Text>}
                  </Table.Td>
                </>
              ) : null}
              <Table.Td>
                <Badge
                  color={riskTierColors[person.riskTier]}
                  variant="light"
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {riskTierLabels[person.riskTier]}
                </Badge>
              </Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                {jurisdictionLabel(person.jurisdiction)}
                {person.jurisdictionDisputed ? (
                  <Text span size="xs" c="orange.9">
                    {' '}
                    (records disagree)
                  </Text>
                ) : null}
              </Table.Td>
              <Table.Td>
                <Group gap={4}>
                  {person.categories.map((category) => (
                    <Badge key={category} variant="outline" color="gray" size="sm" tt="none">
                      {categoryLabel(category)}
                    </Badge>
                  ))}
                </Group>
              </Table.Td>
              <Table.Td>
                <Text
                  size="sm"
                  c={
                    person.reachable.email || person.reachable.phone || person.reachable.postal
                      ? undefined
                      : 'red.8'
                  }
                >
                  {reachOf(person)}
                </Text>
              </Table.Td>
              <Table.Td style={numeric}>{formatCount(person.records)}</Table.Td>
              {canReadPii ? (
                <Table.Td>
                  <Button size="xs" variant="light" onClick={() => onOpen(person.id)}>
                    Open #{person.pn}
                  </Button>
                </Table.Td>
              ) : null}
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
