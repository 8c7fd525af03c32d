import { Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import type { ThreadSummary } from '../../../shared/contracts/inbox.ts';
import { formatDateTime } from '../../components/format.ts';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { ChannelLabel } from './ChannelLabel.tsx';
import { SlaTimer } from './SlaTimer.tsx';
import { DsrBadge, PersonBadge, PriorityBadge, TopicBadges, VerifiedBadge } from './ThreadBadges.tsx';
import type { ThreadSelectionControl } from './thread-selection.ts';

interface Props {
  threads: ThreadSummary[];
  topicLabels: ReadonlyMap<string, string>;
  /** Absent for roles that cannot answer: nothing to select for. */
  selection?: ThreadSelectionControl;
}

/** The threads, highest priority first as the server orders them, each linking to its conversation. */
export function ThreadTable({ threads, topicLabels, selection }: Props) {
  const ids = threads.map((t) => t.id);
  const isSelected = (id: string) =>
    selection ? selection.selection.isAllMatching || selection.selection.ids.has(id) : false;
  const selectedCount = ids.filter(isSelected).length;
  return (
    <Table.ScrollContainer minWidth={1100}>
      <Table highlightOnHover verticalSpacing="sm" aria-label="Threads">
        <Table.Thead>
          <Table.Tr>
            {selection ? (
              <Table.Th scope="col" w={40}>
                <Checkbox
                  aria-label="Select all loaded threads"
                  checked={selectedCount > 0 && selectedCount === ids.length}
                  indeterminate={selectedCount > 0 && selectedCount < ids.length}
                  onChange={(event) => selection.setLoaded(ids, event.currentTarget.checked)}
                />
              </Table.Th>
            ) : null}
            <Table.Th scope="col">Priority</Table.Th>
            <Table.Th scope="col">From</Table.Th>
            <Table.Th scope="col" miw={300}>
              Subject
            </Table.Th>
            <Table.Th scope="col" miw={150}>
              Person
            </Table.Th>
            <Table.Th scope="col" style={{ whiteSpace: 'nowrap' }}>
              First response
            </Table.Th>
            <Table.Th scope="col">Last message</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {threads.map((thread) => (
            <ThreadRow
              key={thread.id}
              thread={thread}
              topicLabels={topicLabels}
              isSelected={isSelected(thread.id)}
              onSelect={
                selection
                  ? (isChecked) =>
                      // Unticking one of "all matching" leaves the other loaded threads ticked.
                      selection.selection.isAllMatching
                        ? selection.setLoaded(
                            ids.filter((id) => id !== thread.id),
                            true,
                          )
                        : selection.toggle(thread.id, isChecked)
                  : undefined
              }
            />
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function ThreadRow({
  thread: t,
  topicLabels,
  isSelected,
  onSelect,
}: {
  thread: ThreadSummary;
  topicLabels: ReadonlyMap<string, string>;
  isSelected: boolean;
  /** Absent when the list is read-only. */
  onSelect: ((isChecked: boolean) => void) | undefined;
}) {
  const title = t.subject || t.preview || '(no subject)';
  return (
    <Table.Tr bg={isSelected ? 'var(--mantine-primary-color-light)' : undefined}>
      {onSelect ? (
        <Table.Td>
          <Checkbox
            aria-label={`Select the thread from ${t.sender}: ${title.slice(0, 80)}`}
            checked={isSelected}
            onChange={(event) => onSelect(event.currentTarget.checked)}
          />
        </Table.Td>
      ) : null}
      <Table.Td>
        <PriorityBadge priority={t.priority} />
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" fw={500}>
            <BreakableAddress address={t.sender} />
          </Text>
          <ChannelLabel channel={t.channel} />
        </Stack>
      </Table.Td>
      <Table.Td maw={420}>
        <Stack gap={4}>
          <RouterAnchor
            to="/inbox/$threadId"
            params={{ threadId: t.id }}
            fw={600}
            size="sm"
            lineClamp={t.subject ? 1 : 2}
          >
            {title}
          </RouterAnchor>
          {t.subject ? (
            <Text size="xs" c="dimmed" lineClamp={2}>
              {t.preview}
            </Text>
          ) : null}
          <Group gap={4}>
            <TopicBadges topics={t.topics} labels={topicLabels} />
            {t.dsr ? <DsrBadge dsr={t.dsr} /> : null}
          </Group>
        </Stack>
      </Table.Td>
      <Table.Td>
        <Stack gap={4} align="flex-start">
          <PersonBadge thread={t} />
          {t.personLinked ? <VerifiedBadge isVerified={t.verified} /> : null}
        </Stack>
      </Table.Td>
      <Table.Td>
        <SlaTimer sla={t.sla} size="sm" isCompact />
      </Table.Td>
      <Table.Td>
        <Stack gap={2}>
          <Text size="sm" style={{ whiteSpace: 'nowrap' }}>
            {formatDateTime(t.lastMessageAt)}
          </Text>
          <Text size="xs" c="dimmed">
            {t.messages} {t.messages === 1 ? 'message' : 'messages'}
            {t.assignee ? ` · ${t.assignee.name}` : ''}
          </Text>
        </Stack>
      </Table.Td>
    </Table.Tr>
  );
}

/** An email address that may wrap after its "@" in a narrow column rather than mid-word. */
function BreakableAddress({ address }: { address: string }) {
  const at = address.indexOf('@');
  if (at < 0) return address;
  return (
    <>
      {address.slice(0, at + 1)}
      <wbr />
      {address.slice(at + 1)}
    </>
  );
}
