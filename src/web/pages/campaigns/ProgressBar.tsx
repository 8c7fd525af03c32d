import { Group, Progress, Stack, Text, Tooltip } from '@mantine/core';
import type { StateCounts } from '../../../shared/contracts/campaigns.ts';
import { formatCount } from '../../components/format.ts';
import { deliveryStates, doneCount } from './campaign-labels.ts';

/**
 * Where a campaign's people are: one bar, a section per delivery state (people whose message fell back are
 * counted on the channel that took over, so the sections add up to the people).
 */
export function ProgressBar({
  counts,
  total,
  label,
  size = 'lg',
  isAnimated = false,
  showFellBack = false,
}: {
  counts: StateCounts;
  total: number;
  /** Names the bar for assistive technology, e.g. "Progress of First notice". */
  label: string;
  size?: 'sm' | 'md' | 'lg' | 'xl';
  isAnimated?: boolean;
  /** Per channel, people who fell back to the next channel are a part of the bar. */
  showFellBack?: boolean;
}) {
  const done = doneCount(counts) + (showFellBack ? counts.fellBack : 0);
  const share = total > 0 ? Math.round((done / total) * 100) : 0;
  const sections = deliveryStates.filter(
    (s) => (showFellBack || s.key !== 'fellBack') && s.key !== 'pending' && counts[s.key] > 0,
  );
  return (
    <Stack gap={4}>
      <Progress.Root
        size={size}
        role="progressbar"
        aria-label={label}
        aria-valuemin={0}
        aria-valuemax={100}
        aria-valuenow={share}
        aria-valuetext={`${formatCount(done)} of ${formatCount(total)} people done (${share}%)`}
      >
        {sections.map((state) => (
          <Tooltip key={state.key} label={`${state.label}: ${formatCount(counts[state.key])}`} withArrow>
            <Progress.Section
              value={total > 0 ? (counts[state.key] / total) * 100 : 0}
              color={state.color}
              animated={isAnimated && state.key === 'claimed'}
              aria-hidden="true"
            />
          </Tooltip>
        ))}
      </Progress.Root>
      <Group gap="md" wrap="wrap" aria-hidden="true">
        <Text size="xs" fw={600} style={{ fontVariantNumeric: 'tabular-nums' }}>
          {formatCount(done)} of {formatCount(total)} done ({share}%)
        </Text>
        {sections.map((state) => (
          <Text key={state.key} size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            <Text span c={state.color} inherit fw={700}>
              ●
            </Text>{' '}
            {state.label} {formatCount(counts[state.key])}
          </Text>
        ))}
        {counts.pending > 0 ? (
          <Text size="xs" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            Waiting {formatCount(counts.pending)}
          </Text>
        ) : null}
      </Group>
    </Stack>
  );
}
