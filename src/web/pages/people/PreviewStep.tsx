import { Alert, Button, Group, List, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { StartedImport, StartImportRequest, Upload } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatBytes, plural } from '../../components/format.ts';
import { MappingTable } from './MappingTable.tsx';
import { type DraftMapping, draftFrom, hasUsableIdentifier, mappingToSend } from './mapping-options.ts';
import { SampleRows } from './SampleRows.tsx';

interface PreviewStepProps {
  incidentId: string;
  upload: Upload;
  onBack: () => void;
  onStarted: (result: StartedImport) => void;
}

export function PreviewStep({ incidentId, upload, onBack, onStarted }: PreviewStepProps) {
  const { preview } = upload;
  const [draft, setDraft] = useState<DraftMapping>(() => draftFrom(preview.headers, preview.mapping));
  const [defaultCountry, setDefaultCountry] = useState('');
  const start = useMutation({
    mutationFn: (body: StartImportRequest) =>
      api.post<StartedImport>(`/api/incidents/${incidentId}/imports`, body),
    onSuccess: onStarted,
  });
  const unmapped = preview.headers.filter((header) => !draft[header]);
  const country = defaultCountry.trim();
  const countryError =
    country && !/^[A-Za-z]{2}$/.test(country) ? 'Two letters, such as US or DE.' : undefined;
  const canStart = hasUsableIdentifier(draft) && !countryError;

  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate({
      uploadId: upload.uploadId,
      mapping: mappingToSend(draft),
      defaultCountry: country ? country.toUpperCase() : undefined,
    });
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="lg">
        <Text size="sm" c="dimmed">
          {upload.fileName} · {formatBytes(upload.bytes)} · {preview.format === 'csv' ? 'CSV' : 'JSON lines'}
          {preview.isGzip ? ', gzip-compressed' : ''} · {plural(preview.headers.length, 'column', 'columns')}
        </Text>
        {preview.errors.length > 0 ? (
          <Alert color="orange" title="Some of the first rows cannot be read">
            <Text size="sm">
              They will be set aside with their line number; the rest of the file imports.
            </Text>
            <List size="sm" mt={4}>
              {preview.errors.slice(0, 5).map((error) => (
                <List.Item key={error.line}>
                  Line {error.line}: {error.error}
                </List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <Stack gap="xs">
          <Title order={3}>Columns</Title>
          <Text size="sm" c="dimmed">
            Check what each column holds. Identifiers are stored encrypted; a column marked as a category only
            records that this data leaked for the person.
          </Text>
          {unmapped.length > 0 ? (
            <Alert color="yellow" variant="light" role="status">
              {plural(unmapped.length, 'column is', 'columns are')} not imported unless you map{' '}
              {unmapped.length === 1 ? 'it' : 'them'}: {unmapped.join(', ')}.
            </Alert>
          ) : null}
          {hasUsableIdentifier(draft) ? null : (
            <Alert color="red" variant="light" role="alert">
              Map at least one column to an email, phone, customer ID or national ID: rows without any of them
              cannot be tied to a person and are rejected.
            </Alert>
          )}
          <MappingTable
            preview={preview}
            draft={draft}
            onChange={(header, field) => setDraft((current) => ({ ...current, [header]: field }))}
          />
        </Stack>
        <Stack gap="xs">
          <Title order={3}>First rows</Title>
          <Text size="sm" c="dimmed">
            As Candor reads them, shown to you only while this dialog is open.
          </Text>
          <SampleRows preview={preview} draft={draft} />
        </Stack>
        <TextInput
          label="Default country (optional)"
          description="For phone numbers and addresses without a country: two letters, such as US or DE."
          value={defaultCountry}
          onChange={(event) => setDefaultCountry(event.currentTarget.value)}
          maxLength={2}
          w={380}
          error={countryError}
        />
        <ErrorAlert error={start.error} title="The import could not start" />
        <Group justify="space-between">
          <Button variant="default" onClick={onBack}>
            Choose another file
          </Button>
          <Button type="submit" loading={start.isPending} disabled={!canStart}>
            Start import
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
