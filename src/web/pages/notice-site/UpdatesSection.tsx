import { Alert, Badge, Button, EmptyState, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useId, useState } from 'react';
import {
  type NoticeUpdate,
  type PublishedUpdate,
  siteLocales,
} from '../../../shared/contracts/notice-site.ts';
import { api } from '../../api/client.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { localeLabels, updateStatusColors, updateStatusLabels } from './site-labels.ts';
import { noticePath, useNoticeChange } from './site-queries.ts';
import { UpdateEditor } from './UpdateEditor.tsx';
import { isAuthor } from './VersionActions.tsx';

/** Dated updates under the notice, newest first. Publishing one tells the confirmed subscribers. */
export function UpdatesSection({
  incidentId,
  updates,
  hasPublished,
}: {
  incidentId: string;
  updates: NoticeUpdate[];
  hasPublished: boolean;
}) {
  const session = useActiveSession();
  const canWrite = session.permissions.includes('notice:write');
  // undefined: no editor open; null: a new update.
  const [editing, setEditing] = useState<NoticeUpdate | null | undefined>(undefined);
  const sorted = [...updates].sort((a, b) => b.createdAt.localeCompare(a.createdAt));

  return (
    <Stack gap="md" component="section" aria-labelledby="updates-title">
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2} size="h3" id="updates-title">
            Updates ({sorted.length})
          </Title>
          <Text size="sm" c="dimmed">
            Shown under the notice, newest first, and sent to everyone who subscribed. Each needs legal’s
            approval before it is published.
          </Text>
        </div>
        {canWrite ? <Button onClick={() => setEditing(null)}>New update</Button> : null}
      </Group>
      {!hasPublished ? (
        <Alert color="gray" variant="light" p="xs">
          Updates appear on the public page once the notice itself is published.
        </Alert>
      ) : null}
      {sorted.length === 0 ? (
        <EmptyState size="sm" mt="md">
          <EmptyState.Title order={3}>No updates yet</EmptyState.Title>
          <EmptyState.Description>
            Post one when the investigation learns something people should know, or when advice changes.
          </EmptyState.Description>
        </EmptyState>
      ) : (
        sorted.map((update) => (
          <UpdateCard
            key={update.id}
            incidentId={incidentId}
            update={update}
            onEdit={() => setEditing(update)}
          />
        ))
      )}
      {editing !== undefined ? (
        <UpdateEditor incidentId={incidentId} update={editing} onClose={() => setEditing(undefined)} />
      ) : null}
    </Stack>
  );
}

function UpdateCard({
  incidentId,
  update: u,
  onEdit,
}: {
  incidentId: string;
  update: NoticeUpdate;
  onEdit: () => void;
}) {
  const titleId = useId();
  const session = useActiveSession();
  const canWrite = session.permissions.includes('notice:write');
  const canApprove = session.permissions.includes('notice:publish');
  const base = `${noticePath(incidentId)}/updates/${u.id}`;
  const approve = useNoticeChange(incidentId, () => api.post<NoticeUpdate>(`${base}/approve`));
  const publish = useNoticeChange(incidentId, () => api.post<PublishedUpdate>(`${base}/publish`));
  const isMine = isAuthor(u, session);
  const locales = siteLocales.filter((l) => u.content.locales[l]);
  const heading = u.content.locales.en?.title ?? u.content.locales.es?.title ?? 'Update';
  const isBusy = approve.isPending || publish.isPending;

  return (
    <Paper withBorder p="md" component="article" aria-labelledby={titleId}>
      <Stack gap="sm">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={2} style={{ flex: '1 1 20rem', minWidth: 0 }}>
            <Group gap="xs">
              <Title order={3} size="h5" id={titleId}>
                {heading}
              </Title>
              <Badge
                color={updateStatusColors[u.status]}
                variant={u.status === 'draft' ? 'outline' : 'filled'}
              >
                {updateStatusLabels[u.status]}
              </Badge>
            </Group>
            <Text size="xs" c="dimmed">
              Written by {u.author} {formatDateTime(u.createdAt)}
              {u.approvedBy ? ` · approved by ${u.approvedBy} ${formatDateTime(u.approvedAt)}` : ''}
              {u.publishedBy ? ` · published by ${u.publishedBy} ${formatDateTime(u.publishedAt)}` : ''}
            </Text>
          </Stack>
          <Group gap="xs">
            {canWrite && u.status !== 'published' ? (
              <Button variant="default" size="xs" onClick={onEdit} disabled={isBusy}>
                Edit
              </Button>
            ) : null}
            {canApprove && u.status === 'draft' ? (
              <Button
                color="teal"
                size="xs"
                onClick={() => approve.mutate(undefined)}
                loading={approve.isPending}
                disabled={isMine || isBusy}
                title={isMine ? 'You wrote this update: someone else must approve it.' : undefined}
              >
                Approve
              </Button>
            ) : null}
            {canWrite && u.status === 'approved' ? (
              <ConfirmButton
                color="blue"
                size="xs"
                title="Publish this update?"
                message="It appears on the public page at once, and every confirmed subscriber is sent it. This cannot be undone."
                confirmLabel="Publish and notify"
                onConfirm={() => publish.mutate(undefined)}
                loading={publish.isPending}
                disabled={isBusy}
              >
                Publish
              </ConfirmButton>
            ) : null}
          </Group>
        </Group>
        {canApprove && u.status === 'draft' && isMine ? (
          <Text size="xs" c="dimmed">
            You wrote this update, so someone else with the legal role must approve it.
          </Text>
        ) : null}
        {locales.map((l) => {
          const text = u.content.locales[l];
          return text ? (
            <div key={l}>
              {locales.length > 1 ? (
                <Text size="xs" c="dimmed" fw={600}>
                  {localeLabels[l]}
                  {l === 'en' ? '' : `: ${text.title}`}
                </Text>
              ) : null}
              <Text size="sm" style={{ whiteSpace: 'pre-wrap', overflowWrap: 'anywhere' }} lineClamp={8}>
                {text.body}
              </Text>
            </div>
          ) : null;
        })}
        {publish.data ? (
          <Alert color="teal" variant="light" p="xs" role="status">
            Published. {plural(publish.data.notified, 'subscriber', 'subscribers')} notified.
          </Alert>
        ) : null}
        <ErrorAlert error={approve.error} title="Not approved" />
        <ErrorAlert error={publish.error} title="Not published" />
      </Stack>
    </Paper>
  );
}
