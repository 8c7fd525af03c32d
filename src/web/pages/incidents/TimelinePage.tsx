import {
  Badge,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  Textarea,
  ThemeIcon,
  Timeline,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { TimelineEvent } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { timelineKind } from './incident-labels.ts';
import { fieldError, incidentKeys, timelineQuery } from './incident-queries.ts';

/** Everything that happened in the response, newest first, with notes added by the team. */
export function TimelinePage({ incidentId }: { incidentId: string }) {
  const canWrite = useCan('incidents:write');
  const timeline = useQuery(timelineQuery(incidentId));
  const [kind, setKind] = useState<string | null>('all');
  const events = timeline.data?.events ?? [];
  const kinds = [...new Set(events.map((e) => e.kind))].sort();
  const shown = kind && kind !== 'all' ? events.filter((e) => e.kind === kind) : events;

  return (
    <Stack gap="lg">
      {canWrite ? <AddNote incidentId={incidentId} /> : null}
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Timeline</Title>
          <Text size="sm" c="dimmed">
            Newest first. Entries cannot be edited or removed: it is the record of the response.
          </Text>
        </div>
        {kinds.length > 1 ? (
          <Select
            label="Show"
            data={[
              { value: 'all', label: 'All events' },
              ...kinds.map((k) => ({ value: k, label: timelineKind(k).label })),
            ]}
            value={kind}
            onChange={setKind}
            allowDeselect={false}
            w={200}
          />
        ) : null}
      </Group>
      {timeline.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the timeline" />
        </Center>
      ) : timeline.error ? (
        <ErrorAlert error={timeline.error} title="The timeline could not be loaded" />
      ) : shown.length === 0 ? (
        <Text c="dimmed">Nothing here yet.</Text>
      ) : (
        <>
          <Text size="xs" c="dimmed">
            {plural(shown.length, 'event', 'events')}
          </Text>
          <Timeline bulletSize={28} lineWidth={2} role="list" aria-label="Timeline events">
            {shown.map((event) => (
              <EventItem key={event.id} event={event} />
            ))}
          </Timeline>
        </>
      )}
    </Stack>
  );
}

function EventItem({ event }: { event: TimelineEvent }) {
  const kind = timelineKind(event.kind);
  return (
    <Timeline.Item
      role="listitem"
      bullet={
        <ThemeIcon size={28} radius="xl" color={kind.color} variant="light" aria-hidden="true">
          <Text span fw={700} size="sm">
            {kind.symbol}
          </Text>
        </ThemeIcon>
      }
      title={
        <Group gap="xs" wrap="wrap">
          <Badge color={kind.color} variant="light" size="sm">
            {kind.label}
          </Badge>
          <Text size="sm" c="dimmed">
            <time dateTime={event.at}>{formatDateTime(event.at)}</time> · {event.actor}
          </Text>
        </Group>
      }
    >
      <Text size="sm" mt={4} style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} maw={900}>
        {event.summary}
      </Text>
    </Timeline.Item>
  );
}

function AddNote({ incidentId }: { incidentId: string }) {
  const queryClient = useQueryClient();
  const [text, setText] = useState('');
  const add = useMutation({
    mutationFn: (note: string) => api.post(`/api/incidents/${incidentId}/timeline`, { text: note }),
    onSuccess: async () => {
      setText('');
      await queryClient.invalidateQueries({ queryKey: incidentKeys.timeline(incidentId) });
    },
  });
  function submit(event: FormEvent) {
    event.preventDefault();
    if (text.trim()) add.mutate(text.trim());
  }
  return (
    <Paper withBorder p="md" component="form" onSubmit={submit} aria-label="Add a note">
      <Stack gap="sm">
        <Textarea
          label="Add a note"
          description="Decisions, calls and findings, in words the team and auditors will understand later. No personal data."
          value={text}
          onChange={(e) => setText(e.currentTarget.value)}
          maxLength={5000}
          autosize
          minRows={2}
          maxRows={8}
          error={fieldError(add.error, 'text')}
        />
        <ErrorAlert error={add.error} title="The note was not added" />
        <Group justify="flex-end">
          <Button type="submit" loading={add.isPending} disabled={!text.trim()}>
            Add note
          </Button>
        </Group>
      </Stack>
    </Paper>
  );
}
