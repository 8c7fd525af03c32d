import { Button, Code, Group, Modal, Select, Stack, Text, TextInput } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { api } from '../../api/client.ts';
import type { StartedImport, StartImportRequest } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';

interface ServerFileModalProps {
  incidentId: string;
  opened: boolean;
  onClose: () => void;
  onStarted: (result: StartedImport) => void;
}

const formats = [
  { value: '', label: 'Detect from the file' },
  { value: 'csv', label: 'CSV' },
  { value: 'jsonl', label: 'JSON lines' },
];

/** For files too large to upload through a browser: they are read where they lie, on the server. */
export function ServerFileModal({ incidentId, opened, onClose, onStarted }: ServerFileModalProps) {
  const [serverPath, setServerPath] = useState('');
  const [format, setFormat] = useState<'' | 'csv' | 'jsonl'>('');
  const [defaultCountry, setDefaultCountry] = useState('');
  const start = useMutation({
    mutationFn: (body: StartImportRequest) =>
      api.post<StartedImport>(`/api/incidents/${incidentId}/imports`, body),
    onSuccess: (result) => {
      onStarted(result);
      close();
    },
  });
  const country = defaultCountry.trim();
  const countryError =
    country && !/^[A-Za-z]{2}$/.test(country) ? 'Two letters, such as US or DE.' : undefined;

  function close() {
    setServerPath('');
    setFormat('');
    setDefaultCountry('');
    start.reset();
    onClose();
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    start.mutate({
      serverPath: serverPath.trim(),
      format: format || undefined,
      defaultCountry: country ? country.toUpperCase() : undefined,
    });
  }

  return (
    <Modal opened={opened} onClose={close} title="Import a file already on the server" size="lg">
      <form onSubmit={submit}>
        <Stack gap="md">
          <Text size="sm">
            For exports too large to upload through a browser. Copy the file into the server’s import folder (
            <Code>CANDOR_IMPORT_DIR</Code>, by default <Code>imports</Code> under the data folder) and give
            its name relative to that folder. Columns are detected from their headers and values; to set them
            yourself, run <Code>candor import … --map mapping.json</Code> on the server instead.
          </Text>
          <TextInput
            label="File name on the server"
            placeholder="e.g. crm-export-2024.csv.gz"
            value={serverPath}
            onChange={(event) => setServerPath(event.currentTarget.value)}
            maxLength={1000}
            required
            data-autofocus
          />
          <Group grow align="flex-start">
            <Select
              label="Format"
              data={formats}
              value={format}
              onChange={(value) => setFormat((value ?? '') as '' | 'csv' | 'jsonl')}
              allowDeselect={false}
            />
            <TextInput
              label="Default country (optional)"
              description="For numbers and addresses without one."
              value={defaultCountry}
              onChange={(event) => setDefaultCountry(event.currentTarget.value)}
              maxLength={2}
              error={countryError}
            />
          </Group>
          <ErrorAlert error={start.error} title="The import could not start" />
          <Group justify="flex-end">
            <Button variant="default" onClick={close}>
              Cancel
            </Button>
            <Button type="submit" loading={start.isPending} disabled={!serverPath.trim() || !!countryError}>
              Start import
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
