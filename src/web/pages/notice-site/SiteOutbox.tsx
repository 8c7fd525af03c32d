import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Collapse,
  Group,
  Loader,
  Paper,
  Select,
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SiteMessage, SiteMessageKind } from '../../../shared/contracts/notice-site.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { type RecipientFilter, RecipientSearch } from '../../components/RecipientSearch.tsx';
import { messageKindColors, messageKindLabels } from './site-labels.ts';
import { siteOutboxQuery } from './site-queries.ts';

/**
 * What the site itself sent (lookup results, subscription confirmations, updates, acknowledgements) when no
 * mail server or SMS provider is set up. Each page decrypts messages and is audited, so nothing reloads on
 * its own.
 */
export function SiteOutbox({
  incidentId,
  focusMessage = null,
  onShowAll,
}: {
  incidentId: string;
  /** A message opened by its id (a link from an inbox thread): shown alone, its text open. */
  focusMessage?: number | null;
  onShowAll?: () => void;
}) {
  // Cursors of the pages seen, newest first: going back pops one.
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [kind, setKind] = useState<SiteMessageKind | null>(null);
  const [channel, setChannel] = useState<'email' | 'sms' | null>(null);
  const [recipient, setRecipient] = useState<RecipientFilter | null>(null);
  const before = cursors[cursors.length - 1] ?? null;
  const page = useQuery(
    siteOutboxQuery(incidentId, { kind, channel, recipient, message: focusMessage }, before),
  );
  const messages = page.data?.messages ?? [];
  const isFiltered = kind !== null || channel !== null || recipient !== null;
  const filterBy = (change: () => void) => {
    change();
    setCursors([null]);
  };

  return (
    <Stack gap="md">
      <Group justify="space-between" align="flex-end">
        <Text size="sm" c="dimmed" style={{ flex: '1 1 30rem' }}>
          Messages the notice site kept instead of handing them to a mail server or SMS provider (none is
          configured). Links are shown as text, so a personal link can be copied from here. Opening this list
          decrypts the messages: each page is recorded in the audit log under your name.
        </Text>
        <Group gap="xs">
          {page.isFetching ? <Loader size="xs" aria-label="Loading messages" /> : null}
          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {page.data ? `${formatCount(page.data.total)} messages · page ${cursors.length}` : ''}
          </Text>
          <Button variant="default" size="xs" onClick={() => void page.refetch()} disabled={page.isFetching}>
            Refresh
          </Button>
        </Group>
      </Group>
      {focusMessage ? (
        <Alert color="blue" variant="light" title="One message, linked from the inbox">
          <Group justify="space-between" gap="sm">
            <Text size="sm">This is the message the inbox thread links to (message #{focusMessage}).</Text>
            {onShowAll ? (
              <Button size="xs" variant="default" onClick={onShowAll}>
                Show all messages
              </Button>
            ) : null}
          </Group>
        </Alert>
      ) : (
        <Group gap="md" align="flex-end" wrap="wrap">
          <RecipientSearch active={recipient} onSearch={(next) => filterBy(() => setRecipient(next))} />
          <Select
            label="Kind"
            placeholder="Any"
            clearable
            w={230}
            value={kind}
            onChange={(next) => filterBy(() => setKind(next as SiteMessageKind | null))}
            data={Object.entries(messageKindLabels).map(([value, label]) => ({ value, label }))}
          />
          <Select
            label="Channel"
            placeholder="Any"
            clearable
            w={140}
            value={channel}
            onChange={(next) => filterBy(() => setChannel(next as 'email' | 'sms' | null))}
            data={[
              { value: 'email', label: 'Email' },
              { value: 'sms', label: 'SMS' },
            ]}
          />
        </Group>
      )}
      {page.error ? <ErrorAlert error={page.error} title="The messages could not be read" /> : null}
      {page.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the messages" />
        </Center>
      ) : messages.length === 0 && !page.error ? (
        <Alert
          color="gray"
          variant="light"
          title={isFiltered || focusMessage ? 'No message matches' : 'Nothing here yet'}
        >
          {focusMessage
            ? 'That message is not in this notice site’s outbox.'
            : isFiltered
              ? 'No message kept here matches these filters. The recipient must match exactly (a whole address or number); messages stored before recipients were indexed are found by paging only.'
              : 'Messages appear here when someone looks themselves up, subscribes or writes in, when an update is published, and when the inbox answers or sends a verification code. With a mail server or SMS provider configured, they go there instead.'}
        </Alert>
      ) : (
        <Paper withBorder>
          <Box component="ul" m={0} p={0} aria-label="Messages the site sent" style={{ listStyle: 'none' }}>
            {messages.map((m) => (
              <MessageRow key={m.id} message={m} isOpenAtFirst={m.id === focusMessage} />
            ))}
          </Box>
          <Group justify="space-between" p="xs">
            <Button
              variant="subtle"
              size="compact-sm"
              disabled={cursors.length === 1}
              onClick={() => setCursors((list) => list.slice(0, -1))}
            >
              ← Newer
            </Button>
            <Button
              variant="subtle"
              size="compact-sm"
              disabled={!page.data?.nextBefore}
              onClick={() => {
                const next = page.data?.nextBefore;
                if (next) setCursors((list) => [...list, next]);
              }}
            >
              Older →
            </Button>
          </Group>
        </Paper>
      )}
    </Stack>
  );
}

function MessageRow({ message: m, isOpenAtFirst }: { message: SiteMessage; isOpenAtFirst: boolean }) {
  const [isOpen, setOpen] = useState(isOpenAtFirst);
  const textId = `site-message-${m.id}`;
  return (
    <li style={{ borderBottom: '1px solid var(--mantine-color-gray-2)' }}>
      <UnstyledButton
        onClick={() => setOpen((open) => !open)}
        aria-expanded={isOpen}
        aria-controls={textId}
        w="100%"
        p="sm"
        style={{ display: 'block' }}
      >
        <Group justify="space-between" gap="xs" wrap="nowrap">
          <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
            <Badge
              size="sm"
              variant="light"
              color={messageKindColors[m.kind]}
              tt="none"
              style={{ flexShrink: 0 }}
            >
              {messageKindLabels[m.kind]}
            </Badge>
            <Badge size="sm" variant="outline" color="gray" style={{ flexShrink: 0 }}>
              {m.channel === 'sms' ? 'SMS' : 'Email'}
            </Badge>
            <Text size="sm" fw={600} truncate="end" miw={0}>
              {m.to}
            </Text>
          </Group>
          <Text size="xs" c="dimmed" style={{ flexShrink: 0 }}>
            {formatDateTime(m.createdAt)}
          </Text>
        </Group>
        <Text size="sm" truncate="end" mt={2}>
          {m.subject ?? m.text.trim().split('\n')[0]?.slice(0, 140)}
        </Text>
      </UnstyledButton>
      <Collapse expanded={isOpen}>
        <Box
          id={textId}
          component="pre"
          mx="sm"
          mb="sm"
          mt={0}
          p="sm"
          bg="var(--mantine-color-gray-0)"
          aria-label={`Text of the message to ${m.to}`}
          style={{
            whiteSpace: 'pre-wrap',
            overflowWrap: 'anywhere',
            fontSize: 13,
            border: '1px solid var(--mantine-color-gray-3)',
            borderRadius: 'var(--mantine-radius-sm)',
            userSelect: 'text',
          }}
        >
          {m.text}
        </Box>
      </Collapse>
    </li>
  );
}
