import { Alert, Button, Group, Loader, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useEffect, useRef, useState } from 'react';
import type { PeopleResolutionDto } from '../../../shared/contracts/people.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { isResolutionActive, peopleKeys, usePeopleResolution } from './people-queries.ts';

/**
 * After a merge, the incident's people are resolved again in the background (minutes on millions of
 * records): this banner follows it, phase by phase, and when it ends shows the new count and refreshes
 * everything derived from people. A failure stays shown, with a way to run it again.
 */
export function ResolutionBanner({ incidentId }: { incidentId: string }) {
  const queryClient = useQueryClient();
  const resolution = usePeopleResolution(incidentId);
  const data = resolution.data;
  const isActive = isResolutionActive(data);
  // 'done' is news only to someone who saw it run: an old run's result is not shown on every visit.
  const [hasSeenRun, setHasSeenRun] = useState(false);
  const wasActive = useRef(false);
  useEffect(() => {
    if (isActive) setHasSeenRun(true);
    if (wasActive.current && !isActive) {
      void queryClient.invalidateQueries({ queryKey: peopleKeys.all(incidentId) });
      void queryClient.invalidateQueries({ queryKey: ['incidents'] });
    }
    wasActive.current = isActive;
  }, [queryClient, incidentId, isActive]);

  if (!data || data.state === 'none') return null;
  if (isActive) return <RunningBanner resolution={data} />;
  if (data.state === 'failed') return <FailedBanner incidentId={incidentId} resolution={data} />;
  if (!hasSeenRun) return null;
  return (
    <Alert
      color="teal"
      variant="light"
      role="status"
      title="People re-resolved after your decisions"
      withCloseButton
      closeButtonLabel="Dismiss"
      onClose={() => setHasSeenRun(false)}
    >
      {formatCount(data.people)} affected {data.people === 1 ? 'person' : 'people'} now, finished{' '}
      {formatDateTime(data.finishedAt)}. The counts, charts and conflicts on this page are up to date.
    </Alert>
  );
}

function RunningBanner({ resolution }: { resolution: PeopleResolutionDto }) {
  const phase = resolution.phase ?? (resolution.state === 'queued' ? 'waiting to start' : 'starting');
  return (
    <Alert
      color="blue"
      variant="light"
      role="status"
      icon={<Loader size="xs" aria-hidden />}
      title={`Re-resolving people after your decisions: ${phase}…`}
    >
      <Text size="sm">
        The counts on this page are from before your decisions until it finishes; this refreshes by itself.
        {resolution.isFollowUpQueued
          ? ' Decisions taken since it started are applied in one more pass right after.'
          : ' You can keep deciding: later decisions are applied together.'}
      </Text>
    </Alert>
  );
}

function FailedBanner({ incidentId, resolution }: { incidentId: string; resolution: PeopleResolutionDto }) {
  const queryClient = useQueryClient();
  const canRun = useCan('people:import');
  const retry = useMutation({
    mutationFn: () => api.post<PeopleResolutionDto>(`/api/incidents/${incidentId}/people/resolution`, {}),
    onSuccess: (next) => queryClient.setQueryData(peopleKeys.resolution(incidentId), next),
  });
  return (
    <Alert color="red" variant="light" role="alert" title="Re-resolving people after your decisions failed">
      <Text size="sm">{resolution.error}</Text>
      {canRun ? (
        <Group mt="sm">
          <Button
            size="xs"
            color="red"
            variant="light"
            loading={retry.isPending}
            onClick={() => retry.mutate()}
          >
            Try again
          </Button>
        </Group>
      ) : null}
      <ErrorAlert error={retry.error} />
    </Alert>
  );
}
