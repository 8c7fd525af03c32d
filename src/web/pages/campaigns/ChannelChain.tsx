import { ActionIcon, Badge, Button, Group, Input, Paper, Stack, Text } from '@mantine/core';
import { useId } from 'react';
import { channels as allChannels, type Channel } from '../../../shared/contracts/campaigns.ts';
import { channelLabels } from './campaign-labels.ts';

const channelHints: Record<Channel, string> = {
  email: 'To people with an email address that has not bounced.',
  sms: 'To people with a mobile number.',
  letter: 'Printed and posted to people with a postal address.',
};

/**
 * The fallback chain: each person gets the first channel in this order that can reach them, and the next one
 * when it fails. Reordering is by buttons (not drag and drop) so it works from the keyboard and a reader.
 */
export function ChannelChain({
  value,
  onChange,
  error,
  isLocked = false,
}: {
  value: Channel[];
  onChange: (next: Channel[]) => void;
  error?: string | undefined;
  /** A started campaign keeps its channels: its deliveries name them. */
  isLocked?: boolean;
}) {
  const labelId = useId();
  const move = (index: number, by: -1 | 1) => {
    const next = [...value];
    const [item] = next.splice(index, 1);
    next.splice(index + by, 0, item!);
    onChange(next);
  };
  const unused = allChannels.filter((c) => !value.includes(c));
  return (
    <Stack gap="xs" role="group" aria-labelledby={labelId}>
      <div>
        <Text id={labelId} size="sm" fw={500}>
          Channels, in fallback order
        </Text>
        <Text size="xs" c="dimmed">
          Each person gets the first channel that reaches them; if it fails (a bounce, an undeliverable
          number), the next one is tried.
        </Text>
      </div>
      <Stack gap={6} component="ol" m={0} p={0} style={{ listStyle: 'none' }}>
        {value.map((channel, index) => (
          <Paper key={channel} withBorder p="xs" component="li">
            <Group justify="space-between" wrap="nowrap" gap="sm">
              <Group gap="sm" wrap="nowrap" style={{ minWidth: 0 }}>
                <Badge variant="filled" circle aria-hidden="true">
                  {index + 1}
                </Badge>
                <div style={{ minWidth: 0 }}>
                  <Text size="sm" fw={600}>
                    {index === 0 ? '' : 'then '}
                    {channelLabels[channel]}
                  </Text>
                  <Text size="xs" c="dimmed">
                    {channelHints[channel]}
                  </Text>
                </div>
              </Group>
              <Group gap={4} wrap="nowrap" display={isLocked ? 'none' : undefined}>
                <ActionIcon
                  variant="default"
                  aria-label={`Move ${channelLabels[channel]} up`}
                  disabled={index === 0}
                  onClick={() => move(index, -1)}
                >
                  <span aria-hidden="true">↑</span>
                </ActionIcon>
                <ActionIcon
                  variant="default"
                  aria-label={`Move ${channelLabels[channel]} down`}
                  disabled={index === value.length - 1}
                  onClick={() => move(index, 1)}
                >
                  <span aria-hidden="true">↓</span>
                </ActionIcon>
                <Button
                  variant="subtle"
                  color="red"
                  size="compact-sm"
                  aria-label={`Remove ${channelLabels[channel]}`}
                  disabled={value.length === 1}
                  onClick={() => onChange(value.filter((c) => c !== channel))}
                >
                  Remove
                </Button>
              </Group>
            </Group>
          </Paper>
        ))}
      </Stack>
      {isLocked ? (
        <Text size="xs" c="dimmed">
          The campaign has started, so its channels stay as they are. For other channels, cancel it and create
          a new campaign.
        </Text>
      ) : null}
      {unused.length > 0 && !isLocked ? (
        <Group gap="xs">
          {unused.map((channel) => (
            <Button
              key={channel}
              variant="light"
              size="compact-sm"
              onClick={() => onChange([...value, channel])}
            >
              Add {channelLabels[channel]}
            </Button>
          ))}
        </Group>
      ) : null}
      {error ? <Input.Error>{error}</Input.Error> : null}
    </Stack>
  );
}
