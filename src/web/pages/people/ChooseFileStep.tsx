import { Button, FileInput, Group, Progress, Stack, Text } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useEffect, useRef, useState } from 'react';
import { uploadFile } from '../../api/client.ts';
import type { Upload } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatBytes } from '../../components/format.ts';

const ACCEPTED = '.csv,.tsv,.txt,.jsonl,.ndjson,.json,.gz';

/** Header values must be ASCII; the name is only shown back, so other characters become "_". */
function headerSafeName(name: string): string {
  return name.replace(/[^\x20-\x7e]/g, '_');
}

function isAbort(error: unknown): boolean {
  return error instanceof DOMException && error.name === 'AbortError';
}

interface ChooseFileStepProps {
  incidentId: string;
  onUploaded: (upload: Upload) => void;
  onCancel: () => void;
}

export function ChooseFileStep({ incidentId, onUploaded, onCancel }: ChooseFileStepProps) {
  const [file, setFile] = useState<File | null>(null);
  const [sent, setSent] = useState(0);
  const controller = useRef<AbortController | null>(null);
  // Closing the dialog stops the upload.
  useEffect(() => () => controller.current?.abort(), []);

  const upload = useMutation({
    mutationFn: (chosen: File) => {
      controller.current = new AbortController();
      setSent(0);
      return uploadFile<Upload>(`/api/incidents/${incidentId}/uploads`, chosen, {
        headers: { 'X-File-Name': headerSafeName(chosen.name) },
        onProgress: (bytes) => setSent(bytes),
        signal: controller.current.signal,
      });
    },
    onSuccess: onUploaded,
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    if (file) upload.mutate(file);
  }
  const share = file && file.size > 0 ? Math.round((sent / file.size) * 100) : 0;

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <Text size="sm">
          A CSV (comma, semicolon, tab or pipe separated) or JSON lines file, gzipped or not, with one record
          per row. Candor reads the first rows and proposes which column holds what; nothing is imported until
          you confirm. The file is stored encrypted while it waits.
        </Text>
        <FileInput
          label="File to import"
          placeholder="Choose a file"
          accept={ACCEPTED}
          value={file}
          onChange={(chosen) => {
            setFile(chosen);
            upload.reset();
          }}
          clearable
          disabled={upload.isPending}
          data-autofocus
        />
        {upload.isPending && file ? (
          <Stack gap={4}>
            <Progress value={share} size="lg" animated aria-label={`Uploading ${file.name}`} />
            <Text size="sm" c="dimmed" role="status">
              {share < 100
                ? `Uploading ${formatBytes(sent)} of ${formatBytes(file.size)}…`
                : 'Uploaded. Reading the first rows…'}
            </Text>
          </Stack>
        ) : null}
        {upload.error && !isAbort(upload.error) ? (
          <ErrorAlert error={upload.error} title="The file could not be uploaded" />
        ) : null}
        <Group justify="flex-end">
          <Button
            variant="default"
            onClick={() => {
              controller.current?.abort();
              onCancel();
            }}
          >
            Cancel
          </Button>
          <Button type="submit" disabled={!file} loading={upload.isPending}>
            Upload and preview
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
