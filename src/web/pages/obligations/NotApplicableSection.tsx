import { Accordion, Badge, Group, List, Stack, Text, Title } from '@mantine/core';
import { notApplicableReasons } from '../../../shared/contracts/obligations.ts';
import type { NotApplicable } from '../../api/types.ts';
import { confidenceColors, confidenceLabels, kindLabels, reasonCodeLabels } from './obligation-labels.ts';

/**
 * Regimes and notices that do not apply, grouped by why. Kept visible (collapsed) because "why not" is
 * half of the legal analysis: counsel checks these too.
 */
export function NotApplicableSection({ items }: { items: NotApplicable[] }) {
  const groups = notApplicableReasons
    .map((code) => ({ code, items: items.filter((i) => i.reasonCode === code) }))
    .filter((g) => g.items.length > 0);

  return (
    <Stack gap="sm" component="section" aria-labelledby="not-applicable-title">
      <div>
        <Title order={2} size="h3" id="not-applicable-title">
          Regimes that do not apply ({items.length})
        </Title>
        <Text size="sm" c="dimmed">
          Laws Candor checked and found not to require notice for this incident, with the reason. Check them
          with counsel as you would the obligations above.
        </Text>
      </div>
      {groups.length === 0 ? (
        <Text size="sm" c="dimmed">
          None: every regime checked applies.
        </Text>
      ) : (
        <Accordion multiple variant="separated" chevronPosition="left">
          {groups.map((group) => (
            <Accordion.Item key={group.code} value={group.code}>
              <Accordion.Control>
                <Group gap="xs">
                  <Text fw={500}>{reasonCodeLabels[group.code]}</Text>
                  <Badge variant="light" color="gray">
                    {group.items.length}
                  </Badge>
                </Group>
              </Accordion.Control>
              <Accordion.Panel>
                {group.code === 'no_residents' ? (
                  <NoResidents items={group.items} />
                ) : (
                  <List spacing="sm" size="sm">
                    {group.items.map((item) => (
                      <List.Item key={item.key}>
                        <Text size="sm" fw={600} span>
                          {item.regimeName}
                          {item.kind ? `: ${kindLabels[item.kind]}` : ''}
                        </Text>{' '}
                        <Badge size="xs" variant="dot" color={confidenceColors[item.confidence]} tt="none">
                          {confidenceLabels[item.confidence]}
                        </Badge>
                        <Text size="sm">{item.reason}</Text>
                        <Text size="xs" c="dimmed">
                          {item.citation}
                        </Text>
                      </List.Item>
                    ))}
                  </List>
                )}
              </Accordion.Panel>
            </Accordion.Item>
          ))}
        </Accordion>
      )}
    </Stack>
  );
}

/** The reason is the same for each ("nobody affected lives there"): the names suffice. */
function NoResidents({ items }: { items: NotApplicable[] }) {
  return (
    <Stack gap="xs">
      <Text size="sm" c="dimmed">
        No affected person has an address under these laws.
      </Text>
      <Group gap={6}>
        {[...items]
          .sort((a, b) => a.regimeName.localeCompare(b.regimeName))
          .map((item) => (
            <Badge key={item.key} variant="outline" color="gray" tt="none" title={item.citation}>
              {item.regimeName}
            </Badge>
          ))}
      </Group>
    </Stack>
  );
}
