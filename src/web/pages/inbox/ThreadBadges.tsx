import { Badge, Group, Tooltip, VisuallyHidden } from '@mantine/core';
import type { ThreadDsr, ThreadSummary } from '../../../shared/contracts/inbox.ts';
import { formatDate, formatDateTime } from '../../components/format.ts';
import { dsrKindLabels, priorityBand, priorityColors, priorityLabels, topicLabel } from './inbox-labels.ts';
import { isDsrOverdue } from './sla.ts';

export function PriorityBadge({ priority }: { priority: number }) {
  const band = priorityBand(priority);
  return (
    <Badge
      color={priorityColors[band]}
      variant={band === 'low' ? 'light' : 'filled'}
      // White on orange reads poorly; dark text where the fill is light.
      autoContrast
      tt="none"
      // A table cell may not squeeze it into "Medium…": its narrowest is its full text.
      style={{ minWidth: 'max-content' }}
    >
      <VisuallyHidden>Priority: </VisuallyHidden>
      {priorityLabels[band]} {priority}
    </Badge>
  );
}

/** Whether the sender matches an affected person; says which incident without disclosing anything else. */
export function PersonBadge({ thread }: { thread: Pick<ThreadSummary, 'personLinked' | 'incidentTitle'> }) {
  if (!thread.personLinked) {
    return (
      <Badge color="gray" variant="outline" tt="none">
        Not linked
      </Badge>
    );
  }
  return (
    // Incident titles are long: the badge wraps rather than cutting the title off.
    <Badge
      color="grape"
      variant="light"
      tt="none"
      maw="16rem"
      radius="sm"
      h="auto"
      py={2}
      styles={{ label: { whiteSpace: 'normal', overflow: 'visible', lineHeight: 1.35 } }}
    >
      Affected in {thread.incidentTitle ?? 'an incident'}
    </Badge>
  );
}

export function VerifiedBadge({ isVerified }: { isVerified: boolean }) {
  return isVerified ? (
    <Badge color="teal" variant="light" tt="none">
      Verified
    </Badge>
  ) : (
    <Badge color="gray" variant="light" tt="none">
      Not verified
    </Badge>
  );
}

/** A request to access or delete personal data, with its legal deadline; red once overdue. */
export function DsrBadge({ dsr }: { dsr: ThreadDsr }) {
  const isDone = dsr.completedAt !== null;
  const color = isDone ? 'teal' : isDsrOverdue(dsr) ? 'red' : 'violet';
  const text = isDone ? 'completed' : `due ${formatDate(dsr.dueAt)}`;
  return (
    <Tooltip
      label={
        isDone
          ? `Completed ${formatDateTime(dsr.completedAt)}`
          : `Legal deadline ${formatDateTime(dsr.dueAt)}`
      }
    >
      <Badge color={color} variant="light" tt="none">
        {dsrKindLabels[dsr.kind]} · {text}
      </Badge>
    </Tooltip>
  );
}

export function TopicBadges({ topics, labels }: { topics: string[]; labels: ReadonlyMap<string, string> }) {
  if (topics.length === 0) return null;
  return (
    <Group gap={4} wrap="wrap">
      <VisuallyHidden>Topics:</VisuallyHidden>
      {topics.map((topic) => (
        <Badge key={topic} size="sm" variant="outline" color="blue" tt="none">
          {topicLabel(topic, labels)}
        </Badge>
      ))}
    </Group>
  );
}
