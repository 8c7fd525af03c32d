import { Alert, Center, Loader, Paper, Progress, SimpleGrid, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import type { Channel, StateCounts } from '../../../shared/contracts/campaigns.ts';
import type { Campaign, CampaignStatus } from '../../api/types.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { StatCard } from '../people/StatCard.tsx';
import { channelLabels, deliveryStates, doneCount, isMoving } from './campaign-labels.ts';
import { campaignKeys, campaignStatusQuery, LIVE_POLL_MS } from './campaign-queries.ts';
import { LettersCard } from './LettersCard.tsx';
import { ProgressBar } from './ProgressBar.tsx';

/** "about 4 min", "1 h 20 min": an estimate, so no seconds past the first minute. */
export function formatEta(seconds: number | null, state: CampaignStatus['state']): string {
  if (state === 'finished') return 'Done';
  if (seconds === null) return state === 'paused' ? 'Paused' : 'Not yet known';
  if (seconds === 0) return 'Finishing';
  if (seconds < 60) return `${seconds} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `about ${minutes} min`;
  return `about ${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const isSending = (campaign: Campaign) => isMoving(campaign.status);

/**
 * Follows a sending campaign's state: the engine finishes (or pauses) it by itself, and the page's header
 * and actions must follow wherever the reader is on the page.
 */
export function useFollowCampaignState(campaign: Campaign): void {
  const queryClient = useQueryClient();
  const status = useQuery({
    ...campaignStatusQuery(campaign.id, isSending(campaign)),
    enabled: isSending(campaign),
  });
  const state = status.data?.state;
  useEffect(() => {
    if (state && state !== campaign.status) {
      void queryClient.invalidateQueries({ queryKey: campaignKeys.detail(campaign.id), exact: true });
      void queryClient.invalidateQueries({ queryKey: campaignKeys.letters(campaign.id) });
      void queryClient.invalidateQueries({ queryKey: campaignKeys.incident(campaign.incidentId) });
    }
  }, [state, campaign.status, campaign.id, campaign.incidentId, queryClient]);
}

/** Progress while the campaign sends (read every two seconds), and the record once it is over. */
export function LiveProgress({ campaign }: { campaign: Campaign }) {
  const isPolling = isSending(campaign);
  const status = useQuery(campaignStatusQuery(campaign.id, isPolling));

  if (status.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the progress" />
      </Center>
    );
  }
  if (status.error) return <ErrorAlert error={status.error} title="The progress could not be read" />;
  const s = status.data;
  if (s.preparation && !s.preparation.isDone) {
    return <Preparation preparation={s.preparation} state={s.state} pausedReason={s.pausedReason} />;
  }
  if (s.total === 0) {
    return (
      <Text c="dimmed" py="md">
        {campaign.status === 'scheduled'
          ? 'Nothing sent yet: the campaign starts at its scheduled time.'
          : 'Nothing sent yet. Progress shows here once the campaign starts.'}
      </Text>
    );
  }
  const done = doneCount(s.byState);
  const channels = Object.keys(s.byChannel) as Channel[];

  return (
    <Stack gap="lg">
      {s.state === 'paused' && s.pausedReason ? (
        <Alert color="orange" variant="light" title="Paused" role="status">
          {s.pausedReason}
        </Alert>
      ) : null}
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <StatCard label="People" value={s.total} hint="One notice each" />
        <StatCard
          label="Done"
          value={done}
          hint={`${s.total > 0 ? Math.round((done / s.total) * 100) : 0}% of people`}
        />
        <StatCard label="Per minute" value={s.throughputPerMinute} hint="Sent, over the last 5 minutes" />
        <Paper withBorder p="md" role="group" aria-labelledby="eta-label">
          <Text id="eta-label" size="sm" c="dimmed" fw={500}>
            Time left
          </Text>
          <Text fz={28} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {formatEta(s.etaSeconds, s.state)}
          </Text>
          <Text size="xs" c="dimmed">
            {isPolling ? `Updated every ${LIVE_POLL_MS / 1000} s` : 'At the current pace'}
          </Text>
        </Paper>
      </SimpleGrid>

      <Paper withBorder p="md" component="section" aria-labelledby="overall-progress">
        <Stack gap="xs">
          <Title order={3} size="h5" id="overall-progress">
            All people
          </Title>
          <ProgressBar
            counts={s.byState}
            total={s.total}
            label={`Progress of ${campaign.name}`}
            isAnimated={s.state === 'running'}
          />
        </Stack>
      </Paper>

      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <BarChart
          title="People by delivery state"
          description="Where each person’s notice is now. Fell back: the first channel failed and the next one took over."
          bars={deliveryStates.map((d) => ({
            key: d.key,
            label: d.label,
            value: s.byState[d.key],
            color: d.color,
          }))}
          labelHeader="State"
          valueHeader="People"
          total={s.total}
        />
        <Paper withBorder p="md" component="section" aria-labelledby="by-channel-title">
          <Stack gap="sm">
            <div>
              <Text fw={600} id="by-channel-title">
                By channel
              </Text>
              <Text size="xs" c="dimmed">
                Messages per channel; fell back means the channel failed and the next one was tried.
              </Text>
            </div>
            {channels.map((channel) => (
              <Stack key={channel} gap={4}>
                <Text size="sm" fw={500}>
                  {channelLabels[channel] ?? channel}
                </Text>
                <ProgressBar
                  counts={s.byChannel[channel]!}
                  total={channelTotal(s.byChannel[channel]!)}
                  label={`Progress by ${channelLabels[channel] ?? channel}`}
                  size="md"
                  showFellBack
                />
              </Stack>
            ))}
          </Stack>
        </Paper>
      </SimpleGrid>

      {campaign.channels.includes('letter') ? <LettersCard campaign={campaign} /> : null}

      <Stack gap="xs" component="section" aria-labelledby="errors-title">
        <Title order={3} size="h5" id="errors-title">
          Most frequent errors
        </Title>
        {s.recentErrors.length === 0 ? (
          <Text size="sm" c="dimmed">
            No errors so far.
          </Text>
        ) : (
          <Table withTableBorder verticalSpacing="xs" aria-labelledby="errors-title">
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Channel</Table.Th>
                <Table.Th scope="col">Error</Table.Th>
                <Table.Th scope="col" ta="right">
                  People
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.recentErrors.map((e) => (
                <Table.Tr key={`${e.channel}:${e.error}`}>
                  <Table.Td>{channelLabels[e.channel as Channel] ?? e.channel}</Table.Td>
                  <Table.Td>
                    <Text size="sm" style={{ overflowWrap: 'anywhere' }}>
                      {e.error}
                    </Text>
                  </Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatCount(e.count)}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        )}
      </Stack>
    </Stack>
  );
}

/**
 * Before anything is sent: the start creates one message per person in batches (millions take minutes),
 * and sending begins once every person has theirs.
 */
function Preparation({
  preparation,
  state,
  pausedReason,
}: {
  preparation: { prepared: number; total: number };
  state: CampaignStatus['state'];
  pausedReason: string | null;
}) {
  const share = preparation.total > 0 ? Math.floor((preparation.prepared / preparation.total) * 100) : 0;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="preparation-title">
      <Stack gap="xs">
        <Title order={3} size="h5" id="preparation-title">
          Preparing the messages
        </Title>
        {state === 'paused' && pausedReason ? (
          <Alert color="orange" variant="light" title="Paused" role="status">
            {pausedReason}
          </Alert>
        ) : null}
        <Progress
          value={share}
          size="lg"
          animated={state === 'preparing'}
          aria-label="People prepared"
          aria-valuetext={`${formatCount(preparation.prepared)} of ${formatCount(preparation.total)} people`}
        />
        <Text size="sm" style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatCount(preparation.prepared)} of {formatCount(preparation.total)} people prepared ({share}%).
        </Text>
        <Text size="xs" c="dimmed">
          Nothing is sent until every person has their message; sending then starts by itself.
        </Text>
      </Stack>
    </Paper>
  );
}

function channelTotal(counts: StateCounts): number {
  return Object.values(counts).reduce((sum, n) => sum + n, 0);
}
