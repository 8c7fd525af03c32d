import { Button, Collapse, Group, Paper, SimpleGrid, Skeleton, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { useQuery } from '@tanstack/react-query';
import { useId } from 'react';
import type { InboxStats as Stats } from '../../../shared/contracts/inbox.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { formatDuration } from '../obligations/countdown.ts';
import { statsQuery } from './inbox-queries.ts';

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2024-05-03" as "May 3": a calendar date, read in UTC so it stays the same date. */
function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayLabel.format(date);
}

function formatMinutes(minutes: number | null): string {
  if (minutes === null) return '—';
  if (minutes < 1) return 'under 1 min';
  return formatDuration(Math.round(minutes) * 60_000).replace(/ 0 s$/, '');
}

/** Headline figures over the list, with the daily volumes and ratings one click away. */
export function InboxStats() {
  const stats = useQuery(statsQuery);
  const [isOpen, { toggle }] = useDisclosure(false);
  const chartsId = useId();
  if (stats.error) return <ErrorAlert error={stats.error} title="The inbox figures could not be loaded" />;
  if (stats.isPending) return <Skeleton h={76} aria-label="Loading the inbox figures" />;
  const s = stats.data;
  const received = s.byDay.reduce((sum, d) => sum + d.received, 0);
  const answered = s.byDay.reduce((sum, d) => sum + d.answered, 0);
  const today = s.byDay.at(-1);

  return (
    <section aria-label="Inbox figures">
      <SimpleGrid cols={{ base: 2, md: 4 }} spacing="sm">
        <Figure
          label="Messages received today"
          value={formatCount(today?.received ?? 0)}
          hint={`${formatCount(received)} in 30 days`}
        />
        <Figure
          label="Replies sent today"
          value={formatCount(today?.answered ?? 0)}
          hint={`${formatCount(answered)} in 30 days`}
        />
        <Figure
          label="Median first response"
          value={formatMinutes(s.medianFirstResponseMinutes)}
          hint="Across every answered thread"
        />
        <Figure
          label="Satisfaction"
          value={s.satisfaction.average === null ? '—' : `${s.satisfaction.average.toFixed(1)} / 5`}
          hint={`From ${plural(s.satisfaction.count)}`}
        />
      </SimpleGrid>
      <Group justify="flex-end" mt={4}>
        <Button
          variant="subtle"
          size="compact-sm"
          onClick={toggle}
          aria-expanded={isOpen}
          aria-controls={chartsId}
        >
          {isOpen ? 'Hide the charts' : 'Show daily volume and ratings'}
        </Button>
      </Group>
      <Collapse expanded={isOpen} id={chartsId}>
        <Charts stats={s} />
      </Collapse>
    </section>
  );
}

const plural = (count: number) => `${formatCount(count)} ${count === 1 ? 'rating' : 'ratings'}`;

function Charts({ stats }: { stats: Stats }) {
  const days = stats.byDay;
  return (
    <SimpleGrid cols={{ base: 1, md: 3 }} spacing="md" mt="sm">
      <BarChart
        title="Received per day"
        description="New messages from requesters, each day of the last 30 (oldest first)."
        labelHeader="Day"
        valueHeader="Received"
        bars={days.map((d) => ({ key: d.day, label: formatDay(d.day), value: d.received, color: 'blue' }))}
      />
      <BarChart
        title="Answered per day"
        description="Replies sent by agents, same days."
        labelHeader="Day"
        valueHeader="Answered"
        bars={days.map((d) => ({ key: d.day, label: formatDay(d.day), value: d.answered, color: 'teal' }))}
      />
      <BarChart
        title="Satisfaction ratings"
        description="Answers to the one-click question sent when a thread is solved (1 = poor, 5 = great)."
        labelHeader="Rating"
        valueHeader="Ratings"
        total={stats.satisfaction.count}
        bars={stats.satisfaction.distribution.map((count, index) => ({
          key: String(index + 1),
          label: `${index + 1} ${index === 0 ? 'star' : 'stars'}`,
          value: count,
          color: index < 2 ? 'red' : index === 2 ? 'yellow' : 'teal',
        }))}
      />
    </SimpleGrid>
  );
}

function Figure({ label, value, hint }: { label: string; value: string; hint: string }) {
  const labelId = useId();
  return (
    <Paper withBorder px="md" py="xs" role="group" aria-labelledby={labelId}>
      <Text id={labelId} size="xs" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={22} fw={700} lh={1.25} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
      <Text size="xs" c="dimmed">
        {hint}
      </Text>
    </Paper>
  );
}
