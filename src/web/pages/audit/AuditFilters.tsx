import { Button, Group, Select, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';
import { type AuditFilterValues, type AuditOutcome, emptyAuditFilters } from './audit-filters.ts';

const outcomeOptions = [
  { value: '', label: 'Any outcome' },
  { value: 'success', label: 'Success' },
  { value: 'failure', label: 'Failure' },
  { value: 'denied', label: 'Denied' },
];

interface AuditFiltersProps {
  value: AuditFilterValues;
  onApply: (filters: AuditFilterValues) => void;
}

export function AuditFilters({ value, onApply }: AuditFiltersProps) {
  const [draft, setDraft] = useState(value);
  const set = <K extends keyof AuditFilterValues>(key: K, next: AuditFilterValues[K]) =>
    setDraft((current) => ({ ...current, [key]: next }));

  function submit(event: FormEvent) {
    event.preventDefault();
    onApply(draft);
  }
  function clear() {
    setDraft(emptyAuditFilters);
    onApply(emptyAuditFilters);
  }

  return (
    <form onSubmit={submit} aria-label="Filter the audit log">
      <Group align="flex-end" gap="sm">
        <TextInput
          label="Action"
          placeholder="e.g. auth.sign_in"
          value={draft.action}
          onChange={(event) => set('action', event.currentTarget.value)}
          maxLength={100}
          w={200}
        />
        <Select
          label="Outcome"
          data={outcomeOptions}
          value={draft.outcome}
          onChange={(next) => set('outcome', (next ?? '') as AuditOutcome | '')}
          allowDeselect={false}
          w={160}
        />
        <TextInput
          label="Target type"
          placeholder="e.g. user"
          value={draft.targetType}
          onChange={(event) => set('targetType', event.currentTarget.value)}
          maxLength={60}
          w={160}
        />
        <TextInput
          label="From"
          type="date"
          value={draft.fromDay}
          onChange={(event) => set('fromDay', event.currentTarget.value)}
          w={160}
        />
        <TextInput
          label="To"
          type="date"
          value={draft.toDay}
          onChange={(event) => set('toDay', event.currentTarget.value)}
          w={160}
        />
        <Button type="submit">Apply filters</Button>
        <Button variant="subtle" onClick={clear}>
          Clear
        </Button>
      </Group>
    </form>
  );
}
