import { Alert, Badge, Button, Paper, Stack, Text, Title } from '@mantine/core';
import type { ThreadDsr } from '../../../shared/contracts/inbox.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { Countdown } from '../obligations/Countdown.tsx';
import { Fact } from './Fact.tsx';
import { dsrKindLabels } from './inbox-labels.ts';
import { patchThread, useThreadChange } from './inbox-queries.ts';

const dsrHints = {
  access: 'The requester asks for a copy of the personal data held about them.',
  deletion: 'The requester asks for their personal data to be deleted.',
} as const;

/** A request to access or delete personal data: its legal deadline, tracked until it is done. */
export function DsrPanel({
  threadId,
  dsr,
  canReply,
}: {
  threadId: string;
  dsr: ThreadDsr;
  canReply: boolean;
}) {
  const complete = useThreadChange(threadId, () => patchThread(threadId, { dsrCompleted: true }));
  const isDone = dsr.completedAt !== null;
  return (
    <Paper
      withBorder
      p="md"
      component="section"
      aria-labelledby="thread-dsr-title"
      style={{ borderColor: isDone ? undefined : 'var(--mantine-color-violet-4)' }}
    >
      <Stack gap="sm">
        <Title order={2} size="h4" id="thread-dsr-title">
          Data request
        </Title>
        <Badge color="violet" variant="light" tt="none" style={{ alignSelf: 'flex-start' }}>
          {dsrKindLabels[dsr.kind]}
        </Badge>
        <Text size="sm" c="dimmed">
          {dsrHints[dsr.kind]} The law sets a deadline (one month under the GDPR).
        </Text>
        <Fact label="Due">
          {formatDateTime(dsr.dueAt)}
          {isDone ? null : (
            <>
              {' · '}
              <Countdown dueAt={dsr.dueAt} />
            </>
          )}
        </Fact>
        {isDone ? (
          <Alert color="teal" variant="light" p="sm">
            Completed {formatDateTime(dsr.completedAt)}.
          </Alert>
        ) : canReply ? (
          <>
            <Button
              variant="light"
              color="violet"
              onClick={() => complete.mutate(undefined)}
              loading={complete.isPending}
              style={{ alignSelf: 'flex-start' }}
            >
              Mark completed
            </Button>
            <ErrorAlert error={complete.error} />
          </>
        ) : null}
      </Stack>
    </Paper>
  );
}
