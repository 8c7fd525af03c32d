import {
  Alert,
  Button,
  Group,
  List,
  Modal,
  SimpleGrid,
  Stack,
  Text,
  Textarea,
  TextInput,
} from '@mantine/core';
import { type FormEvent, useState } from 'react';
import {
  type KeyTime,
  keyTimeLabels,
  keyTimeProblems,
  keyTimes,
} from '../../../shared/contracts/incidents.ts';
import { api } from '../../api/client.ts';
import type { IncidentDetail, SetKeyTimesRequest } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { keyTimeHints } from './incident-labels.ts';
import { fieldError, localInputValue, toInstant, useIncidentChange } from './incident-queries.ts';

/** closedAt is set by the lifecycle (moving to Closed), not edited here. */
const editable = keyTimes.filter((k): k is Exclude<KeyTime, 'closedAt'> => k !== 'closedAt');
type Editable = (typeof editable)[number];
/** Times in the future are plans; only the planned notice may be. */
const mayBeFuture: ReadonlySet<KeyTime> = new Set(['plannedNoticeAt']);

export function EditTimesModal({
  incident,
  opened,
  onClose,
}: {
  incident: IncidentDetail;
  opened: boolean;
  onClose: () => void;
}) {
  return (
    <Modal opened={opened} onClose={onClose} title="Edit key times" size="xl">
      {opened ? <TimesForm incident={incident} onClose={onClose} /> : null}
    </Modal>
  );
}

function TimesForm({ incident, onClose }: { incident: IncidentDetail; onClose: () => void }) {
  const initial = Object.fromEntries(editable.map((k) => [k, localInputValue(incident.times[k])])) as Record<
    Editable,
    string
  >;
  const [values, setValues] = useState(initial);
  const [reason, setReason] = useState('');
  const [isSubmitted, setSubmitted] = useState(false);
  const save = useIncidentChange(
    incident.id,
    (body: SetKeyTimesRequest) => api.post<IncidentDetail>(`/api/incidents/${incident.id}/key-times`, body),
    onClose,
  );

  const changed = editable.filter((k) => values[k] !== initial[k]);
  // The times as they would be after saving, checked with the same rules as the server.
  const next = { ...incident.times, ...Object.fromEntries(changed.map((k) => [k, toInstant(values[k])])) };
  const problems = changed.length > 0 || isSubmitted ? keyTimeProblems(next) : [];
  const problemOf = (key: KeyTime) => problems.find((p) => p.path === key)?.message;
  const reasonError =
    isSubmitted && reason.trim().length < 3 ? 'Say why the times change (at least 3 characters).' : undefined;
  const awareError =
    isSubmitted && !values.awareAt ? 'The awareness time is required: legal clocks start there.' : undefined;
  const now = localInputValue(new Date());

  function submit(event: FormEvent) {
    event.preventDefault();
    setSubmitted(true);
    if (changed.length === 0 || problems.length > 0 || reason.trim().length < 3 || !values.awareAt) return;
    save.mutate({
      times: Object.fromEntries(changed.map((k) => [k, toInstant(values[k])])),
      reason: reason.trim(),
    });
  }

  return (
    <form onSubmit={submit} noValidate>
      <Stack gap="md">
        <Text size="sm" c="dimmed">
          Times are in your browser’s time zone. Every change is kept on the timeline and in the audit log
          with its reason: deadlines and reports are computed from these times.
        </Text>
        <ErrorAlert error={save.error} title="The times were not saved" />
        {isSubmitted && changed.length === 0 ? (
          <Text size="sm" c="orange.8" role="status">
            No time changed yet: edit a time, or cancel.
          </Text>
        ) : null}
        {problems.length > 0 ? (
          <Alert color="orange" variant="light" title="These times cannot all be true" role="alert">
            <List size="sm">
              {problems.map((p) => (
                <List.Item key={`${p.path}:${p.message}`}>{p.message}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="md" verticalSpacing="sm">
          {editable.map((key) => (
            <TextInput
              key={key}
              label={keyTimeLabels[key]}
              description={keyTimeHints[key]}
              type="datetime-local"
              value={values[key]}
              max={mayBeFuture.has(key) ? undefined : now}
              required={key === 'awareAt'}
              onChange={(e) => {
                const { value } = e.currentTarget;
                setValues((current) => ({ ...current, [key]: value }));
              }}
              error={
                (key === 'awareAt' ? awareError : undefined) ?? problemOf(key) ?? fieldError(save.error, key)
              }
              rightSection={
                values[key] && key !== 'awareAt' ? (
                  <Button
                    variant="subtle"
                    size="compact-xs"
                    onClick={() => setValues((current) => ({ ...current, [key]: '' }))}
                    aria-label={`Clear ${keyTimeLabels[key]}`}
                  >
                    Clear
                  </Button>
                ) : null
              }
              rightSectionWidth={values[key] && key !== 'awareAt' ? 56 : undefined}
            />
          ))}
        </SimpleGrid>
        <Textarea
          label="Reason for the change"
          description="Required. E.g. “Forensics report dated 12 May moves the start of access earlier.”"
          value={reason}
          onChange={(e) => setReason(e.currentTarget.value)}
          required
          maxLength={2000}
          autosize
          minRows={2}
          error={reasonError ?? fieldError(save.error, 'reason')}
        />
        <Group justify="space-between">
          <Text size="xs" c="dimmed">
            {changed.length === 0
              ? 'No changes yet.'
              : `Changing: ${changed.map((k) => keyTimeLabels[k].toLowerCase()).join(', ')}.`}
          </Text>
          <Group>
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={save.isPending}>
              Save times
            </Button>
          </Group>
        </Group>
      </Stack>
    </form>
  );
}
