import {
  Alert,
  Button,
  FileButton,
  Group,
  Paper,
  Progress,
  Stack,
  Text,
  Textarea,
  Title,
} from '@mantine/core';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState } from 'react';
import { api } from '../../api/client.ts';
import type { ActivationCodesResult, Campaign } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatBytes, formatCount, plural } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { campaignKeys } from './campaign-queries.ts';
import { Figure } from './Figure.tsx';

/** Credit-monitoring codes: how many the eligible people need, how many are loaded, and an import. */
export function ActivationCodesCard({ campaign }: { campaign: Campaign }) {
  const titleId = useId();
  const canWrite = useCan('campaigns:write');
  const queryClient = useQueryClient();
  const [csv, setCsv] = useState('');
  const [fileName, setFileName] = useState<string | null>(null);
  const { total, assigned, needed } = campaign.activationCodes;
  const missing = Math.max(0, needed - total);
  const isClosed = campaign.status === 'finished' || campaign.status === 'cancelled';
  const upload = useMutation({
    mutationFn: (body: string) =>
      api.post<ActivationCodesResult>(`/api/campaigns/${campaign.id}/activation-codes`, { csv: body }),
    onSuccess: async () => {
      setCsv('');
      setFileName(null);
      await queryClient.invalidateQueries({ queryKey: campaignKeys.detail(campaign.id) });
    },
  });

  if (campaign.activationCodesFor.length === 0 && total === 0) {
    return (
      <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
        <Title order={3} size="h5" id={titleId}>
          Credit-monitoring codes
        </Title>
        <Text size="sm" c="dimmed" mt={4}>
          This campaign gives no activation codes. Choose the exposed categories that earn one when you edit
          it.
        </Text>
      </Paper>
    );
  }

  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id={titleId}>
            Credit-monitoring codes
          </Title>
          <Text size="sm" c="dimmed">
            One code for each person whose exposed data earns one; each code is given once, when the person’s
            notice is sent.
          </Text>
        </div>
        <Group gap="xl">
          <Figure label="Needed" value={needed} />
          <Figure label="Loaded" value={total} />
          <Figure label="Given out" value={assigned} />
        </Group>
        {needed > 0 ? (
          <Progress
            value={Math.min(100, (total / needed) * 100)}
            color={missing > 0 ? 'orange' : 'teal'}
            aria-label="Codes loaded, of those needed"
          />
        ) : null}
        {missing > 0 && !isClosed ? (
          <Alert color="orange" variant="light">
            {plural(missing, 'more code is', 'more codes are')} needed. When the codes run out the campaign
            pauses itself until more are imported.
          </Alert>
        ) : null}
        {canWrite && !isClosed ? (
          <Stack gap="xs">
            <Textarea
              label="Import codes"
              description="One code per line, or a CSV with a “code” column (4 to 64 letters, digits, - or _). Codes already loaded are skipped."
              value={csv}
              onChange={(e) => {
                setCsv(e.currentTarget.value);
                setFileName(null);
                upload.reset();
              }}
              autosize
              minRows={3}
              maxRows={8}
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              spellCheck={false}
            />
            <Group justify="space-between">
              <FileButton
                accept=".csv,.txt,text/csv,text/plain"
                onChange={(file) => {
                  if (!file) return;
                  upload.reset();
                  void file.text().then((text) => {
                    setCsv(text);
                    setFileName(`${file.name} (${formatBytes(file.size)})`);
                  });
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
                Import codes
              </Button>
            </Group>
            {fileName ? (
              <Text size="xs" c="dimmed">
                Read from {fileName}.
              </Text>
            ) : null}
            <ErrorAlert error={upload.error} title="No codes were imported" />
            {upload.data ? (
              <Alert color="teal" variant="light" role="status">
                Imported {plural(upload.data.added, 'code', 'codes')}
                {upload.data.duplicates > 0
                  ? `; ${formatCount(upload.data.duplicates)} were already loaded and skipped`
                  : ''}
                . {formatCount(upload.data.total)} loaded in all.
              </Alert>
            ) : null}
          </Stack>
        ) : null}
      </Stack>
    </Paper>
  );
}
