import { Badge, Group, List, Text } from '@mantine/core';
import type { ConsistencyWarningDto } from '../../shared/contracts/consistency.ts';

const kindLabels: Record<ConsistencyWarningDto['kind'], string> = {
  denies_exposed: 'Denies what was exposed',
  not_mentioned: 'Never mentioned',
};

/** The consistency check's findings, each with the sentence it names and the numbers behind it. */
export function ConsistencyList({ warnings }: { warnings: readonly ConsistencyWarningDto[] }) {
  return (
    <List size="sm" spacing={6} listStyleType="none" ml={0} pl={0}>
      {warnings.map((w) => (
        <List.Item key={`${w.locale}:${w.kind}:${w.category}:${w.where}:${w.sentence}`}>
          <Group gap={6} wrap="nowrap" align="flex-start">
            <Badge
              size="sm"
              variant="light"
              color={w.kind === 'denies_exposed' ? 'red' : 'orange'}
              tt="none"
              style={{ flexShrink: 0 }}
            >
              {kindLabels[w.kind]}
            </Badge>
            <Text size="sm">{w.message}</Text>
          </Group>
        </List.Item>
      ))}
    </List>
  );
}
