import { Button, Center, Group, Loader, NumberInput, Stack, Text, Title } from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { InboxChannel, InboxSettings } from '../../../../shared/contracts/inbox.ts';
import { inboxChannels } from '../../../../shared/contracts/inbox.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { inboxChannelLabels } from '../inbox-labels.ts';
import { inboxKeys, inboxPath, putJson, settingsQuery } from '../inbox-queries.ts';

/** How soon each channel's requester should get a first answer. */
export function SlaSection({ canEdit }: { canEdit: boolean }) {
  const settings = useQuery(settingsQuery);
  return (
    <Stack gap="md" component="section" aria-labelledby="sla-title" maw={640}>
      <div>
        <Title order={2} size="h3" id="sla-title">
          First-response targets
        </Title>
        <Text size="sm" c="dimmed">
          Hours from a requester’s first message to the first answer, per channel. Threads near the target
          turn orange in the list, and red once it passes. A change applies to threads opened afterwards.
        </Text>
      </div>
      {settings.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the targets" />
        </Center>
      ) : settings.error ? (
        <ErrorAlert error={settings.error} title="The targets could not be loaded" />
      ) : (
        <SlaForm key={JSON.stringify(settings.data)} saved={settings.data} canEdit={canEdit} />
      )}
    </Stack>
  );
}

function SlaForm({ saved, canEdit }: { saved: InboxSettings; canEdit: boolean }) {
  const [hours, setHours] = useState(saved.slaHours);
  const queryClient = useQueryClient();
  const save = useMutation({
    mutationFn: (input: InboxSettings) => putJson<InboxSettings>(`${inboxPath}/settings`, input),
    onSuccess: async (next) => {
      queryClient.setQueryData(inboxKeys.settings, next);
      await queryClient.invalidateQueries({ queryKey: inboxKeys.threads });
    },
  });
  const isDirty = inboxChannels.some((channel) => hours[channel] !== saved.slaHours[channel]);

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ slaHours: hours });
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Group align="flex-start" grow>
          {inboxChannels.map((channel: InboxChannel) => (
            <NumberInput
              key={channel}
              label={`${inboxChannelLabels[channel]} (hours)`}
              value={hours[channel]}
              onChange={(value) =>
                setHours((current) => ({ ...current, [channel]: typeof value === 'number' ? value : 0 }))
              }
              min={0.25}
              max={720}
              step={1}
              decimalScale={2}
              clampBehavior="strict"
              readOnly={!canEdit}
              required
            />
          ))}
        </Group>
        <ErrorAlert error={save.error} title="The targets were not saved" />
        {canEdit ? (
          <Group justify="flex-end">
            <Button type="submit" disabled={!isDirty} loading={save.isPending}>
              Save targets
            </Button>
          </Group>
        ) : null}
      </Stack>
    </form>
  );
}
