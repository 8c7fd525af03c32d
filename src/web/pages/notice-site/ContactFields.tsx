import { Group, Paper, Stack, Switch, Text, Textarea, TextInput, Title } from '@mantine/core';
import { useId } from 'react';
import type { Contact, MonitoringOffer } from '../../../shared/contracts/notice-site.ts';
import type { FieldErrorAt } from './field-errors.ts';

const orNull = (value: string) => (value.trim() === '' ? null : value);

interface Props<T> {
  onChange: (value: T) => void;
  isReadOnly: boolean;
  errorAt: FieldErrorAt;
}

/** How to reach the company, the same in every language; an empty field stays off the page. */
export function ContactFields({
  contact,
  onChange,
  isReadOnly,
  errorAt,
}: Props<Contact> & { contact: Contact }) {
  const titleId = useId();
  const hasNone = !contact.phone && !contact.email && !contact.postalAddress && !contact.webForm;
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id={titleId}>
            Contact channels
          </Title>
          <Text size="xs" c="dimmed">
            The same in every language. Leave a field empty to leave it off the page.
          </Text>
        </div>
        <Group grow align="flex-start">
          <TextInput
            label="Phone"
            type="tel"
            value={contact.phone ?? ''}
            onChange={(e) => onChange({ ...contact, phone: orNull(e.currentTarget.value) })}
            maxLength={50}
            readOnly={isReadOnly}
            error={errorAt('contact.phone')}
          />
          <TextInput
            label="Email"
            type="email"
            value={contact.email ?? ''}
            onChange={(e) => onChange({ ...contact, email: orNull(e.currentTarget.value) })}
            maxLength={300}
            readOnly={isReadOnly}
            error={errorAt('contact.email')}
          />
        </Group>
        <Textarea
          label="Postal address"
          value={contact.postalAddress ?? ''}
          onChange={(e) => onChange({ ...contact, postalAddress: orNull(e.currentTarget.value) })}
          autosize
          minRows={2}
          maxRows={6}
          maxLength={500}
          readOnly={isReadOnly}
          error={errorAt('contact.postalAddress')}
        />
        <Switch
          label="Contact form on the site"
          description="A form on the public page for questions; the sender gets an acknowledgement."
          checked={contact.webForm}
          onChange={(e) => onChange({ ...contact, webForm: e.currentTarget.checked })}
          disabled={isReadOnly}
        />
        {hasNone && !isReadOnly ? (
          <Text size="xs" c="orange.8">
            No contact channel: people reading the notice will have no way to ask a question.
          </Text>
        ) : null}
      </Stack>
    </Paper>
  );
}

/** Credit or identity monitoring offered to affected people: each one's page shows where to enrol. */
export function MonitoringFields({
  monitoring,
  onChange,
  isReadOnly,
  errorAt,
}: Props<MonitoringOffer | null> & { monitoring: MonitoringOffer | null }) {
  const titleId = useId();
  return (
    <Paper withBorder p="md" component="section" aria-labelledby={titleId}>
      <Stack gap="sm">
        <div>
          <Title order={3} size="h5" id={titleId}>
            Credit or identity monitoring
          </Title>
          <Text size="xs" c="dimmed">
            When the company offers monitoring, affected people see where to enrol, with their own code.
          </Text>
        </div>
        <Switch
          label="Offer monitoring"
          checked={monitoring !== null}
          onChange={(e) => onChange(e.currentTarget.checked ? { provider: '', enrollUrl: '' } : null)}
          disabled={isReadOnly}
        />
        {monitoring ? (
          <Group grow align="flex-start">
            <TextInput
              label="Provider"
              value={monitoring.provider}
              onChange={(e) => onChange({ ...monitoring, provider: e.currentTarget.value })}
              maxLength={120}
              required
              readOnly={isReadOnly}
              error={errorAt('monitoring.provider')}
            />
            <TextInput
              label="Enrolment address"
              type="url"
              placeholder="https://"
              value={monitoring.enrollUrl}
              onChange={(e) => onChange({ ...monitoring, enrollUrl: e.currentTarget.value })}
              maxLength={500}
              required
              readOnly={isReadOnly}
              error={errorAt('monitoring.enrollUrl')}
            />
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
