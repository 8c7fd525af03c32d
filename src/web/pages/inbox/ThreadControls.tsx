import { Group, Paper, Rating, Select, Stack, Text, Title } from '@mantine/core';
import type { ThreadDetail, ThreadStatus } from '../../../shared/contracts/inbox.ts';
import { threadStatuses } from '../../../shared/contracts/inbox.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Fact } from './Fact.tsx';
import { threadStatusLabels } from './inbox-labels.ts';
import { patchThread, useAssignees, useThreadChange } from './inbox-queries.ts';
import { SlaTimer } from './SlaTimer.tsx';

const statusOptions = threadStatuses.map((status) => ({ value: status, label: threadStatusLabels[status] }));

/** Where the thread stands: status, who has it, the first-response timer and the requester's rating. */
export function ThreadControls({ thread, canReply }: { thread: ThreadDetail; canReply: boolean }) {
  const change = useThreadChange(thread.id, (body: object) => patchThread(thread.id, body));
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="thread-handling-title">
      <Stack gap="sm">
        <Title order={2} size="h4" id="thread-handling-title">
          Handling
        </Title>
        {canReply ? (
          <>
            <Select
              label="Status"
              description="Pending waits for the requester. Solving asks them to rate the answer."
              data={statusOptions}
              value={thread.status}
              onChange={(value) => value && change.mutate({ status: value as ThreadStatus })}
              allowDeselect={false}
              disabled={change.isPending}
            />
            <AssigneeSelect
              thread={thread}
              disabled={change.isPending}
              onChange={(assigneeId) => change.mutate({ assigneeId })}
            />
            <ErrorAlert error={change.error} />
          </>
        ) : (
          <>
            <Fact label="Status">{threadStatusLabels[thread.status]}</Fact>
            <Fact label="Assigned to">{thread.assignee?.name ?? 'Nobody'}</Fact>
          </>
        )}
        <Fact label="First response">
          <SlaTimer sla={thread.sla} isCompact />
          {thread.firstResponseAt ? (
            <Text size="xs" c="dimmed">
              Answered {formatDateTime(thread.firstResponseAt)}
            </Text>
          ) : null}
        </Fact>
        <Fact label="Opened">{formatDateTime(thread.createdAt)}</Fact>
        {thread.satisfaction !== null ? (
          <Fact label="Satisfaction">
            <Group gap="xs">
              <Rating value={thread.satisfaction} readOnly aria-hidden="true" />
              <Text size="sm">{thread.satisfaction} out of 5</Text>
            </Group>
          </Fact>
        ) : thread.status === 'solved' ? (
          <Fact label="Satisfaction">
            <Text size="sm" c="dimmed">
              Asked; no answer yet.
            </Text>
          </Fact>
        ) : null}
      </Stack>
    </Paper>
  );
}

/**
 * Agents and admins can take a thread. Only roles that may list staff see everyone; an agent can take a
 * thread or let it go.
 */
function AssigneeSelect({
  thread,
  disabled,
  onChange,
}: {
  thread: ThreadDetail;
  disabled: boolean;
  onChange: (assigneeId: string | null) => void;
}) {
  const session = useActiveSession();
  const assignees = useAssignees();
  const people = new Map<string, string>([
    [session.user.id, `${session.user.displayName || session.user.email} (me)`],
  ]);
  for (const user of assignees.data?.assignees ?? []) {
    if (!people.has(user.id)) people.set(user.id, user.name);
  }
  if (thread.assignee && !people.has(thread.assignee.id))
    people.set(thread.assignee.id, thread.assignee.name);
  const options = [
    { value: '', label: 'Nobody' },
    ...[...people].map(([value, label]) => ({ value, label })),
  ];
  return (
    <>
      <Select
        label="Assigned to"
        data={options}
        value={thread.assignee?.id ?? ''}
        onChange={(value) => onChange(value || null)}
        allowDeselect={false}
        searchable
        disabled={disabled}
      />
      <ErrorAlert error={assignees.error} />
    </>
  );
}
