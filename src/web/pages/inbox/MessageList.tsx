import { Anchor, Badge, Group, List, Paper, Stack, Text } from '@mantine/core';
import type { InboxDispatch, ThreadDetail, ThreadMessage } from '../../../shared/contracts/inbox.ts';
import { formatBytes, formatDateTime } from '../../components/format.ts';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { useCan } from '../../components/useCan.ts';
import { deliveryColors, deliveryLabels } from './inbox-labels.ts';
import { attachmentUrl } from './inbox-queries.ts';

/** Notes Candor writes itself (a verification code sent) carry the author "candor". */
const authorName = (author: string | null) => (!author || author === 'candor' ? 'Candor' : author);

type Look = { bg: string; border: string; who: string; offset: 'left' | 'right' };

/** Requester on the left, agents' replies on the right in blue, internal notes in yellow. */
function lookOf(message: ThreadMessage, sender: string): Look {
  if (message.kind === 'note') {
    return {
      bg: 'var(--mantine-color-yellow-0)',
      border: 'var(--mantine-color-yellow-4)',
      who: authorName(message.author),
      offset: 'right',
    };
  }
  if (message.direction === 'out') {
    return {
      bg: 'var(--mantine-color-blue-0)',
      border: 'var(--mantine-color-blue-2)',
      who: authorName(message.author),
      offset: 'right',
    };
  }
  return {
    bg: 'var(--mantine-color-body)',
    border: 'var(--mantine-color-gray-3)',
    who: message.name ? `${message.name} (${sender})` : sender,
    offset: 'left',
  };
}

/** The article's name; kept clear of the composer's labels ("Reply", "Internal note") so each stays unique. */
function kindOf(message: ThreadMessage): string {
  if (message.kind === 'note') return 'Note by';
  return message.direction === 'out' ? 'Answer by' : 'From';
}

/** The conversation, oldest first. */
export function MessageList({ thread }: { thread: ThreadDetail }) {
  return (
    <Stack gap="sm" component="section" aria-label="Conversation">
      {thread.messages.map((message) => (
        <MessageCard key={message.id} message={message} thread={thread} />
      ))}
    </Stack>
  );
}

function MessageCard({ message, thread }: { message: ThreadMessage; thread: ThreadDetail }) {
  const look = lookOf(message, thread.sender);
  const kind = kindOf(message);
  return (
    <Paper
      component="article"
      aria-label={`${kind} ${look.who}, ${formatDateTime(message.createdAt)}`}
      p="md"
      withBorder
      bg={look.bg}
      style={{ borderColor: look.border }}
      ml={look.offset === 'right' ? { base: 0, sm: 'xl' } : 0}
      mr={look.offset === 'left' ? { base: 0, sm: 'xl' } : 0}
      data-kind={message.kind === 'note' ? 'note' : message.direction}
    >
      <Stack gap="xs">
        <Group justify="space-between" gap="xs" wrap="wrap">
          <Group gap="xs">
            {message.kind === 'note' ? (
              <Badge color="yellow" variant="filled" c="dark" tt="none">
                Internal note
              </Badge>
            ) : message.direction === 'out' ? (
              <Badge color="blue" variant="light" tt="none">
                Reply
              </Badge>
            ) : null}
            <Text size="sm" fw={600}>
              {look.who}
            </Text>
          </Group>
          <Group gap="xs">
            {message.direction === 'out' && message.kind === 'message' && message.delivery ? (
              <Badge color={deliveryColors[message.delivery]} variant="dot" tt="none">
                {deliveryLabels[message.delivery]}
              </Badge>
            ) : null}
            <Text size="xs" c="dimmed">
              {formatDateTime(message.createdAt)}
            </Text>
          </Group>
        </Group>
        {message.subject ? (
          <Text size="sm">
            <Text span c="dimmed" inherit>
              Subject:{' '}
            </Text>
            {message.subject}
          </Text>
        ) : null}
        <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }}>
          {message.body}
        </Text>
        {message.dispatch ? <WhereItWent dispatch={message.dispatch} /> : null}
        {message.attachments.length > 0 ? (
          <Attachments threadId={thread.id} attachments={message.attachments} />
        ) : null}
      </Stack>
    </Paper>
  );
}

const channelWords = { email: 'by email', sms: 'by SMS' } as const;

/**
 * Where a reply or a verification code went. Without a mail server or SMS provider, messages are kept in
 * the notice site's outbox (another part of the console): the link opens that message by its id.
 */
function WhereItWent({ dispatch }: { dispatch: InboxDispatch }) {
  const canReadPii = useCan('people:read_pii');
  const how = dispatch.channel ? ` ${channelWords[dispatch.channel]}` : '';
  let text: string;
  if (dispatch.state === 'pending') text = `Queued to send${how}.`;
  else if (dispatch.state === 'failed')
    text = `Could not be sent${how}: ${dispatch.reason ?? 'no reason given'}.`;
  else if (dispatch.state === 'skipped') text = `Not sent${how}: ${dispatch.reason ?? 'no reason given'}.`;
  else if (dispatch.via === 'smtp') text = 'Sent by email: handed to the mail server (SMTP).';
  else if (dispatch.via === 'sms-provider') text = 'Sent by SMS: handed to the SMS provider.';
  else if (dispatch.via === 'outbox')
    text = `Kept in the outbox${how}: no mail server or SMS provider is configured, so nothing left Candor.`;
  else text = `Sent${how}.`;
  const canOpen = dispatch.via === 'outbox' && dispatch.outboxMessageId !== null && dispatch.incidentId;
  return (
    <Group gap="xs" wrap="wrap">
      <Text size="xs" c={dispatch.state === 'failed' ? 'red.8' : 'dimmed'}>
        {text}
      </Text>
      {canOpen && canReadPii ? (
        <RouterAnchor
          size="xs"
          to="/incidents/$incidentId/notice-site"
          params={{ incidentId: dispatch.incidentId! }}
          search={{ view: 'messages', message: dispatch.outboxMessageId! }}
        >
          Open it in the notice site’s outbox
        </RouterAnchor>
      ) : canOpen ? (
        <Text size="xs" c="dimmed">
          Staff who may read personal data can open it in the notice site’s outbox.
        </Text>
      ) : dispatch.via === 'outbox' ? (
        <Text size="xs" c="dimmed">
          This sender matches no incident, so no notice site lists it.
        </Text>
      ) : null}
    </Group>
  );
}

/**
 * Files the requester sent. Served as downloads only, never opened in the console: their content is
 * whatever the sender chose, and each download is audited.
 */
function Attachments({
  threadId,
  attachments,
}: {
  threadId: string;
  attachments: ThreadMessage['attachments'];
}) {
  return (
    <div>
      <Text size="xs" c="dimmed" fw={500}>
        Attachments (downloads, audited)
      </Text>
      <List size="sm" spacing={2}>
        {attachments.map((file) => (
          <List.Item key={file.id}>
            <Anchor href={attachmentUrl(threadId, file.id)} download={file.filename} size="sm">
              {file.filename}
            </Anchor>{' '}
            <Text span size="xs" c="dimmed">
              {formatBytes(file.size)} · {file.contentType}
            </Text>
          </List.Item>
        ))}
      </List>
    </div>
  );
}
