import { Button, Stack, Text } from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useNavigate } from '@tanstack/react-router';
import { api } from '../../api/client.ts';
import type { DemoResult } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

/** Creates the synthetic demo incident and imports its three files, then opens its people. */
export function LoadDemoButton() {
  const queryClient = useQueryClient();
  const navigate = useNavigate();
  const demo = useMutation({
    mutationFn: () => api.post<DemoResult>('/api/demo'),
    onSuccess: async (result) => {
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
      await navigate({ to: '/incidents/$incidentId/people', params: { incidentId: result.incidentId } });
    },
  });
  return (
    <Stack gap="xs" align="center">
      <Button size="md" onClick={() => demo.mutate()} loading={demo.isPending}>
        Load the demo breach
      </Button>
      {demo.isPending ? (
        <Text size="sm" c="dimmed" role="status">
          Importing three synthetic exports of a fictional shop (about 2,000 rows). This takes a few seconds.
        </Text>
      ) : null}
      <ErrorAlert error={demo.error} title="The demo could not be loaded" />
    </Stack>
  );
}
