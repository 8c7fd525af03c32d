import { ActionIcon, Button, Group, Paper, Stack, Text, Textarea, TextInput } from '@mantine/core';
import type { FaqEntry } from '../../../shared/contracts/notice-site.ts';
import type { FieldErrorAt } from './field-errors.ts';

interface Props {
  /** The language the questions are in, for labels read aloud. */
  language: string;
  faq: FaqEntry[];
  onChange: (faq: FaqEntry[]) => void;
  isReadOnly: boolean;
  /** Errors by the path inside the list (`0.question`). */
  errorAt: FieldErrorAt;
}

function move<T>(list: T[], index: number, by: -1 | 1): T[] {
  const next = [...list];
  const [item] = next.splice(index, 1);
  if (item !== undefined) next.splice(index + by, 0, item);
  return next;
}

/** Questions and answers in page order: add, remove and reorder. */
export function FaqEditor({ language, faq, onChange, isReadOnly, errorAt }: Props) {
  const set = (index: number, entry: Partial<FaqEntry>) =>
    onChange(faq.map((e, i) => (i === index ? { ...e, ...entry } : e)));

  return (
    <Stack gap="xs" component="fieldset" m={0} p={0} style={{ border: 0 }}>
      <Text component="legend" fw={600} size="sm" p={0}>
        Questions and answers ({faq.length})
      </Text>
      <Text size="xs" c="dimmed">
        Shown under the notice in this order. Answer what the support team is asked most.
      </Text>
      {faq.map((entry, index) => {
        const label = `question ${index + 1} (${language})`;
        return (
          // Entries have no identity of their own: their place is what the page shows, and every field
          // is controlled, so a reorder moves the values with it.
          // biome-ignore lint/suspicious/noArrayIndexKey: position is the identity of an FAQ entry
          <Paper key={index} withBorder p="sm" role="group" aria-label={`FAQ ${label}`}>
            <Stack gap="xs">
              <Group justify="space-between" align="flex-end" wrap="nowrap" gap="xs">
                <TextInput
                  label={`Question ${index + 1}`}
                  value={entry.question}
                  onChange={(e) => set(index, { question: e.currentTarget.value })}
                  maxLength={500}
                  readOnly={isReadOnly}
                  error={errorAt(`${index}.question`)}
                  style={{ flex: 1 }}
                />
                {isReadOnly ? null : (
                  <Group gap={4} wrap="nowrap">
                    <ActionIcon
                      variant="default"
                      size="lg"
                      aria-label={`Move ${label} up`}
                      disabled={index === 0}
                      onClick={() => onChange(move(faq, index, -1))}
                    >
                      <span aria-hidden="true">↑</span>
                    </ActionIcon>
                    <ActionIcon
                      variant="default"
                      size="lg"
                      aria-label={`Move ${label} down`}
                      disabled={index === faq.length - 1}
                      onClick={() => onChange(move(faq, index, 1))}
                    >
                      <span aria-hidden="true">↓</span>
                    </ActionIcon>
                    <Button
                      variant="subtle"
                      color="red"
                      size="compact-sm"
                      aria-label={`Remove ${label}`}
                      onClick={() => onChange(faq.filter((_, i) => i !== index))}
                    >
                      Remove
                    </Button>
                  </Group>
                )}
              </Group>
              <Textarea
                label="Answer"
                value={entry.answer}
                onChange={(e) => set(index, { answer: e.currentTarget.value })}
                autosize
                minRows={2}
                maxRows={8}
                maxLength={5000}
                readOnly={isReadOnly}
                error={errorAt(`${index}.answer`)}
              />
            </Stack>
          </Paper>
        );
      })}
      {isReadOnly ? null : (
        <Button
          variant="light"
          size="compact-sm"
          style={{ alignSelf: 'flex-start' }}
          onClick={() => onChange([...faq, { question: '', answer: '' }])}
          disabled={faq.length >= 50}
        >
          Add a question
        </Button>
      )}
    </Stack>
  );
}
