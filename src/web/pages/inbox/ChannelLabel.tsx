import { Group, Text } from '@mantine/core';
import type { InboxChannel } from '../../../shared/contracts/inbox.ts';
import { inboxChannelLabels } from './inbox-labels.ts';

/** Outline glyphs on a 16-unit grid: a page (web form), an envelope (email), a speech bubble (SMS). */
const glyphs: Record<InboxChannel, string> = {
  web: 'M3 2.5h7l3 3v8H3zM10 2.5v3h3M5.5 8.5h5M5.5 11h5',
  email: 'M2 4h12v8H2zM2 4l6 5 6-5',
  sms: 'M2.5 3h11v7.5H7L4 13v-2.5H2.5z',
};

export function ChannelIcon({ channel, size = 16 }: { channel: InboxChannel; size?: number }) {
  return (
    <svg
      width={size}
      height={size}
      viewBox="0 0 16 16"
      fill="none"
      stroke="currentColor"
      strokeWidth={1.3}
      strokeLinejoin="round"
      strokeLinecap="round"
      aria-hidden="true"
      focusable="false"
    >
      <path d={glyphs[channel]} />
    </svg>
  );
}

/** The channel as a glyph and its name (the name is what a screen reader reads). */
export function ChannelLabel({ channel }: { channel: InboxChannel }) {
  return (
    <Group gap={4} wrap="nowrap" c="dimmed">
      <ChannelIcon channel={channel} />
      <Text span size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
        {inboxChannelLabels[channel]}
      </Text>
    </Group>
  );
}
