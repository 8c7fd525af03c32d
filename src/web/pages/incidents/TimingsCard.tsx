import { useQuery } from '@tanstack/react-query';
import { referenceTimings } from '../../../shared/contracts/incidents.ts';
import type { IncidentMetrics } from '../../api/types.ts';
import { useCan } from '../../components/useCan.ts';
import { metricsQuery } from './incident-queries.ts';
import { type TimingBar, TimingChart, type TimingGroup } from './TimingChart.tsx';

/** What each measure needs, said where the number would be. */
const measures = [
  { key: 'identifyDays', label: 'Time to identify', needs: 'Needs the occurred and detected times' },
  { key: 'containDays', label: 'Time to contain', needs: 'Needs the detected and contained times' },
  { key: 'notifyDays', label: 'Time to notify', needs: 'Needs the aware and first notice times' },
] as const;

export const measureColors = { identifyDays: 'blue', containDays: 'teal', notifyDays: 'grape' } as const;

function referenceOf(key: keyof IncidentMetrics): number | null {
  if (key === 'identifyDays') return referenceTimings.identifyDays;
  if (key === 'containDays') return referenceTimings.containDays;
  return null;
}

/**
 * This incident's time to identify, contain and notify next to the company's average and the industry
 * reference (IBM / Ponemon 2018; none is published for notification).
 */
export function TimingsCard({ metrics }: { metrics: IncidentMetrics }) {
  const canSeeInsights = useCan('insights:read');
  const overview = useQuery({ ...metricsQuery, enabled: canSeeInsights });
  const average = overview.data?.companyAverage;

  const groups: TimingGroup[] = measures.map((measure) => {
    const bars: TimingBar[] = [
      { series: 'This incident', days: metrics[measure.key], color: 'blue', missing: measure.needs },
    ];
    if (canSeeInsights) {
      bars.push({
        series: 'Company average',
        days: average?.[measure.key] ?? null,
        color: 'indigo.3',
        missing: overview.isPending ? 'Loading…' : 'No incident has these times yet',
      });
    }
    bars.push({
      series: 'Industry mean',
      days: referenceOf(measure.key),
      color: 'gray.5',
      missing: 'No published reference',
    });
    return { key: measure.key, label: measure.label, bars };
  });

  return (
    <TimingChart
      title="Response timings"
      description={`Days from start of access to detection (identify), detection to containment (contain) and awareness to the first notice (notify). Industry mean: ${referenceTimings.source}.`}
      groups={groups}
      groupHeader="Measure"
    />
  );
}
