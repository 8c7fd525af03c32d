import { Badge, Group, Paper, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { CampaignSummary } from '../../api/types.ts';
import { formatCount, formatDateTime, plural } from '../../components/format.ts';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { campaignStatusColors, campaignStatusLabels, channelLabels } from './campaign-labels.ts';
import { campaignStatusQuery } from './campaign-queries.ts';
import { ProgressBar } from './ProgressBar.tsx';

/** What a campaign is waiting for, or what it did, in a few words. */
export function campaignMoment(c: CampaignSummary): string {
  switch (c.status) {
    case 'draft':
      return c.readyToStart ? 'Approved, ready to start' : 'Draft, not started';
    case 'scheduled':
      return `Starts ${formatDateTime(c.scheduledAt)}`;
    case 'preparing':
      return `Preparing its messages since ${formatDateTime(c.startedAt)}`;
    case 'running':
      return `Sending since ${formatDateTime(c.startedAt)}`;
    case 'paused':
      return c.pausedReason ?? 'Paused';
    case 'finished':
      return `Finished ${formatDateTime(c.finishedAt)}`;
    case 'cancelled':
      return `Cancelled ${formatDateTime(c.finishedAt)}`;
  }
}

/** One campaign in a list: status, channels, reach, and its progress once started. */
export function CampaignCard({ campaign: c, context }: { campaign: CampaignSummary; context?: string }) {
  const titleId = useId();
  const hasStarted = c.startedAt !== null;
  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={titleId}
      style={{ borderLeft: `4px solid var(--mantine-color-${campaignStatusColors[c.status]}-filled)` }}
    >
      <Stack gap="xs">
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            {context ? (
              <Text size="xs" c="dimmed" truncate="end">
                {context}
              </Text>
            ) : null}
            <Title order={3} size="h5" id={titleId}>
              <RouterAnchor
                to="/incidents/$incidentId/campaigns/$campaignId"
                params={{ incidentId: c.incidentId, campaignId: c.id }}
                inherit
              >
                {c.name}
              </RouterAnchor>
            </Title>
            <Text size="sm" c="dimmed">
              {c.channels.map((ch) => channelLabels[ch]).join(' → ')} ·{' '}
              {plural(c.reach.total, 'person', 'people')}
              {c.reach.unreachable > 0 ? ` (${formatCount(c.reach.unreachable)} unreachable)` : ''} · by{' '}
              {c.createdBy}
            </Text>
          </Stack>
          <Stack gap={2} align="flex-end" style={{ flexShrink: 0 }}>
            <Badge color={campaignStatusColors[c.status]} variant={c.status === 'draft' ? 'light' : 'filled'}>
              <VisuallyHidden>Status: </VisuallyHidden>
              {campaignStatusLabels[c.status]}
            </Badge>
            <Text size="xs" c="dimmed" ta="right" maw={280} lineClamp={2}>
              {campaignMoment(c)}
            </Text>
          </Stack>
        </Group>
        {hasStarted ? (
          <CardProgress campaign={c} />
        ) : c.blockers.length > 0 ? (
          <Text size="sm" c="orange.8">
            {c.blockers[0]}
            {c.blockers.length > 1 ? ` (+${c.blockers.length - 1} more)` : ''}
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

function CardProgress({ campaign: c }: { campaign: CampaignSummary }) {
  const status = useQuery(campaignStatusQuery(c.id, c.status === 'running' || c.status === 'preparing'));
  if (!status.data) return null;
  return (
    <ProgressBar
      counts={status.data.byState}
      total={status.data.total}
      label={`Progress of ${c.name}`}
      size="md"
      isAnimated={c.status === 'running'}
    />
  );
}
