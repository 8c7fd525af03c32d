import { Alert, Badge, Button, Group, Stack, Text, Title, VisuallyHidden } from '@mantine/core';
import type { NoticeVersion, VersionSummary } from '../../../shared/contracts/notice-site.ts';
import { api, isApiError } from '../../api/client.ts';
import type { Session } from '../../api/types.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ApproveButton } from '../../components/ApproveButton.tsx';
import { ConfirmButton } from '../../components/ConfirmButton.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { versionStatusColors, versionStatusLabels } from './site-labels.ts';
import { noticePath, useNoticeChange } from './site-queries.ts';

/** Whether the signed-in person wrote the version (the server refuses their approval anyway). */
export function isAuthor(version: { authorId: string | null }, session: Session): boolean {
  return version.authorId !== null && version.authorId === session.user.id;
}

/** Who wrote, approved and published a version, in one line. */
export function versionHistory(v: VersionSummary): string {
  const parts = [`Written by ${v.author}, last saved ${formatDateTime(v.updatedAt)}`];
  if (v.approvedBy) parts.push(`approved by ${v.approvedBy} ${formatDateTime(v.approvedAt)}`);
  if (v.publishedBy) parts.push(`published by ${v.publishedBy} ${formatDateTime(v.publishedAt)}`);
  return parts.join(' · ');
}

export function VersionStatusBadge({
  status,
  size = 'md',
}: {
  status: VersionSummary['status'];
  size?: string;
}) {
  return (
    <Badge
      color={versionStatusColors[status]}
      variant={status === 'draft' ? 'outline' : 'filled'}
      size={size}
    >
      <VisuallyHidden>Status: </VisuallyHidden>
      {versionStatusLabels[status]}
    </Badge>
  );
}

interface Props {
  incidentId: string;
  version: NoticeVersion;
  publicUrl: string;
  hasPublished: boolean;
  /** What staff must know before approving or publishing (the company name not set, say). */
  warnings: string[];
  isDirty: boolean;
  isSaving: boolean;
  onSave: () => void;
}

/** The pending version's heading and what may be done with it now: save, approve, publish. */
export function VersionActions({
  incidentId,
  version: v,
  publicUrl,
  hasPublished,
  warnings,
  isDirty,
  isSaving,
  onSave,
}: Props) {
  const session = useActiveSession();
  const canWrite = session.permissions.includes('notice:write');
  const canApprove = session.permissions.includes('notice:publish');
  const approve = useNoticeChange(incidentId, () =>
    api.post<NoticeVersion>(`${noticePath(incidentId)}/versions/${v.id}/approve`),
  );
  const publish = useNoticeChange(incidentId, () =>
    api.post<NoticeVersion>(`${noticePath(incidentId)}/versions/${v.id}/publish`),
  );
  const isMine = isAuthor(v, session);
  const refusedAsAuthor = isApiError(approve.error, 'forbidden');
  const isBusy = isSaving || approve.isPending || publish.isPending;

  return (
    <Stack gap="xs">
      <Group justify="space-between" align="flex-start" gap="md">
        <Stack gap={2} style={{ flex: '1 1 20rem' }}>
          <Group gap="sm">
            <Title order={2} size="h3">
              Version {v.number}
            </Title>
            <VersionStatusBadge status={v.status} />
            {isDirty ? (
              <Badge color="yellow" variant="light" tt="none">
                Unsaved changes
              </Badge>
            ) : null}
          </Group>
          <Text size="sm" c="dimmed">
            {versionHistory(v)}
          </Text>
        </Stack>
        <Group gap="xs" justify="flex-end">
          {canWrite ? (
            <Button
              variant={isDirty ? 'filled' : 'default'}
              onClick={onSave}
              loading={isSaving}
              disabled={!isDirty || isBusy}
            >
              Save draft
            </Button>
          ) : null}
          {canApprove && v.status === 'draft' ? (
            <ApproveButton
              dialogTitle={`Approve version ${v.number}?`}
              message={
                <>
                  Once approved, comms can publish it at {publicUrl}. Read the preview first; any later edit
                  voids the approval.
                </>
              }
              consistency={v.consistency}
              warnings={warnings}
              onConfirm={() => approve.mutate(undefined)}
              loading={approve.isPending}
              disabled={isMine || isDirty || isBusy}
              tooltip={isMine ? 'You wrote this version: someone else must approve it.' : undefined}
            >
              Approve version {v.number}
            </ApproveButton>
          ) : null}
          {canWrite && v.status === 'approved' ? (
            <ConfirmButton
              color="blue"
              title={`Publish version ${v.number}?`}
              message={
                <>
                  It becomes the public notice at {publicUrl} at once
                  {hasPublished ? ', replacing the version online now' : ''}. Everyone who opens the page
                  reads it; later changes need a new version and a new approval.
                </>
              }
              confirmLabel="Publish"
              onConfirm={() => publish.mutate(undefined)}
              loading={publish.isPending}
              disabled={isDirty || isBusy}
            >
              Publish
            </ConfirmButton>
          ) : null}
        </Group>
      </Group>
      <ActionHints
        version={v}
        canWrite={canWrite}
        canApprove={canApprove}
        isMine={isMine || refusedAsAuthor}
        isDirty={isDirty}
      />
      {refusedAsAuthor ? null : <ErrorAlert error={approve.error} title="Not approved" />}
      {refusedAsAuthor && approve.error ? (
        <Alert color="blue" variant="light" p="xs">
          {approve.error.message}
        </Alert>
      ) : null}
      <ErrorAlert error={publish.error} title="Not published" />
    </Stack>
  );
}

function ActionHints({
  version: v,
  canWrite,
  canApprove,
  isMine,
  isDirty,
}: {
  version: NoticeVersion;
  canWrite: boolean;
  canApprove: boolean;
  isMine: boolean;
  isDirty: boolean;
}) {
  if (isDirty && v.status === 'approved') {
    return (
      <Alert color="orange" variant="light" p="xs">
        This version is approved. Saving your changes turns it back into a draft that must be approved again.
      </Alert>
    );
  }
  if (isDirty) {
    return (
      <Text size="xs" c="dimmed">
        Save your changes before approving or publishing; the preview shows the last saved text.
      </Text>
    );
  }
  if (v.status === 'draft' && canApprove && isMine) {
    return (
      <Alert color="blue" variant="light" p="xs">
        You wrote this version, so you cannot approve it: someone else with the legal role must. Share the
        link to this page with them.
      </Alert>
    );
  }
  if (v.status === 'draft' && !canApprove) {
    return (
      <Text size="xs" c="dimmed">
        Someone with the legal role approves it, after reading the preview. Then it can be published.
      </Text>
    );
  }
  if (v.status === 'approved' && !canWrite) {
    return (
      <Text size="xs" c="dimmed">
        Approved. Someone with the comms role publishes it.
      </Text>
    );
  }
  return null;
}
