import { Box, Paper, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { useId } from 'react';
import { formatCount } from './format.ts';

export interface Bar {
  key: string;
  label: string;
  value: number;
  /** A theme colour name (`red`, `teal`, …); the primary colour when absent. */
  color?: string;
}

interface BarChartProps {
  title: string;
  /** One sentence under the title: what is counted and how to read it. */
  description?: string;
  bars: Bar[];
  /** The column header for the labels in the text alternative (e.g. "Data category"). */
  labelHeader: string;
  /** What the numbers count, for the text alternative and the tooltips (e.g. "People"). */
  valueHeader: string;
  /** Percentages are of this total (e.g. all people); none shown without it. */
  total?: number;
}

function percent(value: number, total: number | undefined): string | null {
  if (!total) return null;
  const share = (value / total) * 100;
  return share > 0 && share < 1 ? '<1%' : `${Math.round(share)}%`;
}

/**
 * A horizontal bar chart: the bars are drawn for the eye and hidden from assistive technology, which reads
 * the same numbers from a visually hidden table instead.
 */
export function BarChart({ title, description, bars, labelHeader, valueHeader, total }: BarChartProps) {
  const titleId = useId();
  const max = Math.max(1, ...bars.map((bar) => bar.value));
  return (
    <Paper withBorder p="md" component="figure" m={0} aria-labelledby={titleId}>
      <Stack gap="sm">
        <div>
          <Text component="figcaption" id={titleId} fw={600}>
            {title}
          </Text>
          {description ? (
            <Text size="xs" c="dimmed">
              {description}
            </Text>
          ) : null}
        </div>
        {bars.length === 0 ? (
          <Text size="sm" c="dimmed">
            Nothing to show yet.
          </Text>
        ) : (
          <Box
            aria-hidden="true"
            style={{
              display: 'grid',
              gridTemplateColumns: 'minmax(7rem, max-content) minmax(4rem, 1fr) max-content',
              alignItems: 'center',
              columnGap: 'var(--mantine-spacing-sm)',
              rowGap: 6,
            }}
          >
            {bars.map((bar) => (
              <BarRow key={bar.key} bar={bar} max={max} total={total} valueHeader={valueHeader} />
            ))}
          </Box>
        )}
        <VisuallyHidden>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{labelHeader}</th>
                <th scope="col">{valueHeader}</th>
                {total ? <th scope="col">Share</th> : null}
              </tr>
            </thead>
            <tbody>
              {bars.map((bar) => (
                <tr key={bar.key}>
                  <th scope="row">{bar.label}</th>
                  <td>{formatCount(bar.value)}</td>
                  {total ? <td>{percent(bar.value, total)}</td> : null}
                </tr>
              ))}
            </tbody>
          </table>
        </VisuallyHidden>
      </Stack>
    </Paper>
  );
}

function BarRow({
  bar,
  max,
  total,
  valueHeader,
}: {
  bar: Bar;
  max: number;
  total: number | undefined;
  valueHeader: string;
}) {
  const share = percent(bar.value, total);
  const width = bar.value > 0 ? `max(3px, ${(bar.value / max) * 100}%)` : '0';
  return (
    <>
      <Text size="sm" truncate="end" maw="14rem" title={bar.label}>
        {bar.label}
      </Text>
      <Tooltip label={`${bar.label}: ${formatCount(bar.value)} ${valueHeader.toLowerCase()}`} withArrow>
        <Box h={14} bg="var(--mantine-color-gray-1)" style={{ borderRadius: 4 }}>
          <Box
            h="100%"
            w={width}
            bg={`var(--mantine-color-${bar.color ?? 'blue'}-filled)`}
            style={{ borderRadius: 4 }}
          />
        </Box>
      </Tooltip>
      <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {formatCount(bar.value)}
        {share ? (
          <Text span size="xs" c="dimmed">
            {' '}
            ({share})
          </Text>
        ) : null}
      </Text>
    </>
  );
}
