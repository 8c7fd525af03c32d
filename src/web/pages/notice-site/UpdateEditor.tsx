import { Button, Group, Modal, Stack, Tabs, Text, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  type NoticeUpdate,
  type SiteLocale,
  siteLocales,
  type UpdateContent,
  type UpdateText,
} from '../../../shared/contracts/notice-site.ts';
import { api, request } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { localeLabels } from './site-labels.ts';
import { noticePath, useNoticeChange } from './site-queries.ts';

interface Props {
  incidentId: string;
  /** The update to edit; null writes a new one. */
  update: NoticeUpdate | null;
  onClose: () => void;
}

const isComplete = (text: UpdateText | undefined) => Boolean(text?.title.trim() && text.body.trim());

/** Writes an update in one or both languages. Editing an approved update needs a new approval. */
export function UpdateEditor({ incidentId, update, onClose }: Props) {
  const [content, setContent] = useState<UpdateContent>(
    update?.content ?? { locales: { en: { title: '', body: '' } } },
  );
  const present = siteLocales.filter((l) => content.locales[l]);
  const [locale, setLocale] = useState<SiteLocale>(present[0] ?? 'en');
  const shown = present.includes(locale) ? locale : (present[0] ?? 'en');
  const text = content.locales[shown];
  const save = useNoticeChange(
    incidentId,
    (body: UpdateContent) =>
      update
        ? request<NoticeUpdate>('PUT', `${noticePath(incidentId)}/updates/${update.id}`, {
            body: { content: body },
          })
        : api.post<NoticeUpdate>(`${noticePath(incidentId)}/updates`, { content: body }),
    onClose,
  );
  const isValid = present.length > 0 && present.every((l) => isComplete(content.locales[l]));

  function setText(next: Partial<UpdateText>) {
    if (!text) return;
    setContent({ locales: { ...content.locales, [shown]: { ...text, ...next } } });
  }
  function removeLocale(removed: SiteLocale) {
    const locales = { ...content.locales };
    delete locales[removed];
    setContent({ locales });
    setLocale(siteLocales.find((l) => locales[l]) ?? 'en');
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (isValid) save.mutate(content);
  }

  return (
    <Modal opened onClose={onClose} title={update ? 'Edit the update' : 'New update'} size="lg">
      <form onSubmit={submit}>
        <Stack gap="md">
          {update?.status === 'approved' ? (
            <Text size="sm" c="orange.8">
              This update is approved. Saving a change turns it back into a draft that must be approved again.
            </Text>
          ) : null}
          <Tabs value={shown} onChange={(value) => value && setLocale(value as SiteLocale)}>
            <Group justify="space-between" align="flex-end" gap="xs">
              <Tabs.List aria-label="Languages of the update">
                {present.map((l) => (
                  <Tabs.Tab key={l} value={l}>
                    {localeLabels[l]}
                  </Tabs.Tab>
                ))}
              </Tabs.List>
              <Group gap="xs">
                {siteLocales
                  .filter((l) => !content.locales[l])
                  .map((l) => (
                    <Button
                      key={l}
                      variant="light"
                      size="compact-sm"
                      onClick={() => {
                        setContent({ locales: { ...content.locales, [l]: { title: '', body: '' } } });
                        setLocale(l);
                      }}
                    >
                      Add {localeLabels[l]}
                    </Button>
                  ))}
                {present.length > 1 ? (
                  <Button variant="subtle" color="red" size="compact-sm" onClick={() => removeLocale(shown)}>
                    Remove {localeLabels[shown]}
                  </Button>
                ) : null}
              </Group>
            </Group>
            {text ? (
              <Tabs.Panel value={shown} pt="md">
                <Stack gap="sm">
                  <TextInput
                    label="Title"
                    value={text.title}
                    onChange={(e) => setText({ title: e.currentTarget.value })}
                    maxLength={200}
                    required
                    data-autofocus
                  />
                  <Textarea
                    label="Text"
                    description="Plain text: a blank line starts a paragraph, a line starting “- ” a bullet."
                    value={text.body}
                    onChange={(e) => setText({ body: e.currentTarget.value })}
                    autosize
                    minRows={6}
                    maxRows={16}
                    maxLength={20_000}
                    required
                  />
                </Stack>
              </Tabs.Panel>
            ) : null}
          </Tabs>
          {!isValid ? (
            <Text size="xs" c="dimmed">
              Each language needs a title and a text.
            </Text>
          ) : null}
          <ErrorAlert error={save.error} title="The update was not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending} disabled={!isValid}>
              {update ? 'Save' : 'Save as draft'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
