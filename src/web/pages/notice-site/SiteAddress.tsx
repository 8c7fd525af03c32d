import { Anchor, Button, Group, Paper, Stack, Text, TextInput, Title, VisuallyHidden } from '@mantine/core';
import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import type { NoticeOverview, NoticeSlug } from '../../../shared/contracts/notice-site.ts';
import { request } from '../../api/client.ts';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { useCan } from '../../components/useCan.ts';
import { fieldError } from '../incidents/incident-queries.ts';
import { noticeKeys, noticePath, useNoticeChange } from './site-queries.ts';
import { VersionStatusBadge } from './VersionActions.tsx';

const slugPattern = /^[a-z0-9][a-z0-9-]{1,62}[a-z0-9]$/;

/** The public address, what is online there now, and the site-wide actions. */
export function SiteAddress({ incidentId, notice }: { incidentId: string; notice: NoticeOverview }) {
  const canWrite = useCan('notice:write');
  const canPublish = useCan('notice:publish');
  const [isEditing, setEditing] = useState(false);
  const { published } = notice;

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="site-address-title">
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={4} style={{ flex: '1 1 24rem', minWidth: 0 }}>
            <Title order={2} size="h4" id="site-address-title">
              Public address
            </Title>
            <Group gap="xs" wrap="nowrap" style={{ minWidth: 0 }}>
              <Text ff="monospace" size="sm" style={{ overflowWrap: 'anywhere' }}>
                {notice.publicUrl}
              </Text>
              <Anchor
                href={notice.publicUrl}
                target="_blank"
                rel="noopener"
                size="sm"
                style={{ flexShrink: 0 }}
              >
                Open public page
                <VisuallyHidden> (opens in a new tab)</VisuallyHidden>
              </Anchor>
            </Group>
            <Text size="sm" c="dimmed">
              {published ? (
                <>
                  Online: version {published.number}, published by {published.publishedBy ?? 'someone'}{' '}
                  {formatDateTime(published.publishedAt)}.{' '}
                </>
              ) : (
                'Nothing is published yet: the address shows “not found” until the first version is. '
              )}
              {notice.canEditSlug ? '' : 'The address is fixed now that it has been published.'}
            </Text>
          </Stack>
          <Group gap="xs">
            {published ? <VersionStatusBadge status="published" /> : null}
            {canWrite && notice.canEditSlug && !isEditing ? (
              <Button variant="default" size="xs" onClick={() => setEditing(true)}>
                Change address
              </Button>
            ) : null}
            {canPublish ? <RevokeLinksButton incidentId={incidentId} /> : null}
          </Group>
        </Group>
        {isEditing ? (
          <SlugForm incidentId={incidentId} slug={notice.slug} onDone={() => setEditing(false)} />
        ) : null}
      </Stack>
    </Paper>
  );
}

function SlugForm({ incidentId, slug, onDone }: { incidentId: string; slug: string; onDone: () => void }) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState(slug);
  const save = useNoticeChange(
    incidentId,
    (next: string) => request<NoticeSlug>('PUT', `${noticePath(incidentId)}/slug`, { body: { slug: next } }),
    (answer) => {
      queryClient.setQueryData<NoticeOverview>(noticeKeys.overview(incidentId), (old) =>
        old ? { ...old, ...answer } : old,
      );
      onDone();
    },
  );
  const trimmed = value.trim();
  const problem =
    trimmed && !slugPattern.test(trimmed)
      ? 'Use 3 to 64 lowercase letters a–z, digits and hyphens, starting and ending with a letter or digit.'
      : undefined;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (!problem && trimmed !== slug) save.mutate(trimmed);
  }

  return (
    <form onSubmit={submit}>
      <Stack gap="xs">
        <TextInput
          label="Address name"
          description="The last part of the public address. It can change until the notice is published."
          value={value}
          onChange={(e) => setValue(e.currentTarget.value.toLowerCase())}
          maxLength={64}
          error={problem ?? fieldError(save.error, 'slug')}
          styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
          maw={420}
          data-autofocus
          required
        />
        <Group gap="xs">
          <Button variant="default" onClick={onDone}>
            Cancel
          </Button>
          <Button type="submit" loading={save.isPending} disabled={Boolean(problem) || trimmed === slug}>
            Save address
          </Button>
        </Group>
        {fieldError(save.error, 'slug') ? null : (
          <ErrorAlert error={save.error} title="The address was not changed" />
        )}
      </Stack>
    </form>
  );
}

function RevokeLinksButton({ incidentId }: { incidentId: string }) {
  const revoke = useNoticeChange(incidentId, () =>
    request<{ revokedAt: string }>('POST', `${noticePath(incidentId)}/revoke-links`, { body: {} }),
  );
  return (
    <Stack gap={4} align="flex-end">
      <ConfirmButton
        variant="default"
        color="red"
        size="xs"
        title="Revoke every personal link?"
        message="Every personal link sent so far stops working at once, wherever it was sent. Do this if links may have leaked: it cannot be undone."
        confirmLabel="Revoke all links"
        onConfirm={() => revoke.mutate(undefined)}
        loading={revoke.isPending}
      >
        Revoke all personal links
      </ConfirmButton>
      {revoke.data ? (
        <Text size="xs" c="green.8" role="status">
          Revoked {formatDateTime(revoke.data.revokedAt)}.
        </Text>
      ) : null}
      <ErrorAlert error={revoke.error} title="The links were not revoked" />
    </Stack>
  );
}
