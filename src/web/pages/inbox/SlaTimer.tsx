import { Text, type TextProps } from '@mantine/core';
import type { ThreadSla } from '../../../shared/contracts/inbox.ts';
import { useNow } from '../obligations/countdown.ts';
import { readSla, slaColors } from './sla.ts';

/**
 * The live first-response timer: "First response due in 3 h", "First response breached 2 h ago" in red,
 * "First response met" (compact, under a "First response" heading: "Due in 3 h"). Ticks with the page's one
 * clock; not a live region, so it is read when reached.
 */
export function SlaTimer({
  sla,
  isCompact = false,
  ...props
}: { sla: ThreadSla; isCompact?: boolean } & TextProps) {
  const now = useNow();
  const { text, tone } = readSla(sla, now);
  const shown = isCompact
    ? `${text[0]!.toUpperCase()}${text.slice(1)}`
    : tone === 'none'
      ? 'No first-response target'
      : `First response ${text}`;
  return (
    <Text
      span
      size="sm"
      fw={tone === 'breached' || tone === 'due_soon' ? 700 : 500}
      c={slaColors[tone]}
      style={{ fontVariantNumeric: 'tabular-nums' }}
      data-sla={tone}
      {...props}
    >
      {shown}
    </Text>
  );
}
