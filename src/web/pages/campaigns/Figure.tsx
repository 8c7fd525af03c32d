import { Text } from '@mantine/core';
import { formatCount } from '../../components/format.ts';

/** A small labelled count inside a card (codes needed, letters printed). */
export function Figure({ label, value }: { label: string; value: number }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text fw={700} fz="xl" style={{ fontVariantNumeric: 'tabular-nums' }}>
        {formatCount(value)}
      </Text>
    </div>
  );
}
