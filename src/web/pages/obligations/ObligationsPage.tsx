import {
  Alert,
  Center,
  Group,
  Loader,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useCallback, useState } from 'react';
import type { Obligation, ObligationsReport } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime, plural } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { useCan } from '../../components/useCan.ts';
import { StatCard } from '../people/StatCard.tsx';
import { isOverdue, useNow } from './countdown.ts';
import { DecisionModal } from './DecisionModal.tsx';
import { Disclaimer } from './Disclaimer.tsx';
import { NotApplicableSection } from './NotApplicableSection.tsx';
import { ObligationCard } from './ObligationCard.tsx';
import { noticeSourceLabels } from './obligation-labels.ts';
import { obligationsQuery } from './obligation-queries.ts';
import { ReportExport } from './ReportExport.tsx';

type Filter = 'all' | 'open' | 'overdue' | 'done' | 'not_required';

/** Open first, soonest due first (undated last); decided ones after, in the same order. */
export function byDue(a: Obligation, b: Obligation): number {
  const open = (o: Obligation) => (o.status === 'open' ? 0 : 1);
  const due = (o: Obligation) => (o.dueAt ? Date.parse(o.dueAt) : Number.POSITIVE_INFINITY);
  return open(a) - open(b) || due(a) - due(b) || a.key.localeCompare(b.key);
}

export function ObligationsPage({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="obligations:read">
      <Obligations incidentId={incidentId} />
    </RequirePermission>
  );
}

function Obligations({ incidentId }: { incidentId: string }) {
  const report = useQuery(obligationsQuery(incidentId));
  if (report.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Computing the obligations" />
      </Center>
    );
  }
  if (report.error) {
    return (
      <Stack gap="md">
        <Disclaimer />
        <ErrorAlert error={report.error} title="The obligations could not be computed" />
      </Stack>
    );
  }
  return <ObligationsReportView incidentId={incidentId} report={report.data} />;
}

function ObligationsReportView({ incidentId, report }: { incidentId: string; report: ObligationsReport }) {
  const canDecide = useCan('obligations:decide');
  const [filter, setFilter] = useState<Filter>('all');
  const [deciding, setDeciding] = useState<string | null>(null);
  // Ticks each second for the overdue count; the cards are memoised and tick on their own.
  const now = useNow();
  const list = [...report.obligations].sort(byDue);
  const open = list.filter((o) => o.status === 'open');
  const overdue = open.filter((o) => isOverdue(o.dueAt, now));
  const counts: Record<Filter, number> = {
    all: list.length,
    open: open.length,
    overdue: overdue.length,
    done: list.filter((o) => o.status === 'done').length,
    not_required: list.filter((o) => o.status === 'not_required').length,
  };
  const shown =
    filter === 'all' ? list : filter === 'overdue' ? overdue : list.filter((o) => o.status === filter);
  const decidingObligation = list.find((o) => o.key === deciding) ?? null;
  const decide = useCallback((chosen: Obligation) => setDeciding(chosen.key), []);

  return (
    <Stack gap="lg">
      <Disclaimer text={report.disclaimer} />
      <Basis report={report} />
      <SimpleGrid cols={{ base: 2, md: 4 }}>
        <StatCard label="Open" value={counts.open} hint="Notices still to give" />
        <StatCard label="Overdue" value={counts.overdue} hint="Open and past their due time" />
        <StatCard label="Done" value={counts.done} hint="Given, with evidence recorded" />
        <StatCard label="Not required" value={counts.not_required} hint="Decided with reasons" />
      </SimpleGrid>
      <ReportExport incidentId={incidentId} obligations={list} />

      <Stack gap="sm" component="section" aria-labelledby="obligations-title">
        <Group justify="space-between" align="flex-end">
          <div>
            <Title order={2} size="h3" id="obligations-title">
              Obligations ({list.length})
            </Title>
            <Text size="sm" c="dimmed">
              Open notices first, soonest due first. Countdowns are live.
            </Text>
          </div>
          <SegmentedControl
            aria-label="Show obligations"
            value={filter}
            onChange={(value) => setFilter(value as Filter)}
            data={[
              { value: 'all', label: `All (${counts.all})` },
              { value: 'open', label: `Open (${counts.open})` },
              { value: 'overdue', label: `Overdue (${counts.overdue})` },
              { value: 'done', label: `Done (${counts.done})` },
              { value: 'not_required', label: `Not required (${counts.not_required})` },
            ]}
          />
        </Group>
        {shown.length === 0 ? (
          <Text c="dimmed" py="md">
            {list.length === 0
              ? 'No notice is required by the rules for this incident as it stands. Check the regimes that do not apply below, and import the affected people if you have not yet.'
              : 'No obligation matches this filter.'}
          </Text>
        ) : (
          <Stack gap="sm">
            {shown.map((o) => (
              <ObligationCard key={o.key} obligation={o} canDecide={canDecide} onDecide={decide} />
            ))}
          </Stack>
        )}
      </Stack>

      <NotApplicableSection items={report.notApplicable} />
      {canDecide ? (
        <DecisionModal
          incidentId={incidentId}
          obligation={decidingObligation}
          onClose={() => setDeciding(null)}
        />
      ) : null}
    </Stack>
  );
}

/** The settings and facts the computation used, so a reader can tell why a date is what it is. */
function Basis({ report }: { report: ObligationsReport }) {
  const { basis } = report;
  const notice =
    basis.individualNoticeSource === 'none' || !basis.individualNoticeAt
      ? noticeSourceLabels.none
      : `${formatDateTime(basis.individualNoticeAt)}, from ${noticeSourceLabels[basis.individualNoticeSource]}`;
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        Computed {formatDateTime(report.computedAt)} with rules {report.rulesVersion} ·{' '}
        {plural(basis.people, 'person', 'people')} · aware since {formatDateTime(basis.awareAt)} · days
        counted in {basis.timezone} · policy target {plural(basis.policyDays, 'day', 'days')} after awareness
        · individual notice: {notice}
        {basis.encryptedWithSafeKey ? ' · encryption safe harbour claimed' : ''}
        {basis.lawEnforcementDelayUntil
          ? ` · law-enforcement delay until ${formatDateTime(basis.lawEnforcementDelayUntil)}`
          : ''}
        .
      </Text>
      {basis.unknownJurisdiction > 0 ? (
        <Alert color="orange" variant="light" title="Some people count toward no law" role="alert">
          {formatCount(basis.unknownJurisdiction)} of{' '}
          {plural(basis.people, 'affected person', 'affected people')}{' '}
          {basis.unknownJurisdiction === 1 ? 'has' : 'have'} no known place of residence, so no regime counts{' '}
          them. Import an address or country column for them (People tab) so that their obligations appear
          here.
        </Alert>
      ) : null}
    </Stack>
  );
}
