import { Alert, Button, Center, Group, Loader, Select, Stack, Text, Title } from '@mantine/core';
import { keepPreviousData, useInfiniteQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { PeoplePageDto } from '../../../shared/contracts/people.ts';
import { type Category, categories, type RiskTier, riskTiers } from '../../../shared/taxonomy.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { useCan } from '../../components/useCan.ts';
import { categoryLabel, jurisdictionLabel, reachabilityLabels, riskTierLabels } from './labels.ts';
import { PeopleListTable } from './PeopleListTable.tsx';
import { PersonModal } from './PersonModal.tsx';
import { type PeopleListFilters, peopleListSearch } from './people-list-filters.ts';
import { peopleKeys, usePeopleStats } from './people-queries.ts';

interface Props {
  incidentId: string;
  filters: PeopleListFilters;
  onFiltersChange: (filters: PeopleListFilters) => void;
}

const PAGE = 50;

/**
 * Every affected person of an incident, a page at a time, filtered by what leaked, where they live, their
 * risk and how we can reach them. Identifiers are shown masked, to roles that may read personal data; each
 * page read is recorded in the audit log, so nothing reloads on its own.
 */
export function PeopleListPage(props: Props) {
  return (
    <RequirePermission permission="people:read">
      <PeopleList {...props} />
    </RequirePermission>
  );
}

function PeopleList({ incidentId, filters, onFiltersChange }: Props) {
  const canReadPii = useCan('people:read_pii');
  const [openPersonId, setOpenPersonId] = useState<string | null>(null);
  const stats = usePeopleStats(incidentId, false);
  const params = peopleListSearch(filters);
  const list = useInfiniteQuery({
    queryKey: [...peopleKeys.all(incidentId), 'list', params],
    queryFn: ({ pageParam, signal }) =>
      api.get<PeoplePageDto>(
        `/api/incidents/${incidentId}/people`,
        { ...params, after: pageParam, limit: PAGE },
        signal,
      ),
    initialPageParam: 0,
    getNextPageParam: (last) => last.nextAfter ?? undefined,
    placeholderData: keepPreviousData,
    staleTime: Number.POSITIVE_INFINITY,
    refetchOnWindowFocus: false,
    gcTime: 0,
  });
  const people = list.data?.pages.flatMap((page) => page.people) ?? [];
  const total = list.data?.pages[0]?.total ?? null;
  const set = (change: Partial<PeopleListFilters>) => onFiltersChange({ ...filters, ...change });
  const byCategory = stats.data?.byCategory ?? {};
  const byJurisdiction = Object.entries(stats.data?.byJurisdiction ?? {});
  const isFiltered = Object.values(params).some((v) => v !== undefined);

  return (
    <Stack gap="md" component="section" aria-labelledby="people-list-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} id="people-list-title">
            Affected people
          </Title>
          <Text size="sm" c="dimmed" maw="48rem">
            {canReadPii
              ? 'Email addresses and phone numbers are shown masked. Each page you open is recorded in the audit log under your name.'
              : 'Your role sees what leaked and where, not who: identifiers are shown only to roles that may read personal data. Each page is recorded in the audit log.'}
          </Text>
        </div>
        <RouterAnchor to="/incidents/$incidentId/people" params={{ incidentId }} size="sm">
          Back to counts and imports
        </RouterAnchor>
      </Group>
      <Group gap="sm" align="flex-end" role="search" aria-label="Filter affected people">
        <Select
          label="Data exposed"
          placeholder="Any"
          clearable
          w={220}
          value={filters.category ?? null}
          onChange={(value) => set({ category: (value as Category | null) ?? undefined })}
          data={categories
            .filter((c) => (byCategory[c] ?? 0) > 0 || c === filters.category)
            .map((c) => ({ value: c, label: `${categoryLabel(c)} (${formatCount(byCategory[c] ?? 0)})` }))}
        />
        <Select
          label="Jurisdiction"
          placeholder="Any"
          clearable
          searchable
          w={200}
          value={filters.jurisdiction ?? null}
          onChange={(value) => set({ jurisdiction: value ?? undefined })}
          data={byJurisdiction.map(([code, n]) => ({
            value: code,
            label: `${jurisdictionLabel(code)} (${formatCount(n)})`,
          }))}
        />
        <Select
          label="Risk"
          placeholder="Any"
          clearable
          w={140}
          value={filters.risk ?? null}
          onChange={(value) => set({ risk: (value as RiskTier | null) ?? undefined })}
          data={riskTiers.map((r) => ({ value: r, label: riskTierLabels[r] }))}
        />
        <Select
          label="Reachable by"
          placeholder="Any"
          clearable
          w={170}
          value={filters.reach ?? null}
          onChange={(value) => set({ reach: (value as PeopleListFilters['reach'] | null) ?? undefined })}
          data={Object.entries(reachabilityLabels).map(([value, label]) => ({ value, label }))}
        />
        {isFiltered ? (
          <Button variant="subtle" onClick={() => onFiltersChange({})}>
            Clear filters
          </Button>
        ) : null}
      </Group>
      {list.error ? <ErrorAlert error={list.error} title="The list could not be loaded" /> : null}
      {list.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading affected people" />
        </Center>
      ) : people.length === 0 && !list.error ? (
        <Alert color="gray" variant="light" title="Nobody here">
          {isFiltered
            ? 'No affected person matches these filters. Clear one to see more.'
            : 'This incident has no affected people yet: import the breached records first.'}
        </Alert>
      ) : (
        <>
          <Text size="sm" role="status" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {total === null
              ? `${formatCount(people.length)} shown`
              : `${formatCount(people.length)} of ${formatCount(total)} ${total === 1 ? 'person' : 'people'} shown`}
          </Text>
          <PeopleListTable people={people} canReadPii={canReadPii} onOpen={setOpenPersonId} />
          {list.hasNextPage ? (
            <Group justify="center">
              <Button
                variant="default"
                onClick={() => void list.fetchNextPage()}
                loading={list.isFetchingNextPage}
              >
                Show {PAGE} more
              </Button>
            </Group>
          ) : null}
        </>
      )}
      <PersonModal incidentId={incidentId} personId={openPersonId} onClose={() => setOpenPersonId(null)} />
    </Stack>
  );
}
