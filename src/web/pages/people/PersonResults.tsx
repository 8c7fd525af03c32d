import { Badge, Button, Group, Table, Text, VisuallyHidden } from '@mantine/core';
import type { PersonSummary } from '../../api/types.ts';
import { formatCount } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { categoryLabel, jurisdictionLabel, riskTierColors, riskTierLabels } from './labels.ts';

export function PersonResults({
  people,
  onOpen,
}: {
  people: PersonSummary[];
  onOpen: (personId: string) => void;
}) {
  const canReadPii = useCan('people:read_pii');
  if (people.length === 0) {
    return (
      <Text role="status" size="sm">
        Nobody in this incident has that identifier. Check it, or search by another one.
      </Text>
    );
  }
  return (
    <Table.ScrollContainer minWidth={760}>
      <Table verticalSpacing="sm" aria-label="Matching people">
        <Table.Caption>
          {people.length === 1 ? 'One person matches.' : `${formatCount(people.length)} people match.`}
        </Table.Caption>
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Person</Table.Th>
            <Table.Th scope="col">Risk</Table.Th>
            <Table.Th scope="col">Jurisdiction</Table.Th>
            <Table.Th scope="col">Data exposed</Table.Th>
            <Table.Th scope="col" ta="right">
              Records
            </Table.Th>
            <Table.Th scope="col">
              <VisuallyHidden>Actions</VisuallyHidden>
            </Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {people.map((person) => (
            <Table.Tr key={person.id}>
              <Table.Td ff="monospace">#{person.pn}</Table.Td>
              <Table.Td style={{ whiteSpace: 'nowrap' }}>
                <Badge
                  color={riskTierColors[person.riskTier]}
                  variant="light"
                  styles={{ label: { overflow: 'visible' } }}
                >
                  {riskTierLabels[person.riskTier]}
                </Badge>
              </Table.Td>
              <Table.Td>
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
              <Table.Td ta="right">{formatCount(person.records)}</Table.Td>
              <Table.Td>
                {canReadPii ? (
                  <Button size="xs" variant="light" onClick={() => onOpen(person.id)}>
                    Open #{person.pn}
                  </Button>
                ) : (
                  <Text size="xs" c="dimmed">
                    Your role cannot see identifiers
                  </Text>
                )}
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}
