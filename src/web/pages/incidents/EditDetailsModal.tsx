import {
  Button,
  Checkbox,
  Fieldset,
  Group,
  Modal,
  MultiSelect,
  Radio,
  Select,
  SimpleGrid,
  Stack,
  Switch,
  TagsInput,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  type EntityKind,
  entityKinds,
  incidentCauses,
  incidentSeverities,
  type PublicTitle,
} from '../../../shared/contracts/incidents.ts';
import { type Category, categories, categoryLabels } from '../../../shared/taxonomy.ts';
import { api } from '../../api/client.ts';
import type { IncidentDetail, UpdateIncidentRequest } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { causeLabels, entityLabels, severityLabels } from './incident-labels.ts';
import { fieldError, localInputValue, toInstant, useIncidentChange } from './incident-queries.ts';
import { cleanPublicTitle, PublicTitleFields } from './PublicTitleFields.tsx';

type Tri = 'default' | 'yes' | 'no';
const triOf = (value: boolean | null): Tri => (value === null ? 'default' : value ? 'yes' : 'no');
const boolOf = (value: Tri): boolean | null => (value === 'default' ? null : value === 'yes');

function formOf(incident: IncidentDetail) {
  return {
    title: incident.title,
    publicTitle: incident.publicTitle as PublicTitle,
    description: incident.description,
    cause: incident.cause as string | null,
    severity: incident.severity as string,
    systemsAffected: incident.systemsAffected,
    categoriesEntered: incident.categoriesEntered as string[],
    encryptedWithSafeKey: incident.encryptedWithSafeKey,
    lawEnforcementDelay: incident.lawEnforcementDelay,
    lawEnforcementDelayUntil: localInputValue(incident.lawEnforcementDelayUntil),
    entity: Object.fromEntries(entityKinds.map((k) => [k, triOf(incident.entity[k])])) as Record<
      EntityKind,
      Tri
    >,
  };
}
type Form = ReturnType<typeof formOf>;

const sameList = (a: readonly string[], b: readonly string[]) =>
  a.length === b.length && a.every((value, i) => value === b[i]);

/** Only the fields that changed, so the timeline says exactly what was edited. */
function changes(incident: IncidentDetail, form: Form): UpdateIncidentRequest {
  const body: UpdateIncidentRequest = {};
  const initial = formOf(incident);
  if (form.title.trim() !== initial.title) body.title = form.title.trim();
  const publicTitle = cleanPublicTitle(form.publicTitle);
  if (JSON.stringify(publicTitle) !== JSON.stringify(cleanPublicTitle(initial.publicTitle))) {
    body.publicTitle = publicTitle;
  }
  if (form.description.trim() !== initial.description) body.description = form.description.trim();
  if (form.cause !== initial.cause) body.cause = form.cause as UpdateIncidentRequest['cause'];
  if (form.severity !== initial.severity) body.severity = form.severity as UpdateIncidentRequest['severity'];
  if (!sameList(form.systemsAffected, initial.systemsAffected)) body.systemsAffected = form.systemsAffected;
  if (!sameList([...form.categoriesEntered].sort(), [...initial.categoriesEntered].sort())) {
    body.categoriesEntered = form.categoriesEntered as Category[];
  }
  if (form.encryptedWithSafeKey !== initial.encryptedWithSafeKey) {
    body.encryptedWithSafeKey = form.encryptedWithSafeKey;
  }
  if (form.lawEnforcementDelay !== initial.lawEnforcementDelay) {
    body.lawEnforcementDelay = form.lawEnforcementDelay;
  }
  // Switching the delay off clears its end on the server; an end is only sent with the delay on.
  if (form.lawEnforcementDelay && form.lawEnforcementDelayUntil !== initial.lawEnforcementDelayUntil) {
    body.lawEnforcementDelayUntil = toInstant(form.lawEnforcementDelayUntil);
  }
  const entity: NonNullable<UpdateIncidentRequest['entity']> = {};
  for (const kind of entityKinds) {
    if (form.entity[kind] !== initial.entity[kind]) entity[kind] = boolOf(form.entity[kind]);
  }
  if (Object.keys(entity).length > 0) body.entity = entity;
  return body;
}

function defaultLabel(incident: IncidentDetail, kind: EntityKind): string {
  return `Company default (now ${incident.entityDefault[kind] ? 'yes' : 'no'})`;
}

export function EditDetailsModal({
  incident,
  opened,
  onClose,
}: {
  incident: IncidentDetail;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Edit incident details" size="xl">
      {/* Mounted only while open, so the form starts from the incident as it is now. */}
      {opened ? <DetailsForm incident={incident} onClose={onClose} /> : null}
    </Modal>
  );
}

