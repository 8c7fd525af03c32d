import { Group, Text } from '@mantine/core';

export function ShieldMark({ size = 28 }: { size?: number }) {
  return (
    <svg width={size} height={size} viewBox="0 0 32 32" aria-hidden="true" focusable="false">
      <path fill="var(--mantine-color-blue-6)" d="M16 2 4 7v8c0 7.5 5.1 13.6 12 15 6.9-1.4 12-7.5 12-15V7z" />
      <path fill="#fff" d="m14 19.6-4.3-4.3-2 2 6.3 6.3 11-11-2-2z" />
    </svg>
  );
}

export function Logo() {
  return (
    <Group gap={8} wrap="nowrap">
      <ShieldMark />
      <Text component="span" fw={700} fz="xl">
        Candor
      </Text>
    </Group>
  );
}
