import {
  Alert,
  Badge,
  Box,
  Button,
  Center,
  Group,
  Loader,
  Paper,
  ScrollArea,
  SegmentedControl,
  Select,
  Stack,
  Text,
  Title,
  UnstyledButton,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import type { Channel } from '../../../shared/contracts/campaigns.ts';
import type { Campaign, OutboxMessage } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { type RecipientFilter, RecipientSearch } from '../../components/RecipientSearch.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { channelLabels } from './campaign-labels.ts';
import { outboxQuery } from './campaign-queries.ts';
import { MessageView } from './MessageView.tsx';

const channelColors: Record<string, string> = { email: 'blue', sms: 'cyan', letter: 'grape' };

function firstLine(message: OutboxMessage): string {
  if (message.subject) return message.subject;
  return message.text.trim().split('\n')[0]?.slice(0, 140) ?? '';
}

/**
 * The embedded outbox as a mailbox: what each person received when no mail server or SMS provider is set
 * up, and every letter. Each page read decrypts messages and is audited, so nothing reloads on its own.
 */
export function OutboxTab({ campaign }: { campaign: Campaign }) {
  return (
    <RequirePermission permission="people:read_pii">
      <Outbox campaign={campaign} />
    </RequirePermission>
  );
}

const stateLabels: Record<string, string> = {
  sent: 'Sent',
  delivered: 'Delivered',
  bounced: 'Bounced or returned',
  failed: 'Failed',
  fell_back: 'Fell back to the next channel',
};

function Outbox({ campaign }: { campaign: Campaign }) {
  const [channel, setChannel] = useState<'all' | Channel>('all');
  const [state, setState] = useState<string | null>(null);
  const [recipient, setRecipient] = useState<RecipientFilter | null>(null);
  // Cursors of the pages seen, newest first: going back pops one.
  const [cursors, setCursors] = useState<Array<number | null>>([null]);
  const [selectedId, setSelectedId] = useState<number | null>(null);
  const before = cursors[cursors.length - 1] ?? null;
  const page = useQuery(outboxQuery(campaign.id, { channel, state, recipient }, before));
  const startOver = () => {
    setCursors([null]);
    setSelectedId(null);
  };
  const messages = page.data?.messages ?? [];
  const selected = messages.find((m) => m.id === selectedId) ?? messages[0] ?? null;
  const pageNumber = cursors.length;

  return (
    <Stack gap="md">
      <Text size="sm" c="dimmed">
        Messages kept by Candor instead of being handed to a mail server or SMS provider (none is configured),
        and every letter, ready to print. Opening this list decrypts them: each page is recorded in the audit
        log under your name.
      </Text>
      <Group gap="md" align="flex-end" wrap="wrap">
        <RecipientSearch
          active={recipient}
          onSearch={(next) => {
            setRecipient(next);
            startOver();
          }}
        />
        <Select
          label="Delivery state"
          placeholder="Any"
          clearable
          w={220}
          value={state}
          onChange={(next) => {
            setState(next);
            startOver();
          }}
          data={Object.entries(stateLabels).map(([value, label]) => ({ value, label }))}
        />
      </Group>
      <Group justify="space-between" align="flex-end">
        <SegmentedControl
          aria-label="Show messages sent by"
          value={channel}
          onChange={(value) => {
            setChannel(value as 'all' | Channel);
            startOver();
          }}
          data={[
            { value: 'all', label: 'All' },
            ...campaign.channels.map((c) => ({ value: c, label: channelLabels[c] })),
          ]}
        />
        <Group gap="xs">
          {page.isFetching ? <Loader size="xs" aria-label="Loading messages" /> : null}
          <Text size="sm" c="dimmed" style={{ fontVariantNumeric: 'tabular-nums' }}>
            {page.data ? `${formatCount(page.data.total)} messages · page ${pageNumber}` : ''}
          </Text>
          <Button variant="default" size="xs" onClick={() => void page.refetch()} disabled={page.isFetching}>
            Refresh
          </Button>
        </Group>
      </Group>
      {page.error ? <ErrorAlert error={page.error} title="The outbox could not be read" /> : null}
      {page.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the outbox" />
        </Center>
      ) : messages.length === 0 && !page.error ? (
        <Alert
          color="gray"
          variant="light"
          title={recipient || state ? 'No message matches' : 'Nothing here yet'}
        >
          {recipient || state
            ? 'No message kept in the outbox matches these filters. The recipient must match exactly (a whole address or number); messages stored before recipients were indexed are found by paging only.'
            : campaign.startedAt
              ? 'No message of this kind was kept in the outbox. With a mail server or SMS provider configured, emails and texts go to them instead; letters are always kept here.'
              : 'Messages appear here once the campaign starts.'}
        </Alert>
      ) : (
        <Box
          style={{
            display: 'grid',
            gridTemplateColumns: 'minmax(16rem, 22rem) minmax(0, 1fr)',
            gap: 'var(--mantine-spacing-md)',
            alignItems: 'start',
          }}
        >
          <Paper withBorder>
            <ScrollArea.Autosize mah={640}>
              <Box component="ul" m={0} p={0} aria-label="Messages" style={{ listStyle: 'none' }}>
                {messages.map((m) => {
                  const isSelected = selected?.id === m.id;
                  return (
                    <li key={m.id}>
                      <UnstyledButton
                        onClick={() => setSelectedId(m.id)}
                        aria-current={isSelected ? 'true' : undefined}
                        w="100%"
                        p="sm"
                        bg={isSelected ? 'var(--mantine-color-blue-light)' : undefined}
                        style={{ borderBottom: '1px solid var(--mantine-color-gray-2)', display: 'block' }}
                      >
                        <Group justify="space-between" gap="xs" wrap="nowrap">
                          <Text size="sm" fw={600} truncate="end" miw={0}>
                            {m.to}
                          </Text>
                          <Badge
                            size="xs"
                            variant="light"
                            color={channelColors[m.channel] ?? 'gray'}
                            style={{ flexShrink: 0 }}
                          >
                            {channelLabels[m.channel as Channel] ?? m.channel}
                          </Badge>
                        </Group>
                        <Text size="xs" truncate="end">
                          {firstLine(m)}
                        </Text>
                        <Text size="xs" c="dimmed">
                          {formatDateTime(m.createdAt)}
                          {m.state && m.state !== 'sent' ? ` · ${stateLabels[m.state] ?? m.state}` : ''}
                        </Text>
                      </UnstyledButton>
                    </li>
                  );
                })}
              </Box>
            </ScrollArea.Autosize>
            <Group justify="space-between" p="xs">
              <Button
                variant="subtle"
                size="compact-sm"
                disabled={cursors.length === 1}
                onClick={() => {
                  setCursors((list) => list.slice(0, -1));
                  setSelectedId(null);
                }}
              >
                ← Newer
              </Button>
              <Button
                variant="subtle"
                size="compact-sm"
                disabled={!page.data?.nextBefore}
                onClick={() => {
                  const next = page.data?.nextBefore;
                  if (!next) return;
                  setCursors((list) => [...list, next]);
                  setSelectedId(null);
                }}
              >
                Older →
              </Button>
            </Group>
          </Paper>
          {selected ? <Reader message={selected} /> : null}
        </Box>
      )}
    </Stack>
  );
}

function Reader({ message: m }: { message: OutboxMessage }) {
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="reader-title">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id="reader-title">
            {channelLabels[m.channel as Channel] ?? m.channel} to {m.to}
          </Title>
          <Text size="xs" c="dimmed" style={{ overflowWrap: 'anywhere' }}>
            {formatDateTime(m.createdAt)} · verification code {m.verificationCode} · {m.messageId}
          </Text>
        </div>
        <MessageView message={m} title={`Message to ${m.to}`} />
      </Stack>
    </Paper>
  );
}
