import { Badge, Button, Group, MultiSelect, Paper, Stack, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { request } from '../../api/client.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCan } from '../../components/useCan.ts';
import { useIncidentChange, useStaff } from './incident-queries.ts';

/** Who runs the response. Editable by roles that write incidents and may list staff. */
export function OwnersCard({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const canListStaff = useCan('users:read');
  const isEditable = canEdit && canListStaff;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="incident-owners-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="incident-owners-title">
          Owners
        </Title>
        {isEditable ? (
          <OwnersEditor incident={incident} />
        ) : incident.owners.length > 0 ? (
          <Group gap={6}>
            {incident.owners.map((owner) => (
              <Badge key={owner.id} variant="light" color="gray" tt="none">
                {owner.email}
              </Badge>
            ))}
          </Group>
        ) : (
          <Text size="sm" c="dimmed">
            No owner yet.
          </Text>
        )}
      </Stack>
    </Paper>
  );
}

function OwnersEditor({ incident }: { incident: IncidentDetail }) {
  const staff = useStaff(true);
  const saved = incident.owners.map((o) => o.id);
  const [selected, setSelected] = useState<string[]>(saved);
  const save = useIncidentChange(incident.id, (userIds: string[]) =>
    request<IncidentDetail>('PUT', `/api/incidents/${incident.id}/owners`, { body: { userIds } }),
  );
  const isDirty = selected.length !== saved.length || selected.some((id) => !saved.includes(id));
  // Current owners stay listed even if their account was disabled since, so they can be removed.
  const options = [
    ...(staff.data?.users ?? [])
      .filter((u) => u.status !== 'disabled')
      .map((u) => ({ value: u.id, label: u.displayName ? `${u.displayName} (${u.email})` : u.email })),
    ...incident.owners
      .filter((o) => !staff.data?.users.some((u) => u.id === o.id && u.status !== 'disabled'))
      .map((o) => ({ value: o.id, label: o.email })),
  ];

  return (
    <Stack gap="sm">
      <MultiSelect
        label="People responsible for this incident"
        description="Who leads the response and answers for it."
        placeholder={selected.length === 0 ? 'Choose staff' : undefined}
        data={options}
        value={selected}
        onChange={setSelected}
        searchable
        disabled={staff.isPending}
        nothingFoundMessage="No staff account matches"
        maxValues={50}
      />
      <ErrorAlert error={staff.error ?? save.error} />
      {isDirty ? (
        <Group justify="flex-end" gap="xs">
          <Button variant="default" size="xs" onClick={() => setSelected(saved)}>
            Undo
          </Button>
          <Button size="xs" onClick={() => save.mutate(selected)} loading={save.isPending}>
            Save owners
          </Button>
        </Group>
      ) : null}
    </Stack>
  );
}