function DetailsForm({ incident, onClose }: { incident: IncidentDetail; onClose: () => void }) {
  const [form, setForm] = useState(() => formOf(incident));
  const [isUnchanged, setUnchanged] = useState(false);
  const save = useIncidentChange(
    incident.id,
    (body: UpdateIncidentRequest) => api.patch<IncidentDetail>(`/api/incidents/${incident.id}`, body),
    onClose,
  );
  const set = <K extends keyof Form>(key: K, value: Form[K]) => {
    setUnchanged(false);
    setForm((current) => ({ ...current, [key]: value }));
  };

  function submit(event: FormEvent) {
    event.preventDefault();
    const body = changes(incident, form);
    if (Object.keys(body).length === 0) {
      setUnchanged(true);
      return;
    }
    save.mutate(body);
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="md">
        <ErrorAlert error={save.error} title="The details were not saved" />
        {isUnchanged ? (
          <Text size="sm" c="orange.8" role="status">
            Nothing changed yet: edit a field, or cancel.
          </Text>
        ) : null}
        <TextInput
          label="Title"
          value={form.title}
          onChange={(e) => set('title', e.currentTarget.value)}
          maxLength={200}
          required
          data-autofocus
          description="For the team only."
          error={fieldError(save.error, 'title')}
        />
        <PublicTitleFields
          value={form.publicTitle}
          onChange={(value) => set('publicTitle', value)}
          error={fieldError(save.error, 'publicTitle')}
        />
        <Textarea
          label="Description"
          description="What happened, as far as you know. No personal data here."
          value={form.description}
          onChange={(e) => set('description', e.currentTarget.value)}
          maxLength={10_000}
          autosize
          minRows={3}
          maxRows={8}
          error={fieldError(save.error, 'description')}
        />
        <SimpleGrid cols={{ base: 1, sm: 2 }}>
          <Select
            label="Severity"
            data={incidentSeverities.map((s) => ({ value: s, label: severityLabels[s] }))}
            value={form.severity}
            onChange={(value) => value && set('severity', value)}
            allowDeselect={false}
          />
          <Select
            label="Cause"
            placeholder="Not known yet"
            data={incidentCauses.map((c) => ({ value: c, label: causeLabels[c] }))}
            value={form.cause}
            onChange={(value) => set('cause', value)}
            clearable
          />
        </SimpleGrid>
        <TagsInput
          label="Systems affected"
          description="Press Enter after each system, e.g. “CRM backup bucket”."
          value={form.systemsAffected}
          onChange={(value) => set('systemsAffected', value)}
          maxTags={100}
          error={fieldError(save.error, 'systemsAffected')}
        />
        <MultiSelect
          label="Data exposed (as entered)"
          description={
            incident.categoriesSource === 'people'
              ? 'Imported people’s records now decide what leaked; this entry is kept for reference.'
              : 'Used for the obligations until people are imported: their records then decide.'
          }
          data={categories.map((c) => ({ value: c, label: categoryLabels[c] }))}
          value={form.categoriesEntered}
          onChange={(value) => set('categoriesEntered', value)}
          searchable
          hidePickedOptions
        />
        <Checkbox
          label="The data was encrypted, and the key was not exposed"
          description="Many laws then exempt the breach from notice (the encryption safe harbour)."
          checked={form.encryptedWithSafeKey}
          onChange={(e) => set('encryptedWithSafeKey', e.currentTarget.checked)}
        />
        <Fieldset legend="Law-enforcement delay" variant="filled">
          <Stack gap="sm">
            <Switch
              label="Law enforcement asked us to delay notice"
              description="Deadlines that allow a delay are counted from its end."
              checked={form.lawEnforcementDelay}
              onChange={(e) => set('lawEnforcementDelay', e.currentTarget.checked)}
            />
            <TextInput
              label="Delay until (optional)"
              type="datetime-local"
              value={form.lawEnforcementDelayUntil}
              onChange={(e) => set('lawEnforcementDelayUntil', e.currentTarget.value)}
              disabled={!form.lawEnforcementDelay}
              maw={280}
              error={fieldError(save.error, 'lawEnforcementDelayUntil')}
            />
          </Stack>
        </Fieldset>
        <Fieldset legend="How the company is regulated, for this incident" variant="filled">
          <Stack gap="md">
            <Text size="xs" c="dimmed">
              Leave “Company default” unless this incident is different (e.g. a subsidiary that is a HIPAA
              business associate). The defaults are in Settings → Company.
            </Text>
            {entityKinds.map((kind) => (
              <Radio.Group
                key={kind}
                label={entityLabels[kind]}
                value={form.entity[kind]}
                onChange={(value) => set('entity', { ...form.entity, [kind]: value as Tri })}
              >
                <Group gap="lg" mt={4}>
                  <Radio value="default" label={defaultLabel(incident, kind)} />
                  <Radio value="yes" label="Yes" />
                  <Radio value="no" label="No" />
                </Group>
              </Radio.Group>
            ))}
          </Stack>
        </Fieldset>
        <Group justify="flex-end">
          <Button variant="default" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={!form.title.trim()}>
            Save details
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
