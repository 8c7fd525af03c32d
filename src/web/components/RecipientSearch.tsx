import { Button, Group, TextInput } from '@mantine/core';
import { type FormEvent, useState } from 'react';

/** A recipient searched for: the value stays in memory (POST body), the id keys the query (never the value). */
export interface RecipientFilter {
  id: number;
  to: string;
}

/**
 * Find messages sent to one email address or phone number, matched exactly after normalization (case and
 * formatting do not matter). The value goes in a POST body only: never in the address bar or a query key.
 */
export function RecipientSearch({
  active,
  onSearch,
}: {
  active: RecipientFilter | null;
  onSearch: (filter: RecipientFilter | null) => void;
}) {
  const [value, setValue] = useState('');
  const submit = (event: FormEvent) => {
    event.preventDefault();
    const to = value.trim();
    onSearch(to ? { id: Date.now(), to } : null);
  };
  return (
    <form onSubmit={submit} aria-label="Find messages by recipient" autoComplete="off">
      <Group gap="xs" align="flex-end">
        <TextInput
          label="Recipient"
          description="Exact email address or phone number (+country code)"
          placeholder="name@example.com or +1 202 555 0100"
          value={value}
          onChange={(event) => setValue(event.currentTarget.value)}
          maxLength={320}
          w={300}
          autoComplete="off"
        />
        <Button type="submit" variant="light" disabled={!value.trim()}>
          Find
        </Button>
        {active ? (
          <Button
            variant="subtle"
            onClick={() => {
              setValue('');
              onSearch(null);
            }}
          >
            Clear
          </Button>
        ) : null}
      </Group>
    </form>
  );
}
