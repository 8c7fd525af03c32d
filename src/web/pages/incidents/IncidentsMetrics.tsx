import { useQuery } from '@tanstack/react-query';
import type { IncidentMetrics, MetricsOverview } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { metricsQuery } from './incident-queries.ts';
import { type TimingBar, TimingChart, type TimingGroup } from './TimingChart.tsx';
import { measureColors } from './TimingsCard.tsx';

const MOST_RECENT = 12;

function barsOf(metrics: IncidentMetrics, reference: MetricsOverview['reference']): TimingBar[] {
  return [
    {
      series: 'Identify',
      days: metrics.identifyDays,
      color: measureColors.identifyDays,
      marker: reference.identifyDays,
      missing: 'Occurred or detected time missing',
    },
    {
      series: 'Contain',
      days: metrics.containDays,
      color: measureColors.containDays,
      marker: reference.containDays,
      missing: 'Not contained yet',
    },
    {
      series: 'Notify',
      days: metrics.notifyDays,
      color: measureColors.notifyDays,
      missing: 'No notice sent yet',
    },
  ];
}

/** Time to identify, contain and notify per incident, against the company average and the industry mean. */
export function IncidentsMetrics() {
  const metrics = useQuery(metricsQuery);
  if (metrics.isPending) return null;
  if (metrics.error)
    return <ErrorAlert error={metrics.error} title="The response timings could not be loaded" />;
  const { reference, companyAverage, incidents } = metrics.data;
  if (incidents.length === 0) return null;
  const recent = [...incidents].reverse().slice(0, MOST_RECENT);
  const groups: TimingGroup[] = [
    {
      key: '__average',
      label: `Company average (${incidents.length} incident${incidents.length === 1 ? '' : 's'})`,
      bars: barsOf(companyAverage, reference),
    },
    ...recent.map((incident) => ({
      key: incident.id,
      label: incident.title,
      bars: barsOf(incident, reference),
    })),
  ];
  return (
    <TimingChart
      title="Response timings"
      description={`Days to identify (start of access → detection), contain (detection → containment) and notify (awareness → first notice)${incidents.length > MOST_RECENT ? `, for the ${MOST_RECENT} most recent incidents` : ''}. The black tick is the industry mean (${reference.source}: ${reference.identifyDays} days to identify, ${reference.containDays} to contain).`}
      groups={groups}
      groupHeader="Incident"
      markerLabel="Industry mean"
    />
  );
}
