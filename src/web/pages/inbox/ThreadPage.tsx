import { Badge, Center, Grid, Group, Loader, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ThreadDetail } from '../../../shared/contracts/inbox.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { SendingWarnings } from '../../components/SendingWarnings.tsx';
import { useCan } from '../../components/useCan.ts';
import { ChannelLabel } from './ChannelLabel.tsx';
import { DsrPanel } from './DsrPanel.tsx';
import { threadStatusColors, threadStatusLabels } from './inbox-labels.ts';
import { threadQuery, useTopicLabels } from './inbox-queries.ts';
import { MessageList } from './MessageList.tsx';
import { NoteComposer } from './NoteComposer.tsx';
import { PersonPanel } from './PersonPanel.tsx';
import { ReplyComposer } from './ReplyComposer.tsx';
import { DsrBadge, PriorityBadge, TopicBadges } from './ThreadBadges.tsx';
import { ThreadControls } from './ThreadControls.tsx';

/** One conversation with the person's context beside it. */
export function ThreadPage({ threadId }: { threadId: string }) {
  return (
    <RequirePermission permission="inbox:read">
      <ThreadLoader threadId={threadId} />
    </RequirePermission>
  );
}

function ThreadLoader({ threadId }: { threadId: string }) {
  const thread = useQuery(threadQuery(threadId));
  if (thread.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the thread" />
      </Center>
    );
  }
  if (!thread.data) {
    return (
      <Stack gap="md">
        <ErrorAlert error={thread.error} title="This thread could not be opened" />
        <RouterAnchor to="/inbox">Back to the inbox</RouterAnchor>
      </Stack>
    );
  }
  return <ThreadView thread={thread.data} refreshError={thread.error} />;
}

function ThreadView({ thread, refreshError }: { thread: ThreadDetail; refreshError: unknown }) {
  const canReply = useCan('inbox:reply');
  return (
    <Stack gap="lg">
      <ThreadHeader thread={thread} />
      <ErrorAlert error={refreshError} title="The thread could not be refreshed" />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 8 }}>
          <Stack gap="md">
            <MessageList thread={thread} />
            {canReply ? (
              <>
                <SendingWarnings warnings={thread.warnings} />
                <ReplyComposer key={thread.id} thread={thread} />
                <NoteComposer threadId={thread.id} />
              </>
            ) : null}
          </Stack>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 4 }}>
          <Stack gap="md">
            <PersonPanel thread={thread} canReply={canReply} />
            <ThreadControls thread={thread} canReply={canReply} />
            {thread.dsr ? <DsrPanel threadId={thread.id} dsr={thread.dsr} canReply={canReply} /> : null}
          </Stack>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}

function ThreadHeader({ thread }: { thread: ThreadDetail }) {
  const topicLabels = useTopicLabels();
  return (
    <Stack gap={6}>
      <RouterAnchor to="/inbox" size="sm">
        ← Inbox
      </RouterAnchor>
      <Group gap="sm" align="center">
        <Title order={1} size="h2">
          {thread.subject || `Message from ${thread.sender}`}
        </Title>
        <Badge color={threadStatusColors[thread.status]} variant="filled" size="lg">
          <VisuallyHidden>Status: </VisuallyHidden>
          {threadStatusLabels[thread.status]}
        </Badge>
      </Group>
      <Group gap="sm">
        <PriorityBadge priority={thread.priority} />
        <ChannelLabel channel={thread.channel} />
        <Text size="sm" c="dimmed">
          from <strong>{thread.sender}</strong> · opened {formatDateTime(thread.createdAt)}
          {thread.sentiment !== null && thread.sentiment < 0 ? ' · sounds unhappy' : ''}
        </Text>
        <TopicBadges topics={thread.topics} labels={topicLabels} />
        {thread.dsr ? <DsrBadge dsr={thread.dsr} /> : null}
      </Group>
      <Text size="xs" c="dimmed">
        Refreshed every 15 seconds. Opening a thread is recorded in the audit log.
      </Text>
    </Stack>
  );
}
