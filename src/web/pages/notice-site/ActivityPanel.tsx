import { Center, Group, Loader, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { NoticeStats } from '../../../shared/contracts/notice-site.ts';
import { BarChart } from '../../components/BarChart.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { StatCard } from '../people/StatCard.tsx';
import { FeedbackComments } from './FeedbackComments.tsx';
import { statsQuery } from './site-queries.ts';

const dayLabel = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', timeZone: 'UTC' });

/** "2024-05-03" as "May 3": the day is a calendar date, so it is read in UTC to stay the same date. */
function formatDay(day: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  return Number.isNaN(date.getTime()) ? day : dayLabel.format(date);
}

/** What visitors did on the site over the last 30 days, and what they thought of it. */
export function ActivityPanel({ incidentId }: { incidentId: string }) {
  const stats = useQuery(statsQuery(incidentId));
  if (stats.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the site’s activity" />
      </Center>
    );
  }
  if (stats.error) return <ErrorAlert error={stats.error} title="The activity could not be loaded" />;
  return (
    <Stack gap="xl">
      <Counts stats={stats.data} />
      <Feedback incidentId={incidentId} stats={stats.data} />
    </Stack>
  );
}

function Counts({ stats }: { stats: NoticeStats }) {
  const { totals, subscriptions, messages } = stats;
  return (
    <Stack gap="md" component="section" aria-labelledby="activity-title">
      <div>
        <Title order={2} size="h3" id="activity-title">
          Activity
        </Title>
        <Text size="sm" c="dimmed">
          Totals since the site opened; the chart shows the last 30 days. Counts only: the site keeps no
          record of who looked themselves up. Refreshed every minute.
        </Text>
      </div>
      <SimpleGrid cols={{ base: 2, sm: 3, lg: 4 }} spacing="md">
        <StatCard label="Lookups" value={totals.lookups} />
        <StatCard
          label="Told they are affected"
          value={totals.answeredAffected}
          hint={`${formatCount(totals.answeredUnaffected)} told they are not`}
        />
        <StatCard
          label="Messages checked: genuine"
          value={totals.verifyGenuine}
          hint={`${formatCount(totals.verifyUnknown)} not recognised`}
        />
        <StatCard label="Personal page views" value={totals.personalViews} />
        <StatCard label="Contact messages" value={totals.contacts} />
        <StatCard
          label="Subscribers"
          value={subscriptions.confirmed}
          hint={`${formatCount(subscriptions.pending)} awaiting confirmation · ${formatCount(subscriptions.unsubscribed)} unsubscribed`}
        />
        <StatCard
          label="Messages sent by the site"
          value={messages.sent}
          hint={`${formatCount(messages.pending)} queued · ${formatCount(messages.failed)} failed · ${formatCount(messages.skipped)} skipped`}
        />
      </SimpleGrid>
      <BarChart
        title="Lookups per day"
        description="People who checked whether they are affected, each day of the last 30 (oldest first)."
        labelHeader="Day"
        valueHeader="Lookups"
        bars={stats.days.map((d) => ({ key: d.day, label: formatDay(d.day), value: d.lookups }))}
      />
    </Stack>
  );
}

function Feedback({ incidentId, stats }: { incidentId: string; stats: NoticeStats }) {
  const { feedback } = stats;
  const average = feedback.average === null ? '—' : feedback.average.toFixed(1);
  return (
    <Stack gap="md" component="section" aria-labelledby="feedback-title">
      <div>
        <Title order={2} size="h3" id="feedback-title">
          Feedback
        </Title>
        <Text size="sm" c="dimmed">
          Visitors rate the page from 1 (not helpful) to 5 (very helpful) and may leave a comment.
        </Text>
      </div>
      <Group gap="xl" align="flex-start" wrap="wrap">
        <Stack gap={0} role="group" aria-label="Average rating">
          <Text size="sm" c="dimmed" fw={500}>
            Average rating
          </Text>
          <Text fz={28} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
            {average}
            <Text span size="sm" c="dimmed" fw={400}>
              {' '}
              / 5
            </Text>
          </Text>
          <Text size="xs" c="dimmed">
            from {formatCount(feedback.count)} ratings
          </Text>
        </Stack>
        <div style={{ flex: '1 1 24rem' }}>
          <BarChart
            title="Ratings"
            labelHeader="Rating"
            valueHeader="Ratings"
            total={feedback.count}
            bars={feedback.distribution.map((count, index) => ({
              key: String(index + 1),
              label: `${index + 1} ${index === 0 ? 'star' : 'stars'}`,
              value: count,
              color: index < 2 ? 'red' : index === 2 ? 'yellow' : 'teal',
            }))}
          />
        </div>
      </Group>
      <FeedbackComments incidentId={incidentId} />
    </Stack>
  );
}
