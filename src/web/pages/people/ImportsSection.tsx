import { Alert, Button, Center, EmptyState, Group, Loader, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { type UseQueryResult, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import type { ImportList, StartedImport } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCan } from '../../components/useCan.ts';
import { ImportFileModal } from './ImportFileModal.tsx';
import { ImportProgress } from './ImportProgress.tsx';
import { ImportTable } from './ImportTable.tsx';
import { isImportActive, peopleKeys } from './people-queries.ts';
import { ServerFileModal } from './ServerFileModal.tsx';

interface ImportsSectionProps {
  incidentId: string;
  imports: UseQueryResult<ImportList>;
  hasPeople: boolean;
}

export function ImportsSection({ incidentId, imports, hasPeople }: ImportsSectionProps) {
  const queryClient = useQueryClient();
  const canImport = useCan('people:import');
  const [isUploadOpen, upload] = useDisclosure(false);
  const [isServerOpen, serverFile] = useDisclosure(false);
  const [started, setStarted] = useState<StartedImport | null>(null);
  const list = imports.data?.imports ?? [];
  const running = list.filter(isImportActive);

  function onStarted(result: StartedImport) {
    setStarted(result);
    void queryClient.invalidateQueries({ queryKey: peopleKeys.imports(incidentId) });
  }

  const actions = canImport ? (
    <Group gap="sm">
      <Button onClick={upload.open}>Import a file</Button>
      <Button variant="default" onClick={serverFile.open}>
        Import a file already on the server
      </Button>
    </Group>
  ) : null;

  return (
    <Stack gap="md" component="section" aria-labelledby="imports-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} id="imports-title">
            Imports
          </Title>
          <Text size="sm" c="dimmed">
            Breached records from each exported file. People merge across files; importing the same file again
            adds nothing.
          </Text>
        </div>
        {list.length > 0 || hasPeople ? actions : null}
      </Group>
      {started?.isDuplicate ? (
        <Alert color="yellow" title="Nothing added" withCloseButton onClose={() => setStarted(null)}>
          This file was already imported into this incident: nothing added.
        </Alert>
      ) : null}
      {running.map((job) => (
        <ImportProgress key={job.id} job={job} />
      ))}
      {imports.isPending ? (
        <Center py="md">
          <Loader aria-label="Loading imports" />
        </Center>
      ) : imports.error ? (
        <ErrorAlert error={imports.error} title="The imports could not be loaded" />
      ) : list.length === 0 ? (
        <EmptyState size="lg" maw={680} mx="auto" my="lg">
          <EmptyState.Title order={3}>No affected people yet</EmptyState.Title>
          <EmptyState.Description>
            Import the breached records (CSV or JSON lines, gzipped or not) and Candor resolves them into
            people: what leaked about each one, where they live, how to reach them and how much risk they
            carry. Identifiers are stored encrypted.
            {canImport ? '' : ' Your role cannot import files: ask a responder or an admin.'}
          </EmptyState.Description>
          {actions ? <EmptyState.Actions>{actions}</EmptyState.Actions> : null}
        </EmptyState>
      ) : (
        <ImportTable imports={list} />
      )}
      {canImport ? (
        <>
          <ImportFileModal
            incidentId={incidentId}
            opened={isUploadOpen}
            onClose={upload.close}
            onStarted={onStarted}
          />
          <ServerFileModal
            incidentId={incidentId}
            opened={isServerOpen}
            onClose={serverFile.close}
            onStarted={onStarted}
          />
        </>
      ) : null}
    </Stack>
  );
}
