import { Badge, Button, DataList, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import type { ReactNode } from 'react';
import { entityKinds, publicTitleFor } from '../../../shared/contracts/incidents.ts';
import { categoryLabels } from '../../../shared/taxonomy.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { EditDetailsModal } from './EditDetailsModal.tsx';
import { causeLabels, entityShortLabels, severityLabels } from './incident-labels.ts';

/** What happened, what leaked and the legal facts the obligations depend on. */
export function DetailsCard({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const [isEditing, edit] = useDisclosure(false);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="incident-details-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="incident-details-title">
            Details
          </Title>
          {canEdit ? (
            <Button size="xs" variant="default" onClick={edit.open}>
              Edit details
            </Button>
          ) : null}
        </Group>
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }} c={incident.description ? undefined : 'dimmed'}>
          {incident.description || 'No description yet.'}
        </Text>
        <DataList size="sm" labelWidth="12rem" withDivider>
          <Item label="Public title">
            <Stack gap={2}>
              <Text size="sm">
                {publicTitleFor(incident.publicTitle, 'en')} · {publicTitleFor(incident.publicTitle, 'es')}
              </Text>
              {incident.publicTitle.en || incident.publicTitle.es ? null : (
                <Text size="xs" c="dimmed">
                  The neutral default: people never read the internal title.
                </Text>
              )}
            </Stack>
          </Item>
          <Item label="Severity">{severityLabels[incident.severity]}</Item>
          <Item label="Cause">{incident.cause ? causeLabels[incident.cause] : <Dim>Not known yet</Dim>}</Item>
          <Item label="Systems affected">
            {incident.systemsAffected.length > 0 ? (
              <Group gap={4}>
                {incident.systemsAffected.map((system) => (
                  <Badge key={system} variant="outline" color="gray" tt="none">
                    {system}
                  </Badge>
                ))}
              </Group>
            ) : (
              <Dim>None recorded</Dim>
            )}
          </Item>
          <Item label="Data exposed">
            <Stack gap={4}>
              {incident.categories.length > 0 ? (
                <Group gap={4}>
                  {incident.categories.map((category) => (
                    <Badge key={category} variant="light" color="indigo" tt="none">
                      {categoryLabels[category]}
                    </Badge>
                  ))}
                </Group>
              ) : (
                <Dim>None recorded</Dim>
              )}
              <Text size="xs" c="dimmed">
                {incident.categoriesSource === 'people'
                  ? 'From the imported people’s records.'
                  : 'As entered (no imported people yet).'}
              </Text>
            </Stack>
          </Item>
          <Item label="Encryption safe harbour">
            {incident.encryptedWithSafeKey
              ? 'Yes: the data was encrypted and the key was not exposed'
              : 'No: the data was readable, or the key was exposed'}
          </Item>
          <Item label="Law-enforcement delay">
            {incident.lawEnforcementDelay
              ? `Yes${incident.lawEnforcementDelayUntil ? `, until ${formatDateTime(incident.lawEnforcementDelayUntil)}` : ', no end date yet'}`
              : 'No'}
          </Item>
          <Item label="Regulated as">
            <Stack gap={2}>
              {entityKinds.map((kind) => (
                <Text key={kind} size="sm">
                  {entityShortLabels[kind]}: {incident.entityEffective[kind] ? 'yes' : 'no'}{' '}
                  <Text span size="xs" c="dimmed">
                    {incident.entity[kind] === null ? '(company default)' : '(set for this incident)'}
                  </Text>
                </Text>
              ))}
            </Stack>
          </Item>
        </DataList>
      </Stack>
      {canEdit ? <EditDetailsModal incident={incident} opened={isEditing} onClose={edit.close} /> : null}
    </Paper>
  );
}

function Item({ label, children }: { label: string; children: ReactNode }) {
  return (
    <DataList.Item>
      <DataList.ItemLabel>{label}</DataList.ItemLabel>
      <DataList.ItemValue>{children}</DataList.ItemValue>
    </DataList.Item>
  );
}

function Dim({ children }: { children: ReactNode }) {
  return (
    <Text span size="sm" c="dimmed">
      {children}
    </Text>
  );
}
