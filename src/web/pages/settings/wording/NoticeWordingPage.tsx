import {
  Alert,
  Button,
  Center,
  Group,
  Loader,
  NumberInput,
  Paper,
  Stack,
  Table,
  TagsInput,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  categoryPhrases,
  negationWords,
  type WordLocale,
  wordLocales,
} from '../../../../shared/consistency/category-words.ts';
import type { ConsistencySettings } from '../../../../shared/contracts/consistency.ts';
import { type Category, categories, categoryLabels } from '../../../../shared/taxonomy.ts';
import { api, request } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { useCan } from '../../../components/useCan.ts';

const wordingKey = ['settings', 'consistency'] as const;
const languages: Record<WordLocale, string> = { en: 'English', es: 'Spanish' };

/**
 * Settings → Notice wording: how the consistency check reads the company's notices. The share of people
 * above which an exposed category must be named, and the company's own words for categories ("Acme Pay
 * details") and for denials ("ruled out"), added to the built-in ones.
 */
export function NoticeWordingPage() {
  return (
    <RequirePermission permission="settings:read">
      <NoticeWording />
    </RequirePermission>
  );
}

function NoticeWording() {
  const settings = useQuery({
    queryKey: wordingKey,
    queryFn: ({ signal }) => api.get<ConsistencySettings>('/api/settings/consistency', undefined, signal),
  });
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Notice wording</Title>
        <Text c="dimmed" size="sm" maw={760}>
          Before legal approves a notice, Candor checks its texts against the data: a sentence that denies a
          category the import shows exposed (“card numbers were not exposed”), or an exposed category the text
          never names. Here the company says which share of people makes a category one to name, and adds the
          words it uses.
        </Text>
      </div>
      {settings.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the notice wording" />
        </Center>
      ) : settings.error ? (
        <ErrorAlert error={settings.error} title="The notice wording could not be loaded" />
      ) : (
        <WordingForm settings={settings.data} />
      )}
    </Stack>
  );
}

function WordingForm({ settings }: { settings: ConsistencySettings }) {
  const queryClient = useQueryClient();
  const canManage = useCan('settings:manage');
  const [form, setForm] = useState(settings);
  const [isSaved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: ConsistencySettings) =>
      request<ConsistencySettings>('PUT', '/api/settings/consistency', { body }),
    onSuccess: (saved) => {
      queryClient.setQueryData(wordingKey, saved);
      setForm(saved);
      setSaved(true);
    },
  });
  const isDirty = JSON.stringify(form) !== JSON.stringify(settings);
  const change = (next: ConsistencySettings) => {
    setSaved(false);
    setForm(next);
  };
  const setPhrases = (category: Category, locale: WordLocale, list: string[]) => {
    const current = form.phrases[category] ?? {};
    change({ ...form, phrases: { ...form.phrases, [category]: { ...current, [locale]: list } } });
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate(form);
  }

  return (
    <Paper withBorder p="lg" component="form" onSubmit={submit} aria-label="Notice wording">
      <Stack gap="lg">
        {!canManage ? (
          <Alert color="gray" variant="light">
            Your role can see these settings but not change them. Ask an admin to change them.
          </Alert>
        ) : null}
        <ErrorAlert error={save.error} title="The notice wording was not saved" />
        <NumberInput
          label="Name every category exposed for more than"
          description="A share of the incident’s people (of the variant’s people, for a campaign). 5% by default."
          suffix="%"
          min={0}
          max={100}
          step={1}
          decimalScale={1}
          value={Math.round(form.threshold * 1000) / 10}
          onChange={(value) => change({ ...form, threshold: Number(value || 0) / 100 })}
          disabled={!canManage}
          w={440}
        />
        <Stack gap={4}>
          <Title order={3} size="h5">
            Words that deny
          </Title>
          <Text size="xs" c="dimmed">
            Built in: {wordLocales.map((l) => `${languages[l]}: ${negationWords[l].join(', ')}`).join(' · ')}
          </Text>
          <Group grow align="flex-start">
            {wordLocales.map((locale) => (
              <TagsInput
                key={locale}
                label={`Also, in ${languages[locale]}`}
                placeholder={locale === 'en' ? 'e.g. ruled out' : 'p. ej. descartamos'}
                value={form.negations[locale] ?? []}
                onChange={(list) => change({ ...form, negations: { ...form.negations, [locale]: list } })}
                disabled={!canManage}
                maxTags={50}
              />
            ))}
          </Group>
        </Stack>
        <Stack gap={4}>
          <Title order={3} size="h5">
            Words that name each category
          </Title>
          <Text size="xs" c="dimmed">
            Matched without case or accents, singular or plural. Add the names your company uses (a product
            name for a card, say).
          </Text>
          <Table withTableBorder verticalSpacing="xs" layout="fixed">
            <Table.Thead>
              <Table.Tr>
                <Table.Th w="22%">Category</Table.Th>
                {wordLocales.map((locale) => (
                  <Table.Th key={locale}>{languages[locale]}</Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {categories.map((category) => (
                <Table.Tr key={category}>
                  <Table.Td>
                    <Text size="sm" fw={500}>
                      {categoryLabels[category]}
                    </Text>
                  </Table.Td>
                  {wordLocales.map((locale) => (
                    <Table.Td key={locale}>
                      <Text size="xs" c="dimmed" lineClamp={2}>
                        {categoryPhrases[category][locale].join(', ')}
                      </Text>
                      <TagsInput
                        aria-label={`More words for ${categoryLabels[category]} in ${languages[locale]}`}
                        size="xs"
                        value={form.phrases[category]?.[locale] ?? []}
                        onChange={(list) => setPhrases(category, locale, list)}
                        disabled={!canManage}
                        maxTags={50}
                      />
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Stack>
        {canManage ? (
          <Group justify="flex-end" gap="sm">
            {isSaved && !isDirty ? (
              <Text size="sm" c="green.8" role="status">
                Saved. Notices are checked with these words from now on.
              </Text>
            ) : null}
            {isDirty ? (
              <Button variant="default" onClick={() => change(settings)}>
                Undo changes
              </Button>
            ) : null}
            <Button type="submit" loading={save.isPending} disabled={!isDirty}>
              Save
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
