import { Badge, Button, Group, Menu, Modal, Stack, Text, Textarea } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { IncidentStatus } from '../../../shared/contracts/incidents.ts';
import { api } from '../../api/client.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { statusColors, statusHints, statusLabels } from './incident-labels.ts';
import { useIncidentChange } from './incident-queries.ts';

/** "Move to…": the statuses the lifecycle allows from here, each confirmed with an optional note. */
export function StatusMenu({ incident }: { incident: IncidentDetail }) {
  const [target, setTarget] = useState<IncidentStatus | null>(null);
  const [note, setNote] = useState('');
  const close = () => {
    setTarget(null);
    setNote('');
    move.reset();
  };
  const move = useIncidentChange(
    incident.id,
    (body: { to: IncidentStatus; note?: string }) =>
      api.post<IncidentDetail>(`/api/incidents/${incident.id}/transition`, body),
    close,
  );
  if (incident.nextStatuses.length === 0) return null;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!target) return;
    move.mutate({ to: target, note: note.trim() || undefined });
  }

  return (
    <>
      <Menu position="bottom-start" withinPortal>
        <Menu.Target>
          <Button variant="default" size="xs" rightSection={<span aria-hidden="true">▾</span>}>
            Move to…
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Label>Next status</Menu.Label>
          {incident.nextStatuses.map((status) => (
            <Menu.Item key={status} onClick={() => setTarget(status)}>
              <Text size="sm" fw={500}>
                {statusLabels[status]}
              </Text>
              <Text size="xs" c="dimmed">
                {statusHints[status]}
              </Text>
            </Menu.Item>
          ))}
        </Menu.Dropdown>
      </Menu>
      <Modal
        opened={target !== null}
        onClose={close}
        title={target ? `Move to ${statusLabels[target]}` : 'Move'}
      >
        {target ? (
          <form onSubmit={submit}>
            <Stack gap="md">
              <ErrorAlert error={move.error} title="The status did not change" />
              <Group gap="xs">
                <Badge color={statusColors[incident.status]} variant="light">
                  {statusLabels[incident.status]}
                </Badge>
                <Text span aria-hidden="true">
                  →
                </Text>
                <Badge color={statusColors[target]} variant="filled">
                  {statusLabels[target]}
                </Badge>
              </Group>
              <Text size="sm">{statusHints[target]}.</Text>
              <Textarea
                label="Note (optional)"
                description="Kept on the timeline with the change, e.g. why the incident moves now."
                value={note}
                onChange={(event) => setNote(event.currentTarget.value)}
                maxLength={2000}
                autosize
                minRows={2}
                data-autofocus
              />
              <Group justify="flex-end">
                <Button variant="default" onClick={close}>
                  Cancel
                </Button>
                <Button type="submit" loading={move.isPending}>
                  Move to {statusLabels[target]}
                </Button>
              </Group>
            </Stack>
          </form>
        ) : null}
      </Modal>
    </>
  );
}
