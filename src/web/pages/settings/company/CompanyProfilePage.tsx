import {
  Alert,
  Button,
  Center,
  Checkbox,
  Fieldset,
  Group,
  Loader,
  NumberInput,
  Paper,
  Select,
  Stack,
  Text,
  Title,
} from '@mantine/core';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { entityKinds } from '../../../../shared/contracts/incidents.ts';
import { api, request } from '../../../api/client.ts';
import type { CompanyProfile } from '../../../api/types.ts';
import { ErrorAlert } from '../../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../../components/RequirePermission.tsx';
import { useCan } from '../../../components/useCan.ts';
import { entityLabels } from '../../incidents/incident-labels.ts';
import { fieldError } from '../../incidents/incident-queries.ts';

const profileKey = ['settings', 'company-profile'] as const;

/** The IANA zones the browser knows, with the browser's own and UTC first. */
function timeZones(current: string): string[] {
  const supported =
    typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : ['UTC'];
  const own = Intl.DateTimeFormat().resolvedOptions().timeZone;
  return [...new Set([current, own, 'UTC', ...supported])].filter(Boolean);
}

const entityHints: Record<(typeof entityKinds)[number], string> = {
  hipaa: 'Adds the HHS breach notification rule (health information).',
  sec: 'Adds the SEC’s material cybersecurity incident disclosure (Form 8-K, Item 1.05).',
  nydfs: 'Adds the 72-hour notice to the NY Department of Financial Services (23 NYCRR 500.17).',
  ftc_safeguards: 'Adds the FTC notice for non-bank financial institutions (500 or more consumers).',
};

export function CompanyProfilePage() {
  return (
    <RequirePermission permission="settings:read">
      <CompanyProfileSettings />
    </RequirePermission>
  );
}

function CompanyProfileSettings() {
  const profile = useQuery({
    queryKey: profileKey,
    queryFn: ({ signal }) => api.get<CompanyProfile>('/api/settings/company-profile', undefined, signal),
  });
  return (
    <Stack gap="md">
      <div>
        <Title order={2}>Company</Title>
        <Text c="dimmed" size="sm">
          Facts about the company the obligations engine needs. An incident can override how the company is
          regulated (e.g. for a subsidiary) on its Overview tab.
        </Text>
      </div>
      {profile.isPending ? (
        <Center py="xl">
          <Loader aria-label="Loading the company profile" />
        </Center>
      ) : profile.error ? (
        <ErrorAlert error={profile.error} title="The company profile could not be loaded" />
      ) : (
        <ProfileForm profile={profile.data} />
      )}
    </Stack>
  );
}

function ProfileForm({ profile }: { profile: CompanyProfile }) {
  const queryClient = useQueryClient();
  const canManage = useCan('settings:manage');
  const [form, setForm] = useState(profile);
  const [isSaved, setSaved] = useState(false);
  const save = useMutation({
    mutationFn: (body: CompanyProfile) =>
      request<CompanyProfile>('PUT', '/api/settings/company-profile', { body }),
    onSuccess: async (saved) => {
      queryClient.setQueryData(profileKey, saved);
      setForm(saved);
      setSaved(true);
      // Every incident's deadlines depend on the profile.
      await queryClient.invalidateQueries({ queryKey: ['obligations'] });
      await queryClient.invalidateQueries({ queryKey: ['incidents'] });
    },
  });
  const isDirty = JSON.stringify(form) !== JSON.stringify(profile);
  const policyError =
    !Number.isInteger(form.policyDays) || form.policyDays < 1 || form.policyDays > 365
      ? 'Enter a whole number of days from 1 to 365.'
      : undefined;

  function change(next: CompanyProfile) {
    setSaved(false);
    setForm(next);
  }
  function submit(event: FormEvent) {
    event.preventDefault();
    if (!policyError) save.mutate(form);
  }

  return (
    <Paper withBorder p="lg" maw={760} component="form" onSubmit={submit} aria-label="Company profile">
      <Stack gap="lg">
        {!canManage ? (
          <Alert color="gray" variant="light">
            Your role can see these settings but not change them. Ask an admin to change them.
          </Alert>
        ) : null}
        <ErrorAlert error={save.error} title="The company profile was not saved" />
        <Fieldset
          legend={
            <Text fw={600} size="sm">
              How the company is regulated
            </Text>
          }
          variant="unstyled"
          disabled={!canManage}
        >
          <Stack gap="sm" mt="xs">
            <Text size="xs" c="dimmed">
              Laws that apply only to some kinds of company. Leave a box unticked when unsure, and ask
              counsel.
            </Text>
            {entityKinds.map((kind) => (
              <Checkbox
                key={kind}
                label={entityLabels[kind]}
                description={entityHints[kind]}
                checked={form.entity[kind]}
                onChange={(e) =>
                  change({ ...form, entity: { ...form.entity, [kind]: e.currentTarget.checked } })
                }
              />
            ))}
          </Stack>
        </Fieldset>
        <NumberInput
          label="Policy target for notices without a fixed deadline"
          description="Days after awareness. Used where a law says “without undue delay” or “in the most expedient time”; shown as a policy target, not law."
          value={form.policyDays}
          onChange={(value) =>
            change({ ...form, policyDays: typeof value === 'number' ? value : Number.NaN })
          }
          min={1}
          max={365}
          allowDecimal={false}
          suffix=" days"
          styles={{ wrapper: { maxWidth: 220 } }}
          disabled={!canManage}
          error={policyError ?? fieldError(save.error, 'policyDays')}
        />
        <Select
          label="Company time zone"
          description="Calendar and business days are counted in this zone, e.g. where a deadline day ends."
          data={timeZones(form.timezone)}
          value={form.timezone}
          onChange={(value) => value && change({ ...form, timezone: value })}
          searchable
          allowDeselect={false}
          styles={{ wrapper: { maxWidth: 360 } }}
          disabled={!canManage}
          error={fieldError(save.error, 'timezone')}
        />
        {canManage ? (
          <Group justify="flex-end" gap="sm">
            {isSaved && !isDirty ? (
              <Text size="sm" c="green.8" role="status">
                Saved. Deadlines now use these settings.
              </Text>
            ) : null}
            {isDirty ? (
              <Button variant="default" onClick={() => change(profile)}>
                Undo changes
              </Button>
            ) : null}
            <Button type="submit" loading={save.isPending} disabled={!isDirty || Boolean(policyError)}>
              Save
            </Button>
          </Group>
        ) : null}
      </Stack>
    </Paper>
  );
}
