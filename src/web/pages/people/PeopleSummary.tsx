import { SimpleGrid, Stack, Title } from '@mantine/core';
import { type Category, riskTiers } from '../../../shared/taxonomy.ts';
import type { PeopleStats } from '../../api/types.ts';
import { type Bar, BarChart } from '../../components/BarChart.tsx';
import {
  categoryLabel,
  jurisdictionLabel,
  reachabilityLabels,
  riskTierColors,
  riskTierLabels,
} from './labels.ts';
import { StatCard } from './StatCard.tsx';

const TOP_JURISDICTIONS = 15;

function categoryBars(stats: PeopleStats): Bar[] {
  return (Object.entries(stats.byCategory) as Array<[Category, number]>)
    .sort((a, b) => b[1] - a[1])
    .map(([category, value]) => ({ key: category, label: categoryLabel(category), value }));
}

/** The 15 largest jurisdictions, then one bar for all the others. */
function jurisdictionBars(stats: PeopleStats): Bar[] {
  const sorted = Object.entries(stats.byJurisdiction).sort((a, b) => b[1] - a[1]);
  const bars: Bar[] = sorted.slice(0, TOP_JURISDICTIONS).map(([code, value]) => ({
    key: code,
    label: jurisdictionLabel(code),
    value,
    color: code === 'unknown' ? 'gray' : 'indigo',
  }));
  const rest = sorted.slice(TOP_JURISDICTIONS);
  if (rest.length > 0) {
    bars.push({
      key: '__other',
      label: `${rest.length} other${rest.length === 1 ? '' : 's'}`,
      value: rest.reduce((sum, [, n]) => sum + n, 0),
      color: 'gray',
    });
  }
  return bars;
}

function riskBars(stats: PeopleStats): Bar[] {
  return riskTiers.map((tier) => ({
    key: tier,
    label: riskTierLabels[tier],
    value: stats.byRiskTier[tier],
    color: riskTierColors[tier],
  }));
}

function reachabilityBars(stats: PeopleStats): Bar[] {
  return (['email', 'phone', 'postal', 'none'] as const).map((channel) => ({
    key: channel,
    label: reachabilityLabels[channel],
    value: stats.reachable[channel],
    color: channel === 'none' ? 'red' : 'teal',
  }));
}

export function PeopleSummary({ stats }: { stats: PeopleStats }) {
  return (
    <Stack gap="md" component="section" aria-labelledby="people-summary-title">
      <Title order={2} id="people-summary-title">
        Who was affected
      </Title>
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <StatCard label="People" value={stats.people} hint="Unique people after resolution" />
        <StatCard label="Records" value={stats.records} hint="Rows that became part of a person" />
        <StatCard label="Rejected rows" value={stats.rejected} hint="Unreadable or without an identifier" />
        <StatCard label="Open conflicts" value={stats.conflicts} hint="Possible duplicates to review" />
      </SimpleGrid>
      <SimpleGrid cols={{ base: 1, md: 2 }}>
        <BarChart
          title="Data exposed"
          description="People with each category of data in the breach."
          bars={categoryBars(stats)}
          labelHeader="Data category"
          valueHeader="People"
          total={stats.people}
        />
        <BarChart
          title="Where they live"
          description={
            Object.keys(stats.byJurisdiction).length > TOP_JURISDICTIONS
              ? `From each person's most recent address; the ${TOP_JURISDICTIONS} largest, then all others together.`
              : "From each person's most recent address."
          }
          bars={jurisdictionBars(stats)}
          labelHeader="Jurisdiction"
          valueHeader="People"
          total={stats.people}
        />
        <BarChart
          title="Risk tier"
          description="High: credentials, government IDs, financial or health data. Medium: birth date, address, phone, username, location."
          bars={riskBars(stats)}
          labelHeader="Risk tier"
          valueHeader="People"
          total={stats.people}
        />
        <BarChart
          title="How to reach them"
          description="People with a usable address on each channel; one person can have several."
          bars={reachabilityBars(stats)}
          labelHeader="Channel"
          valueHeader="People"
          total={stats.people}
        />
      </SimpleGrid>
    </Stack>
  );
}
