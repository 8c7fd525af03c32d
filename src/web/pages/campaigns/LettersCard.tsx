import {
  Alert,
  Anchor,
  Button,
  FileButton,
  Group,
  NumberInput,
  Paper,
  SegmentedControl,
  SimpleGrid,
  Stack,
  Table,
  Text,
  Textarea,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useState } from 'react';
import { api } from '../../api/client.ts';
import type { Campaign, LetterBatch, LetterSummary, ReturnedMailResult } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime, plural } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { campaignKeys, LIVE_POLL_MS } from './campaign-queries.ts';
import { Figure } from './Figure.tsx';

type PaperSize = 'a4' | 'letter';
const MAX_BATCH = 5000;

function lettersQuery(campaignId: string, isPolling: boolean) {
  return queryOptions({
    queryKey: campaignKeys.letters(campaignId),
    queryFn: ({ signal }) =>
      api.get<LetterSummary>(`/api/campaigns/${campaignId}/letters/summary`, undefined, signal),
    refetchInterval: isPolling ? LIVE_POLL_MS * 2 : false,
  });
}

interface Files {
  batchId: string;
  letters: number;
  pages: number;
  pdfUrl: string;
  manifestUrl: string;
}

function base64Blob(base64: string, type: string): Blob {
  const bytes = Uint8Array.from(atob(base64), (c) => c.charCodeAt(0));
  return new Blob([bytes], { type });
}

/** Starts the browser's download of a file made here. */
function download(url: string, filename: string): void {
  const link = document.createElement('a');
  link.href = url;
  link.download = filename;
  document.body.append(link);
  link.click();
  link.remove();
}

const fileStem = (batchId: string) => `letters-${batchId.replace(/[:.]/g, '-')}`;

/**
 * Letters to print: each batch is one PDF for the print vendor and its CSV manifest, taken together (the
 * letters are marked printed as the batch is made). Returned mail bounces those letters, and the people move
 * on to the next channel, if any.
 */
