import { Badge, Chip, Group, Select, Stack, Switch, Tabs, Text, TextInput } from '@mantine/core';
import { useDebouncedCallback } from '@mantine/hooks';
import { useState } from 'react';
import type {
  InboxChannel,
  ThreadCounts,
  ThreadStatus,
  TopicCount,
} from '../../../shared/contracts/inbox.ts';
import { inboxChannels, threadStatuses } from '../../../shared/contracts/inbox.ts';
import { formatCount } from '../../components/format.ts';
import type { InboxFilters } from './inbox-filters.ts';
import { inboxChannelLabels, threadStatusLabels } from './inbox-labels.ts';

interface Props {
  filters: InboxFilters;
  counts: ThreadCounts | undefined;
  topics: TopicCount[];
  onChange: (filters: InboxFilters) => void;
}

const channelOptions = [
  { value: '', label: 'All channels' },
  ...inboxChannels.map((channel) => ({ value: channel, label: inboxChannelLabels[channel] })),
];

const assigneeOptions = [
  { value: '', label: 'Anyone' },
  { value: 'me', label: 'Me' },
  { value: 'none', label: 'Nobody' },
];

/** Narrows the list: status tabs with their counts, topic chips, and the finer filters below. */
export function InboxFilterBar({ filters, counts, topics, onChange }: Props) {
  const set = (next: Partial<InboxFilters>) => onChange({ ...filters, ...next });
  return (
    <Stack gap="sm">
      <Tabs value={filters.status} onChange={(value) => value && set({ status: value as ThreadStatus })}>
        <Tabs.List aria-label="Thread status">
          {threadStatuses.map((status) => (
            <Tabs.Tab
              key={status}
              value={status}
              rightSection={
                counts ? (
                  <Badge
                    size="sm"
                    variant="light"
                    color="gray"
                    style={{ fontVariantNumeric: 'tabular-nums' }}
                  >
                    {formatCount(counts[status])}
                  </Badge>
                ) : null
              }
            >
              {threadStatusLabels[status]}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <TopicChips topics={topics} value={filters.topic} onChange={(topic) => set({ topic })} />
      <Group gap="sm" align="flex-end" wrap="wrap">
        <SearchInput
          value={filters.search ?? ''}
          onChange={(search) => set({ search: search || undefined })}
        />
        <Select
          label="Channel"
          data={channelOptions}
          value={filters.channel ?? ''}
          onChange={(value) => set({ channel: (value || undefined) as InboxChannel | undefined })}
          allowDeselect={false}
          w={160}
        />
        <Select
          label="Assigned to"
          data={assigneeOptions}
          value={filters.assignee ?? ''}
          onChange={(value) => set({ assignee: (value || undefined) as InboxFilters['assignee'] })}
          allowDeselect={false}
          w={140}
        />
        <Stack gap={6} pb={4}>
          <Switch
            label={`SLA breached (${formatCount(counts?.breached)})`}
            checked={filters.isBreached ?? false}
            onChange={(event) => set({ isBreached: event.currentTarget.checked || undefined })}
            color="red"
          />
          <Switch
            label={`Data requests (${formatCount(counts?.dsrOpen)})`}
            checked={filters.isDataRequest ?? false}
            onChange={(event) => set({ isDataRequest: event.currentTarget.checked || undefined })}
          />
        </Stack>
      </Group>
    </Stack>
  );
}

function TopicChips({
  topics,
  value,
  onChange,
}: {
  topics: TopicCount[];
  value: string | undefined;
  onChange: (topic: string | undefined) => void;
}) {
  if (topics.length === 0) return null;
  return (
    <Group gap="xs" role="group" aria-labelledby="inbox-topics-label">
      <Text size="sm" c="dimmed" id="inbox-topics-label">
        Topics
      </Text>
      {topics.map((topic) => (
        <Chip
          key={topic.topic}
          size="sm"
          variant="light"
          checked={value === topic.topic}
          onChange={(isChecked) => onChange(isChecked ? topic.topic : undefined)}
        >
          {topic.label} · {formatCount(topic.open)} open
        </Chip>
      ))}
    </Group>
  );
}

/** Searches as the agent types, after a pause, so each keystroke does not become a request. */
function SearchInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [draft, setDraft] = useState(value);
  const [applied, setApplied] = useState(value);
  // The address changed elsewhere (back button, a cleared filter): show what it says.
  if (value !== applied) {
    setApplied(value);
    setDraft(value);
  }
  const apply = useDebouncedCallback((next: string) => {
    setApplied(next.trim());
    onChange(next.trim());
  }, 400);
  return (
    <TextInput
      label="Search"
      type="search"
      placeholder="Subject, message or sender"
      value={draft}
      onChange={(event) => {
        setDraft(event.currentTarget.value);
        apply(event.currentTarget.value);
      }}
      onKeyDown={(event) => {
        if (event.key === 'Enter') apply.flush();
      }}
      maxLength={200}
      w={280}
    />
  );
}
