import {
  Anchor,
  Badge,
  Box,
  Button,
  Collapse,
  Group,
  List,
  Paper,
  SimpleGrid,
  Stack,
  Text,
  Title,
  Tooltip,
  VisuallyHidden,
} from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { memo, type ReactNode, useId } from 'react';
import type { DecisionRecord, Obligation } from '../../api/types.ts';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { Countdown } from './Countdown.tsx';
import {
  confidenceColors,
  confidenceHints,
  confidenceLabels,
  kindLabels,
  obligationStatusColors,
  obligationStatusLabels,
} from './obligation-labels.ts';

function hostOf(url: string): string {
  try {
    return new URL(url).hostname.replace(/^www\./, '');
  } catch {
    return 'source';
  }
}

/** One notice the rules require: when, why, to whom, on what authority, and what was decided. */
export const ObligationCard = memo(function ObligationCard({
  obligation: o,
  canDecide,
  onDecide,
  heading = 3,
  context,
}: {
  obligation: Obligation;
  canDecide: boolean;
  onDecide?: (obligation: Obligation) => void;
  heading?: 2 | 3 | 4;
  /** Shown above the title, e.g. the incident on the cross-incident deadlines page. */
  context?: ReactNode;
}) {
  const titleId = useId();
  const detailsId = useId();
  const [isOpen, details] = useDisclosure(false);
  const isOpenStatus = o.status === 'open';

  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={titleId}
      style={{
        borderLeft: `4px solid var(--mantine-color-${obligationStatusColors[o.status]}-filled)`,
        opacity: isOpenStatus ? 1 : 0.92,
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap" gap="md">
          <Stack gap={2} style={{ minWidth: 0 }}>
            {context}
            <Title order={heading} size="h5" id={titleId}>
              {o.regimeName}: {kindLabels[o.kind]}
            </Title>
            <Text size="sm" c="dimmed">
              To: {o.body} · {formatCount(o.affected)} affected
              {o.threshold ? ` · applies to ${o.threshold.text}` : ''}
            </Text>
          </Stack>
          <Stack gap={0} align="flex-end" style={{ flexShrink: 0 }}>
            {o.dueAt && isOpenStatus ? <Countdown dueAt={o.dueAt} size="md" /> : null}
            <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
              {o.dueAt ? `Due ${formatDateTime(o.dueAt)}` : 'No due date'}
            </Text>
          </Stack>
        </Group>

        <Group gap={6}>
          <Badge color={obligationStatusColors[o.status]} variant={isOpenStatus ? 'outline' : 'filled'}>
            {obligationStatusLabels[o.status]}
          </Badge>
          {o.deadlineIsPolicy ? (
            <Tooltip label="The law gives no fixed period: this is the company's policy target." withArrow>
              <Badge color="violet" variant="light" tt="none">
                Policy target
              </Badge>
            </Tooltip>
          ) : null}
          {o.deadlineEstimated ? (
            <Tooltip
              label="Counted from a date not yet fixed: set the planned notice time to fix it."
              withArrow
            >
              <Badge color="orange" variant="light" tt="none">
                Estimated
              </Badge>
            </Tooltip>
          ) : null}
          <Tooltip label={confidenceHints[o.confidence]} withArrow>
            <Badge color={confidenceColors[o.confidence]} variant="dot" tt="none">
              {confidenceLabels[o.confidence]}
            </Badge>
          </Tooltip>
          {o.riskOfHarmException ? (
            <Tooltip label="Notice may be avoided after a documented risk-of-harm assessment." withArrow>
              <Badge color="gray" variant="light" tt="none">
                Risk-of-harm exception
              </Badge>
            </Tooltip>
          ) : null}
        </Group>

        <Text size="sm">
          <Text span fw={600} size="sm">
            Deadline:{' '}
          </Text>
          {o.deadlineBasis}
        </Text>

        {o.decision ? <DecisionNote decision={o.decision} /> : null}

        <Group justify="space-between" align="center" gap="xs" wrap="wrap">
          <Text size="xs" c="dimmed" style={{ flex: '1 1 20rem' }}>
            {o.citation}
            {o.sourceUrls.map((url) => (
              <span key={url}>
                {' · '}
                <Anchor href={url} target="_blank" rel="noreferrer noopener" size="xs" underline="always">
                  {hostOf(url)}
                  <VisuallyHidden> (source for {o.regimeName}, opens in a new tab)</VisuallyHidden>
                </Anchor>
              </span>
            ))}
          </Text>
          <Group gap="xs">
            <Button
              variant="subtle"
              size="compact-sm"
              onClick={details.toggle}
              aria-expanded={isOpen}
              aria-controls={detailsId}
            >
              {isOpen ? 'Hide details' : 'Details'}
            </Button>
            {canDecide && onDecide ? (
              <Button variant="light" size="compact-sm" onClick={() => onDecide(o)}>
                Record decision
              </Button>
            ) : null}
          </Group>
        </Group>

        <Collapse expanded={isOpen} id={detailsId}>
          <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg" pt="xs">
            <Stack gap={4}>
              <Text size="sm" fw={600}>
                What the notice must contain
              </Text>
              {o.content.length > 0 ? (
                <List size="sm" spacing={2} listStyleType="'☐  '">
                  {o.content.map((item) => (
                    <List.Item key={item}>{item}</List.Item>
                  ))}
                </List>
              ) : (
                <Text size="sm" c="dimmed">
                  The law prescribes no content.
                </Text>
              )}
              <Text size="sm" fw={600} mt="xs">
                Trigger
              </Text>
              <Text size="sm">{o.trigger}</Text>
            </Stack>
            <Stack gap={4}>
              {o.notes ? (
                <>
                  <Text size="sm" fw={600}>
                    Notes
                  </Text>
                  <Text size="sm">{o.notes}</Text>
                </>
              ) : null}
              <Text size="sm" fw={600} mt={o.notes ? 'xs' : 0}>
                Decision history
              </Text>
              {o.history.length > 0 ? (
                <Stack gap={6}>
                  {o.history.map((record) => (
                    <DecisionNote key={`${record.at}:${record.status}`} decision={record} compact />
                  ))}
                </Stack>
              ) : (
                <Text size="sm" c="dimmed">
                  No decision recorded yet.
                </Text>
              )}
            </Stack>
          </SimpleGrid>
        </Collapse>
      </Stack>
    </Paper>
  );
});

/** A recorded decision: what, who, when, and why or on what evidence. */
export function DecisionNote({ decision, compact = false }: { decision: DecisionRecord; compact?: boolean }) {
  return (
    <Box
      p={compact ? 6 : 'xs'}
      bg="var(--mantine-color-gray-0)"
      style={{ borderRadius: 'var(--mantine-radius-sm)' }}
      aria-label={compact ? undefined : 'Decision'}
      role={compact ? undefined : 'group'}
    >
      <Text size="xs" c="dimmed">
        <Text span size="xs" fw={700} c={obligationStatusColors[decision.status]}>
          {decision.status === 'open'
            ? 'Reopened'
            : `Marked ${obligationStatusLabels[decision.status].toLowerCase()}`}
        </Text>{' '}
        by {decision.by} on {formatDateTime(decision.at)} · rules {decision.rulesVersion}
      </Text>
      {decision.reasons ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <Text span size="sm" fw={600}>
            Reasons:{' '}
          </Text>
          {decision.reasons}
        </Text>
      ) : null}
      {decision.evidence ? (
        <Text size="sm" style={{ whiteSpace: 'pre-wrap' }}>
          <Text span size="sm" fw={600}>
            Evidence:{' '}
          </Text>
          {decision.evidence}
        </Text>
      ) : null}
    </Box>
  );
}
