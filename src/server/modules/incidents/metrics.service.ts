import { type MetricsOverview, referenceTimings } from '../../../shared/contracts/incidents.ts';
import type { Executor } from '../../db/database.ts';
import { metricsOf } from './incident-view.ts';
import { timingRows } from './incidents.repository.ts';

const mean = (values: Array<number | null>) => {
  const known = values.filter((v): v is number => v !== null);
  return known.length > 0 ? Math.round((known.reduce((a, b) => a + b, 0) / known.length) * 10) / 10 : null;
};

/** Time to identify, contain and notify for every incident, the company's averages and the reference. */
export async function metricsOverview(db: Executor): Promise<MetricsOverview> {
  const incidents = (await timingRows(db)).map((r) => ({
    id: r.id,
    title: r.title,
    awareAt: new Date(r.aware_at).toISOString(),
    ...metricsOf(r),
  }));
  return {
    reference: referenceTimings,
    companyAverage: {
      identifyDays: mean(incidents.map((i) => i.identifyDays)),
      containDays: mean(incidents.map((i) => i.containDays)),
      notifyDays: mean(incidents.map((i) => i.notifyDays)),
      incidents: incidents.length,
    },
    incidents,
  };
}
