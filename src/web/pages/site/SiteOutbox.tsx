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
  Stack,
  Text,
  UnstyledButton,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { SiteMessage } from '../../api/notice-types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { messageKindColors, messageKindLabels } from './site-labels.ts';
import { siteOutboxQuery } from './site-queries.ts';

/**
 * What the site itself sent (lookup results, subscription confirmations, updates, acknowledgements) when no
 * mail server or SMS provider is set up. Each page decrypts messages and is audited, so nothing reloads on
 * its own.
 */
export function SiteOutbox({ incidentId }: { incidentId: string }) {
  // Cursors of the pages seen, newest first: going back pops one.
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const before = cursors[cursors.length - 1] ?? null;
  const page = useQuery(siteOutboxQuery(incidentId, before));
  const messages = page.data?.messages ?? [];

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
      {page.error ? <ErrorAlert error={page.error} title="The messages could not be read" /> : null}
      {page.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the messages" />
        </Center>
      ) : messages.length === 0 && !page.error ? (
        <Alert color="gray" variant="light" title="Nothing here yet">
          Messages appear here when someone looks themselves up, subscribes or writes in, and when an update
          is published. With a mail server or SMS provider configured, they go there instead.
        </Alert>
      ) : (
        <Paper withBorder>
          <Box component="ul" m={0} p={0} aria-label="Messages the site sent" style={{ listStyle: 'none' }}>
            {messages.map((m) => (
              <MessageRow key={m.id} message={m} />
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

function MessageRow({ message: m }: { message: SiteMessage }) {
  const [isOpen, setOpen] = useState(false);
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
