import { Text, type TextProps } from '@mantine/core';
import { countdown, urgencyColors, useNow } from './countdown.ts';

/**
 * A live countdown to a due time, ticking each second. Not a live region: a screen reader would otherwise
 * announce every second; the text is read when reached.
 */
export function Countdown({ dueAt, ...props }: { dueAt: string } & TextProps) {
  const now = useNow();
  const { text, urgency } = countdown(dueAt, now);
  return (
    <Text
      span
      size="sm"
      fw={urgency === 'later' ? 500 : 700}
      c={urgencyColors[urgency]}
      style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}
      data-urgency={urgency}
      {...props}
    >
      {text}
    </Text>
  );
}
