import { Paper, Text } from '@mantine/core';
import { useId } from 'react';
import { formatCount } from '../../components/format.ts';

/** One headline number, named for assistive technology by its label. */
export function StatCard({ label, value, hint }: { label: string; value: number; hint?: string }) {
  const labelId = useId();
  return (
    <Paper withBorder p="md" role="group" aria-labelledby={labelId}>
      <Text id={labelId} size="sm" c="dimmed" fw={500}>
        {label}
      </Text>
      <Text fz={28} fw={700} lh={1.2} style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
      {hint ? (
        <Text size="xs" c="dimmed">
          {hint}
        </Text>
      ) : null}
    </Paper>
  );
}
