import { Button, Group, Modal, Stack, Text, TextInput } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Campaign } from '../../api/types.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, plural } from '../../components/format.ts';
import { RouterButton } from '../../components/RouterLinks.tsx';
import { localInputValue, toInstant } from '../incidents/incident-queries.ts';
import { channelLabels } from './campaign-labels.ts';
import { useCampaignChange } from './campaign-queries.ts';

type Move = 'pause' | 'resume' | 'cancel';

/** What the team may do with the campaign now: start or schedule, pause, resume, cancel, edit. */
export function CampaignActions({ campaign }: { campaign: Campaign }) {
  const [isScheduling, schedule] = useDisclosure(false);
  const start = useCampaignChange(campaign, (at: string | undefined) =>
    api.post<Campaign>(`/api/campaigns/${campaign.id}/start`, at ? { at } : {}),
  );
  const move = useCampaignChange(campaign, (action: Move) =>
    api.post<Campaign>(`/api/campaigns/${campaign.id}/${action}`),
  );
  const { status, reach } = campaign;
  const canStart = status === 'draft' || status === 'scheduled';
  const canEdit = status === 'draft' || status === 'scheduled' || status === 'paused';
  const reached = reach.total - reach.unreachable;
  const chain = campaign.channels.map((c) => channelLabels[c]).join(', then ');
  const isBusy = start.isPending || move.isPending;

  return (
    <Stack gap="xs" align="flex-end">
      <Group gap="xs" justify="flex-end">
        {canEdit ? (
          <RouterButton
            variant="default"
            to="/incidents/$incidentId/campaigns/$campaignId/edit"
            params={{ incidentId: campaign.incidentId, campaignId: campaign.id }}
          >
            Edit
          </RouterButton>
        ) : null}
        {status === 'running' || status === 'preparing' || status === 'scheduled' ? (
          <ConfirmButton
            variant="default"
            color="orange"
            title="Pause this campaign?"
            message={
              status === 'running'
                ? 'No new message leaves after the ones being sent now. Resume when you are ready; nobody is sent twice.'
                : status === 'preparing'
                  ? 'Preparing the messages stops; nothing has been sent yet. Resume to go on where it stopped.'
                  : 'The scheduled start is held. Resume to wait for approval and start again.'
            }
            confirmLabel="Pause"
            onConfirm={() => move.mutate('pause')}
            disabled={isBusy}
          >
            Pause
          </ConfirmButton>
        ) : null}
        {status === 'paused' ? (
          <ConfirmButton
            color="blue"
            title="Resume this campaign?"
            message="Sending continues where it stopped. Edited variants must be approved again first."
            confirmLabel="Resume"
            onConfirm={() => move.mutate('resume')}
            loading={move.isPending && move.variables === 'resume'}
            disabled={isBusy}
          >
            Resume
          </ConfirmButton>
        ) : null}
        {status !== 'finished' && status !== 'cancelled' ? (
          <ConfirmButton
            variant="default"
            color="red"
            title="Cancel this campaign?"
            message={
              campaign.startedAt
                ? 'Nothing more is sent. Messages already sent stay sent; a cancelled campaign cannot be resumed.'
                : 'The campaign will never be sent. It stays in the list, cancelled; this cannot be undone.'
            }
            confirmLabel="Cancel the campaign"
            onConfirm={() => move.mutate('cancel')}
            disabled={isBusy}
          >
            Cancel campaign
          </ConfirmButton>
        ) : null}
        {canStart ? (
          <>
            <Button variant="light" onClick={schedule.open} disabled={!campaign.readyToStart || isBusy}>
              {status === 'scheduled' ? 'Reschedule…' : 'Schedule at…'}
            </Button>
            <ConfirmButton
              color="blue"
              title="Start sending now?"
              message={
                <>
                  {plural(reached, 'person', 'people')} will be sent the notice ({chain}).{' '}
                  {reach.unreachable > 0
                    ? `${formatCount(reach.unreachable)} cannot be reached by any of these channels and are recorded as not sent. `
                    : ''}
                  You can pause at any time; messages already sent cannot be recalled.
                </>
              }
              confirmLabel="Start now"
              onConfirm={() => start.mutate(undefined)}
              loading={start.isPending}
              disabled={!campaign.readyToStart || isBusy}
            >
              Start now
            </ConfirmButton>
          </>
        ) : null}
      </Group>
      {canStart && !campaign.readyToStart ? (
        <Text size="xs" c="dimmed" ta="right">
          Starting is possible once nothing below blocks it.
        </Text>
      ) : null}
      <ErrorAlert error={start.error ?? move.error} title="That did not work" />
      <ScheduleModal
        isOpen={isScheduling}
        onClose={schedule.close}
        isPending={start.isPending}
        onSchedule={(at) => start.mutate(at, { onSuccess: schedule.close })}
      />
    </Stack>
  );
}

function ScheduleModal({
  isOpen,
  onClose,
  isPending,
  onSchedule,
}: {
  isOpen: boolean;
  onClose: () => void;
  isPending: boolean;
  onSchedule: (at: string) => void;
}) {
  const [value, setValue] = useState('');
  const [problem, setProblem] = useState<string | null>(null);
  const now = localInputValue(new Date());
  function submit(event: FormEvent) {
    event.preventDefault();
    const at = toInstant(value);
    if (!at || Date.parse(at) <= Date.now() + 60_000) {
      setProblem('Choose a time at least a minute from now (or use Start now).');
      return;
    }
    onSchedule(at);
  }
  return (
    <Modal opened={isOpen} onClose={onClose} title="Schedule the campaign">
      <form onSubmit={submit} noValidate>
        <Stack gap="md">
          <Text size="sm">
            Sending starts by itself at this time, if every variant is still approved then. Times are in your
            time zone ({Intl.DateTimeFormat().resolvedOptions().timeZone}).
          </Text>
          <TextInput
            label="Start at"
            type="datetime-local"
            min={now}
            value={value}
            onChange={(e) => {
              setValue(e.currentTarget.value);
              setProblem(null);
            }}
            error={problem}
            required
            data-autofocus
          />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={isPending}>
              Schedule
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
