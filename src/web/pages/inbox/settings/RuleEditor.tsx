import {
  Button,
  Group,
  Modal,
  NumberInput,
  Select,
  Stack,
  Switch,
  TagsInput,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import type { DsrKind, TopicRule, TopicRuleInput } from '../../../../shared/contracts/inbox.ts';
import { api } from '../../../api/client.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { fieldErrorsOf } from '../../notice-site/field-errors.ts';
import { dsrKindLabels } from '../inbox-labels.ts';
import { inboxKeys, inboxPath, putJson } from '../inbox-queries.ts';
import { useSettingsChange } from './settings-queries.ts';

const dsrOptions = [
  { value: '', label: 'Not a data request' },
  ...(Object.keys(dsrKindLabels) as DsrKind[]).map((kind) => ({ value: kind, label: dsrKindLabels[kind] })),
];

export function ruleInputOf(rule: TopicRule): TopicRuleInput {
  return {
    topic: rule.topic,
    label: rule.label,
    keywords: rule.keywords,
    weight: rule.weight,
    dsrKind: rule.dsrKind,
    enabled: rule.enabled,
  };
}

const blank: TopicRuleInput = {
  topic: '',
  label: '',
  keywords: [],
  weight: 10,
  dsrKind: null,
  enabled: true,
};

/** "Delete my data" → "delete_my_data": a suggested key while the label is typed. */
function topicKeyOf(label: string): string {
  return label
    .toLowerCase()
    .normalize('NFKD')
    .replace(/[\u0300-\u036f]/g, '')
    .replace(/[^a-z0-9]+/g, '_')
    .replace(/^_+|_+$/g, '')
    .slice(0, 40);
}

export function RuleEditor({ rule, onClose }: { rule: TopicRule | null; onClose: () => void }) {
  const [draft, setDraft] = useState<TopicRuleInput>(rule ? ruleInputOf(rule) : blank);
  const [isKeyEdited, setKeyEdited] = useState(rule !== null);
  const save = useSettingsChange(
    inboxKeys.rules,
    (input: TopicRuleInput) =>
      rule
        ? putJson<TopicRule>(`${inboxPath}/rules/${rule.id}`, input)
        : api.post<TopicRule>(`${inboxPath}/rules`, input),
    onClose,
  );
  const errorAt = fieldErrorsOf(save.error);
  const set = (next: Partial<TopicRuleInput>) => setDraft((current) => ({ ...current, ...next }));

  function submit(event: FormEvent) {
    event.preventDefault();
    save.mutate({ ...draft, topic: draft.topic.trim(), label: draft.label.trim() });
  }

  return (
    <Modal opened onClose={onClose} title={rule ? `Edit “${rule.label}”` : 'New topic rule'} size="lg">
      <form onSubmit={submit}>
        <Stack gap="md">
          <Group grow align="flex-start">
            <TextInput
              label="Label"
              description="What agents see on the badge."
              value={draft.label}
              onChange={(event) => {
                const label = event.currentTarget.value;
                set(isKeyEdited ? { label } : { label, topic: topicKeyOf(label) });
              }}
              error={errorAt('label')}
              maxLength={80}
              required
              data-autofocus
            />
            <TextInput
              label="Topic key"
              description="Lower-case letters, digits and _; used in filters and the CLI."
              value={draft.topic}
              onChange={(event) => {
                setKeyEdited(true);
                set({ topic: event.currentTarget.value.toLowerCase().replace(/[^a-z0-9_]/g, '_') });
              }}
              error={errorAt('topic')}
              maxLength={40}
              required
              styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
            />
          </Group>
          <TagsInput
            label="Keywords"
            description="Words or phrases; a message containing any of them gets the topic. Press Enter after each."
            value={draft.keywords}
            onChange={(keywords) => set({ keywords })}
            error={errorAt('keywords', true)}
            clearable
            splitChars={[',']}
            maxTags={100}
          />
          <Group grow align="flex-start">
            <NumberInput
              label="Weight"
              description="How much the topic raises priority (0–60)."
              value={draft.weight}
              onChange={(value) => set({ weight: typeof value === 'number' ? value : 0 })}
              error={errorAt('weight')}
              min={0}
              max={60}
              clampBehavior="strict"
              allowDecimal={false}
            />
            <Select
              label="Data request"
              description="Flags the thread with its legal deadline."
              data={dsrOptions}
              value={draft.dsrKind ?? ''}
              onChange={(value) => set({ dsrKind: (value || null) as DsrKind | null })}
              allowDeselect={false}
              error={errorAt('dsrKind')}
            />
          </Group>
          <Switch
            label="Enabled"
            checked={draft.enabled}
            onChange={(event) => set({ enabled: event.currentTarget.checked })}
          />
          <ErrorAlert error={save.error} title="The rule was not saved" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              {rule ? 'Save rule' : 'Create rule'}
            </Button>
          </Group>
        </Stack>
      </form>
    </Modal>
  );
}
