import { Box, Group, Paper, Stack, Text, Tooltip, VisuallyHidden } from '@mantine/core';
import { Fragment, useId } from 'react';
import { formatDays } from './incident-labels.ts';

export interface TimingBar {
  /** The series this bar belongs to ("This incident", "Identify"…); the same series in every group. */
  series: string;
  days: number | null;
  /** A theme colour name, optionally with a shade ("indigo.3"). */
  color: string;
  /** Shown instead of a bar when `days` is null: why there is no number. */
  missing?: string;
  /** A reference value drawn as a tick over the bar (e.g. the industry mean). */
  marker?: number | null;
}

/** A theme colour as CSS: "blue" is its filled shade, "indigo.3" a given shade. */
function colorVar(color: string): string {
  const [name, shade] = color.split('.');
  return shade ? `var(--mantine-color-${name}-${shade})` : `var(--mantine-color-${name}-filled)`;
}

export interface TimingGroup {
  key: string;
  label: string;
  bars: TimingBar[];
}

interface TimingChartProps {
  title: string;
  description?: string;
  groups: TimingGroup[];
  /** The column header for group names in the text alternative (e.g. "Measure", "Incident"). */
  groupHeader: string;
  /** What the marker ticks stand for, for the legend and tooltips (e.g. "Industry mean"). */
  markerLabel?: string;
}

/**
 * Durations in days as grouped horizontal bars on one scale, with optional reference ticks. Like BarChart,
 * the drawing is hidden from assistive technology, which reads the same numbers from a hidden table.
 */
export function TimingChart({ title, description, groups, groupHeader, markerLabel }: TimingChartProps) {
  const titleId = useId();
  const series = groups[0]?.bars.map((bar) => ({ name: bar.series, color: bar.color })) ?? [];
  const values = groups.flatMap((g) => g.bars.flatMap((b) => [b.days ?? 0, b.marker ?? 0]));
  const max = Math.max(1, ...values);
  const hasMarkers = groups.some((g) => g.bars.some((b) => b.marker != null));

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
        <Group gap="md" aria-hidden="true">
          {series.map((s) => (
            <Group key={s.name} gap={6} wrap="nowrap">
              <Box w={12} h={12} bg={colorVar(s.color)} style={{ borderRadius: 3 }} />
              <Text size="xs">{s.name}</Text>
            </Group>
          ))}
          {hasMarkers && markerLabel ? (
            <Group gap={6} wrap="nowrap">
              <Box w={3} h={14} bg="var(--mantine-color-dark-6)" />
              <Text size="xs">{markerLabel}</Text>
            </Group>
          ) : null}
        </Group>
        <Box
          aria-hidden="true"
          style={{
            display: 'grid',
            gridTemplateColumns: 'minmax(6rem, max-content) minmax(6rem, 1fr) minmax(4.5rem, max-content)',
            alignItems: 'center',
            columnGap: 'var(--mantine-spacing-sm)',
            rowGap: 4,
          }}
        >
          {groups.map((group) => (
            <Fragment key={group.key}>
              <Text
                size="sm"
                fw={600}
                mt="xs"
                style={{ gridColumn: '1 / -1' }}
                truncate="end"
                title={group.label}
              >
                {group.label}
              </Text>
              {group.bars.map((bar) => (
                <TimingRow key={bar.series} bar={bar} max={max} markerLabel={markerLabel} />
              ))}
            </Fragment>
          ))}
        </Box>
        <VisuallyHidden>
          <table>
            <caption>{title}</caption>
            <thead>
              <tr>
                <th scope="col">{groupHeader}</th>
                {series.map((s) => (
                  <th key={s.name} scope="col">
                    {s.name}
                  </th>
                ))}
                {hasMarkers && markerLabel ? <th scope="col">{markerLabel}</th> : null}
              </tr>
            </thead>
            <tbody>
              {groups.map((group) => (
                <tr key={group.key}>
                  <th scope="row">{group.label}</th>
                  {group.bars.map((bar) => (
                    <td key={bar.series}>
                      {bar.days === null ? (bar.missing ?? 'Unknown') : formatDays(bar.days)}
                    </td>
                  ))}
                  {hasMarkers && markerLabel ? (
                    <td>
                      {group.bars
                        .filter((b) => b.marker != null)
                        .map((b) => `${b.series}: ${formatDays(b.marker!)}`)
                        .join('; ')}
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </VisuallyHidden>
      </Stack>
    </Paper>
  );
}

function TimingRow({ bar, max, markerLabel }: { bar: TimingBar; max: number; markerLabel?: string }) {
  const label = (
    <Text size="xs" c="dimmed" pl="sm">
      {bar.series}
    </Text>
  );
  if (bar.days === null) {
    return (
      <>
        {label}
        <Text size="xs" c="dimmed" fs="italic" style={{ gridColumn: '2 / -1' }}>
          {bar.missing ?? 'Not known yet'}
        </Text>
      </>
    );
  }
  const width = bar.days > 0 ? `max(3px, ${(bar.days / max) * 100}%)` : '0';
  const reference = bar.marker != null ? ` (${markerLabel ?? 'reference'}: ${formatDays(bar.marker)})` : '';
  return (
    <>
      {label}
      <Tooltip label={`${bar.series}: ${formatDays(bar.days)}${reference}`} withArrow>
        <Box pos="relative" h={14} bg="var(--mantine-color-gray-1)" style={{ borderRadius: 4 }}>
          <Box h="100%" w={width} bg={colorVar(bar.color)} style={{ borderRadius: 4 }} />
          {bar.marker != null ? (
            <Box
              pos="absolute"
              top={-3}
              h={20}
              w={3}
              bg="var(--mantine-color-dark-6)"
              style={{ left: `calc(${(bar.marker / max) * 100}% - 1px)`, borderRadius: 1 }}
            />
          ) : null}
        </Box>
      </Tooltip>
      <Text size="sm" ta="right" style={{ fontVariantNumeric: 'tabular-nums', whiteSpace: 'nowrap' }}>
        {formatDays(bar.days)}
      </Text>
    </>
  );
}
