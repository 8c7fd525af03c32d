import { Button, Group, SegmentedControl, Stack, Text, TextInput, Title } from '@mantine/core';
import { useMutation } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { FindPeopleResponseDto } from '../../../shared/contracts/people.ts';
import { api } from '../../api/client.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { PersonModal } from './PersonModal.tsx';
import { PersonResults } from './PersonResults.tsx';

type LookupKind = 'email' | 'phone' | 'customer_id';

const kinds: Array<{ value: LookupKind; label: string }> = [
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'customer_id', label: 'Customer ID' },
];

const inputLabels: Record<LookupKind, string> = {
  email: 'Email address',
  phone: 'Phone number',
  customer_id: 'Customer ID',
};

/**
 * Exact lookup through the blind index. The value goes in a POST body only: never in the address bar, a
 * query key or a log line.
 */
export function FindPerson({ incidentId }: { incidentId: string }) {
  const [kind, setKind] = useState<LookupKind>('email');
  const [value, setValue] = useState('');
  const [country, setCountry] = useState('');
  const [openPersonId, setOpenPersonId] = useState<string | null>(null);
  const find = useMutation({
    mutationFn: (body: { kind: LookupKind; value: string; defaultCountry?: string }) =>
      api.post<FindPeopleResponseDto>(`/api/incidents/${incidentId}/people/find`, body),
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    const defaultCountry = kind === 'phone' && country.trim() ? country.trim().toUpperCase() : undefined;
    find.mutate({ kind, value: value.trim(), defaultCountry });
  }

  return (
    <Stack gap="md" component="section" aria-labelledby="find-person-title">
      <div>
        <Title order={2} id="find-person-title">
          Find a person
        </Title>
        <Text size="sm" c="dimmed">
          Exact match on a normalized email, phone or customer ID (case and formatting do not matter). Every
          search and every view of a person is recorded in the audit log, under your name.
        </Text>
      </div>
      <form onSubmit={submit} aria-label="Find a person" autoComplete="off">
        <Group align="flex-end" gap="sm">
          <Stack gap={4}>
            <Text size="sm" fw={500} id="find-kind-label">
              Search by
            </Text>
            <SegmentedControl
              aria-labelledby="find-kind-label"
              data={kinds}
              value={kind}
              onChange={(next) => {
                setKind(next as LookupKind);
                find.reset();
              }}
            />
          </Stack>
          <TextInput
            label={inputLabels[kind]}
            type={kind === 'email' ? 'email' : 'text'}
            inputMode={kind === 'phone' ? 'tel' : undefined}
            value={value}
            onChange={(event) => setValue(event.currentTarget.value)}
            maxLength={320}
            required
            w={320}
            autoComplete="off"
          />
          {kind === 'phone' ? (
            <TextInput
              label="Country"
              description="For numbers without +"
              placeholder="e.g. US"
              value={country}
              onChange={(event) => setCountry(event.currentTarget.value)}
              maxLength={2}
              w={130}
              error={country.trim() && !/^[A-Za-z]{2}$/.test(country.trim()) ? 'Two letters' : undefined}
            />
          ) : null}
          <Button type="submit" loading={find.isPending} disabled={!value.trim()}>
            Find
          </Button>
        </Group>
      </form>
      <ErrorAlert error={find.error} />
      {find.data?.isLimited ? (
        <Text role="status" size="sm">
          {find.data.affected
            ? 'This identifier is in the affected records of this incident. What leaked about the person is shown only to roles that may read personal data, or in the inbox once the person is verified.'
            : 'Nobody in this incident has that identifier. Check it, or search by another one.'}
        </Text>
      ) : find.data ? (
        <PersonResults people={find.data.people} onOpen={setOpenPersonId} />
      ) : null}
      <PersonModal incidentId={incidentId} personId={openPersonId} onClose={() => setOpenPersonId(null)} />
    </Stack>
  );
}
