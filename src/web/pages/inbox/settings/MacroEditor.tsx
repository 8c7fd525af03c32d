import { Button, Group, Modal, Select, Stack, Textarea, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { Macro, MacroInput, MacroLocale } from '../../../../shared/contracts/inbox.ts';
import { api } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { fieldErrorsOf } from '../../notice-site/field-errors.ts';
import { macroLocaleLabels } from '../inbox-labels.ts';
import { inboxKeys, inboxPath, putJson } from '../inbox-queries.ts';
import { MacroHelp } from './MacroHelp.tsx';
import { useSettingsChange } from './settings-queries.ts';

const localeOptions = (Object.keys(macroLocaleLabels) as MacroLocale[]).map((locale) => ({
  value: locale,
  label: macroLocaleLabels[locale],
}));

/** Writes a new macro or changes one. A template the server cannot parse comes back with its line. */
export function MacroEditor({ macro, onClose }: { macro: Macro | null; onClose: () => void }) {
  const [draft, setDraft] = useState<MacroInput>({
    name: macro?.name ?? '',
    locale: macro?.locale ?? 'en',
    subject: macro?.subject ?? '',
    body: macro?.body ?? '',
  });
  const save = useSettingsChange(
    inboxKeys.macros,
    (input: MacroInput) =>
      macro
        ? putJson<Macro>(`${inboxPath}/macros/${macro.id}`, input)
        : api.post<Macro>(`${inboxPath}/macros`, input),
    onClose,
  );
  const errorAt = fieldErrorsOf(save.error);
  const set = (next: Partial<MacroInput>) => setDraft((current) => ({ ...current, ...next }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({
      name: draft.name.trim(),
      locale: draft.locale,
      subject: draft.subject?.trim() ? draft.subject.trim() : null,
      body: draft.body,
    });
  }

  return (
    <Modal opened onClose={onClose} title={macro ? `Edit “${macro.name}”` : 'New macro'} size="xl">
      <form onSubmit={submit}>
        <Stack gap="md">
          <Group grow align="flex-start">
            <TextInput
              label="Name"
              description="What agents pick from the list."
              value={draft.name}
              onChange={(event) => set({ name: event.currentTarget.value })}
              error={errorAt('name')}
              maxLength={100}
              required
              data-autofocus
            />
            <Select
              label="Language"
              data={localeOptions}
              value={draft.locale}
              onChange={(value) => value && set({ locale: value as MacroLocale })}
              allowDeselect={false}
              error={errorAt('locale')}
            />
          </Group>
          <TextInput
            label="Subject"
            description="For email replies; optional. Liquid works here too."
            value={draft.subject ?? ''}
            onChange={(event) => set({ subject: event.currentTarget.value })}
            error={errorAt('subject')}
            maxLength={300}
          />
          <Textarea
            label="Body"
            value={draft.body}
            onChange={(event) => set({ body: event.currentTarget.value })}
            error={errorAt('body')}
            autosize
            minRows={8}
            maxRows={24}
            maxLength={20_000}
            required
            styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13 } }}
          />
          <MacroHelp />
          <ErrorAlert error={save.error} title="The macro was not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {macro ? 'Save macro' : 'Create macro'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