export function LettersCard({ campaign }: { campaign: Campaign }) {
  const titleId = useId();
  const canPrint = useCan('people:read_pii');
  const canWrite = useCan('campaigns:write');
  const queryClient = useQueryClient();
  const summary = useQuery(lettersQuery(campaign.id, campaign.status === 'running'));
  const [paper, setPaper] = useState<PaperSize>('a4');
  const [limit, setLimit] = useState<string | number>('');
  const [files, setFiles] = useState<Files | null>(null);

  // Object URLs hold the files in memory until released.
  useEffect(
    () => () => {
      if (files) {
        URL.revokeObjectURL(files.pdfUrl);
        URL.revokeObjectURL(files.manifestUrl);
      }
    },
    [files],
  );

  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: campaignKeys.letters(campaign.id) }),
      queryClient.invalidateQueries({ queryKey: campaignKeys.status(campaign.id) }),
      queryClient.invalidateQueries({ queryKey: campaignKeys.detail(campaign.id), exact: true }),
    ]);
  const received = (batch: LetterBatch) => {
    const next: Files = {
      batchId: batch.batchId,
      letters: batch.letters,
      pages: batch.pages,
      pdfUrl: URL.createObjectURL(base64Blob(batch.pdf, 'application/pdf')),
      manifestUrl: URL.createObjectURL(new Blob([batch.manifest], { type: 'text/csv;charset=utf-8' })),
    };
    setFiles(next);
    download(next.pdfUrl, `${fileStem(batch.batchId)}.pdf`);
    download(next.manifestUrl, `${fileStem(batch.batchId)}.csv`);
  };
  const print = useMutation({
    mutationFn: () =>
      api.post<LetterBatch>(`/api/campaigns/${campaign.id}/letters/print`, {
        paper,
        limit: limit === '' ? undefined : Number(limit),
      }),
    onSuccess: async (batch) => {
      received(batch);
      await refresh();
    },
  });
  const reprint = useMutation({
    mutationFn: (batchId: string) =>
      api.post<LetterBatch>(
        `/api/campaigns/${campaign.id}/letters/batches/${encodeURIComponent(batchId)}/reprint`,
        { paper },
      ),
    onSuccess: received,
  });

  if (summary.isPending) return null;
  if (summary.error) return <ErrorAlert error={summary.error} title="The letters could not be counted" />;
  const s = summary.data;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="md">
        <div>
          <Title order={3} size="h5" id={titleId}>
            Letters
          </Title>
          <Text size="sm" c="dimmed">
            Candor writes each letter as the campaign runs; print them in batches for your print vendor: a PDF
            (one letter per page set, the address in the envelope window) and its CSV manifest.
          </Text>
        </div>
        <SimpleGrid cols={3} maw={480}>
          <Figure label="Waiting to print" value={s.pending} />
          <Figure label="Printed" value={s.printed} />
          <Figure label="Returned by the post" value={s.returned} />
        </SimpleGrid>

        {canPrint ? (
          <Stack gap="xs">
            <Group align="flex-end" gap="md">
              <Stack gap={4}>
                <Text size="sm" fw={500} id={`${titleId}-paper`}>
                  Paper
                </Text>
                <SegmentedControl
                  aria-labelledby={`${titleId}-paper`}
                  value={paper}
                  onChange={(value) => setPaper(value as PaperSize)}
                  data={[
                    { value: 'a4', label: 'A4' },
                    { value: 'letter', label: 'US Letter' },
                  ]}
                />
              </Stack>
              <NumberInput
                label="Letters in this batch"
                placeholder={`All waiting, up to ${formatCount(MAX_BATCH)}`}
                value={limit}
                onChange={setLimit}
                min={1}
                max={MAX_BATCH}
                allowDecimal={false}
                allowNegative={false}
                w={220}
              />
              <Button onClick={() => print.mutate()} loading={print.isPending}>
                Print the next batch
              </Button>
            </Group>
            <Text size="xs" c="dimmed">
              Printing decrypts the names and addresses of the batch (recorded in the audit log) and marks its
              letters printed: keep both files. A lost file can be made again below.
            </Text>
            <ErrorAlert error={print.error ?? reprint.error} title="No batch was printed" />
            {files ? (
              <Alert
                color="teal"
                variant="light"
                role="status"
                title={`Batch of ${plural(files.letters, 'letter', 'letters')}`}
              >
                {plural(files.pages, 'page', 'pages')}. If the download did not start:{' '}
                <Anchor href={files.pdfUrl} download={`${fileStem(files.batchId)}.pdf`} inherit>
                  the PDF
                </Anchor>{' '}
                and{' '}
                <Anchor href={files.manifestUrl} download={`${fileStem(files.batchId)}.csv`} inherit>
                  the manifest
                </Anchor>
                .
              </Alert>
            ) : null}
          </Stack>
        ) : null}

        {s.batches.length > 0 ? (
          <Table verticalSpacing={4} aria-label="Print batches" maw={560}>
            <Table.Thead>
              <Table.Tr>
                <Table.Th scope="col">Printed</Table.Th>
                <Table.Th scope="col" ta="right">
                  Letters
                </Table.Th>
                {canPrint ? (
                  <Table.Th scope="col">
                    <VisuallyHidden>Action</VisuallyHidden>
                  </Table.Th>
                ) : null}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {s.batches.map((b) => (
                <Table.Tr key={b.batchId}>
                  <Table.Td>{formatDateTime(b.batchId)}</Table.Td>
                  <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                    {formatCount(b.letters)}
                  </Table.Td>
                  {canPrint ? (
                    <Table.Td ta="right">
                      <Button
                        variant="subtle"
                        size="compact-sm"
                        onClick={() => reprint.mutate(b.batchId)}
                        loading={reprint.isPending && reprint.variables === b.batchId}
                        aria-label={`Make the files of the batch printed ${formatDateTime(b.batchId)} again`}
                      >
                        Files again
                      </Button>
                    </Table.Td>
                  ) : null}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        ) : null}

        {canWrite && s.printed > 0 ? <ReturnedMail campaignId={campaign.id} onImported={refresh} /> : null}
      </Stack>
    </Paper>
  );
}

function ReturnedMail({
  campaignId,
  onImported,
}: {
  campaignId: string;
  onImported: () => Promise<unknown>;
}) {
  const [csv, setCsv] = useState('');
  const upload = useMutation({
    mutationFn: (body: string) =>
      api.post<ReturnedMailResult>(`/api/campaigns/${campaignId}/letters/returned`, { csv: body }),
    onSuccess: async () => {
      setCsv('');
      await onImported();
    },
  });
  const result = upload.data;
  return (
    <Stack gap="xs">
      <Textarea
        label="Returned mail"
        description="The vendor’s list of letters that came back: a CSV with a message_id or verification_code column, or one per line. Each one bounces, and the person gets the next channel, if the campaign has one."
        value={csv}
        onChange={(e) => {
          setCsv(e.currentTarget.value);
          upload.reset();
        }}
        autosize
        minRows={2}
        maxRows={6}
        styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
        spellCheck={false}
      />
      <Group justify="space-between">
        <FileButton
          accept=".csv,.txt,text/csv,text/plain"
          onChange={(file) => {
            upload.reset();
            if (file) void file.text().then(setCsv);
          }}
        >
          {(props) => (
            <Button variant="default" size="xs" {...props}>
              Choose a file…
            </Button>
          )}
        </FileButton>
        <Button
          size="xs"
          onClick={() => upload.mutate(csv)}
          disabled={csv.trim() === ''}
          loading={upload.isPending}
        >
          Import returned mail
        </Button>
      </Group>
      <ErrorAlert error={upload.error} title="Nothing was imported" />
      {result ? (
        <Alert color={result.unknown.length > 0 ? 'orange' : 'teal'} variant="light" role="status">
          {plural(result.matched, 'letter', 'letters')} marked returned
          {result.alreadyBounced > 0 ? `; ${formatCount(result.alreadyBounced)} already were` : ''}.
          {result.unknown.length > 0
            ? ` ${result.unknown.length === 1 ? 'Line' : 'Lines'} ${result.unknown.slice(0, 20).join(', ')}${
                result.unknown.length > 20 ? '…' : ''
              } match no printed letter of this campaign: check them against the manifest.`
            : ''}
        </Alert>
      ) : null}
    </Stack>
  );
}
