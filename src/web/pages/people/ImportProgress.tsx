import { Group, Paper, Progress, Stack, Text } from '@mantine/core';
import type { ImportSummary } from '../../api/types.ts';
import { formatBytes, formatCount } from '../../components/format.ts';
import { importStatusLabels } from './labels.ts';

/** Live progress of a running import (the list is polled every second while one runs). */
export function ImportProgress({ job }: { job: ImportSummary }) {
  const share = job.bytesTotal > 0 ? Math.min(100, (job.bytesDone / job.bytesTotal) * 100) : 0;
  const isResolving = job.status === 'resolving';
  const value = isResolving ? 100 : Math.round(share);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={`import-progress-${job.id}`}>
      <Stack gap="xs">
        <Group justify="space-between" gap="xs">
          <Text fw={600} id={`import-progress-${job.id}`}>
            Importing {job.fileName}
          </Text>
          <Text size="sm" c="dimmed">
            {importStatusLabels[job.status]}
            {isResolving ? ': merging records into people…' : ''}
          </Text>
        </Group>
        <Progress
          value={value}
          size="lg"
          animated
          aria-label={`Progress of ${job.fileName}`}
          color={isResolving ? 'teal' : 'blue'}
        />
        <Group gap="lg">
          <Metric label="Read" value={`${formatBytes(job.bytesDone)} of ${formatBytes(job.bytesTotal)}`} />
          <Metric label="Speed" value={`${formatCount(job.rowsPerSecond)} rows/s`} />
          <Metric label="Accepted" value={formatCount(job.accepted)} />
          <Metric label="Rejected" value={formatCount(job.rejected)} />
          <Metric label="Warnings" value={formatCount(job.warnings.total)} />
        </Group>
      </Stack>
    </Paper>
  );
}

function Metric({ label, value }: { label: string; value: string }) {
  return (
    <Text size="sm">
      <Text span c="dimmed" inherit>
        {label}:
      </Text>{' '}
      <Text span fw={500} inherit style={{ fontVariantNumeric: 'tabular-nums' }}>
        {value}
      </Text>
    </Text>
  );
}
