import { Alert, Badge, Center, Group, Loader, Modal, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { api } from '../../api/client.ts';
import type { PersonDetail } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { categoryLabel, fieldLabel, jurisdictionLabel, riskTierColors, riskTierLabels } from './labels.ts';
import { peopleKeys } from './people-queries.ts';

interface PersonModalProps {
  incidentId: string;
  personId: string | null;
  onClose: () => void;
}

/** One person with their identifiers decrypted: each opening is one audited read of personal data. */
export function PersonModal({ incidentId, personId, onClose }: PersonModalProps) {
  return (
    <Modal opened={personId !== null} onClose={onClose} title="Affected person" size="xl">
      {personId ? <Person incidentId={incidentId} personId={personId} /> : null}
    </Modal>
  );
}

function Person({ incidentId, personId }: { incidentId: string; personId: string }) {
  const person = useQuery({
    queryKey: peopleKeys.person(incidentId, personId),
    queryFn: ({ signal }) =>
      api.get<PersonDetail>(`/api/incidents/${incidentId}/people/${personId}`, undefined, signal),
    // Decrypted identifiers leave memory as soon as the dialog closes, and are never refetched silently.
    gcTime: 0,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    retry: false,
  });

  if (person.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Decrypting the person's identifiers" />
      </Center>
    );
  }
  if (person.error) return <ErrorAlert error={person.error} title="This person could not be opened" />;
  const p = person.data;
  const identifiers = Object.entries(p.identifiers);

  return (
    <Stack gap="lg">
      <Alert color="blue" variant="light">
        This view is recorded in the audit log under your name. Identifiers are decrypted for this view only.
      </Alert>
      <Group gap="sm">
        <Text fw={600} ff="monospace">
          #{p.pn}
        </Text>
        <Badge color={riskTierColors[p.riskTier]} variant="light">
          {riskTierLabels[p.riskTier]} risk
        </Badge>
        <Text size="sm">
          Jurisdiction {jurisdictionLabel(p.jurisdiction)}
          {p.jurisdictionDisputed ? ' (their records disagree: the most recent address counts)' : ''}
        </Text>
      </Group>
      <Stack gap="xs">
        <Title order={3}>Identifiers</Title>
        {identifiers.length === 0 ? (
          <Text size="sm" c="dimmed">
            No identifiers are stored for this person.
          </Text>
        ) : (
          <Table verticalSpacing="xs" aria-label="Identifiers">
            <Table.Tbody>
              {identifiers.map(([field, values]) => (
                <Table.Tr key={field}>
                  <Table.Th scope="row" w={220}>
                    {fieldLabel(field)}
                  </Table.Th>
                  <Table.Td>
                    <Stack gap={2}>
                      {values.map((value) => (
                        <Text key={value} size="sm" ff="monospace" style={{ wordBreak: 'break-all' }}>
                          {value}
                        </Text>
                      ))}
                    </Stack>
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
      <Stack gap="xs">
        <Title order={3}>Data exposed</Title>
        <Group gap={6}>
          {p.categories.map((category) => (
            <Badge key={category} variant="light" color="gray" tt="none">
              {categoryLabel(category)}
            </Badge>
          ))}
        </Group>
      </Stack>
      <Stack gap="xs">
        <Title order={3}>Where it comes from</Title>
        <Table verticalSpacing="xs" striped aria-label="Source records">
          <Table.Thead>
            <Table.Tr>
              <Table.Th scope="col">File</Table.Th>
              <Table.Th scope="col" w={80}>
                Line
              </Table.Th>
              <Table.Th scope="col">Data in this record</Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {p.sources.map((source) => (
              <Table.Tr key={`${source.importId}:${source.line}`}>
                <Table.Td style={{ wordBreak: 'break-all' }}>{source.fileName}</Table.Td>
                <Table.Td ff="monospace">{source.line}</Table.Td>
                <Table.Td>{source.categories.map(categoryLabel).join(', ')}</Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Stack>
    </Stack>
  );
}
