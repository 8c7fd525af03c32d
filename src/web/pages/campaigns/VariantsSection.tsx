import { Alert, Badge, Group, List, Paper, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import { api, isApiError } from '../../api/client.ts';
import type { Campaign, CampaignVariant, Session } from '../../api/types.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ApproveButton } from '../../components/ApproveButton.tsx';
import { ConsistencyList } from '../../components/ConsistencyList.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { channelLabels } from './campaign-labels.ts';
import { useCampaignChange } from './campaign-queries.ts';
import { describeRule } from './RuleEditor.tsx';

/** Whether the signed-in person wrote the variant (the server refuses their approval anyway). */
export function isAuthor(variant: CampaignVariant, session: Session): boolean {
  return variant.authorId !== null && variant.authorId === session.user.id;
}

/** The variants in the order they are checked, each with its audience and approval. */
export function VariantsSection({ campaign }: { campaign: Campaign }) {
  const approved = campaign.variants.filter((v) => v.approved).length;
  return (
    <Stack gap="sm" component="section" aria-labelledby="variants-heading">
      <div>
        <Title order={2} size="h3" id="variants-heading">
          Variants ({campaign.variants.length})
        </Title>
        <Text size="sm" c="dimmed">
          {approved} of {campaign.variants.length} approved. Each person gets the first variant they match,
          the default last. Approval is by someone with the legal role who did not write the variant; any edit
          voids it.
        </Text>
      </div>
      {campaign.variants.map((variant) => (
        <VariantCard key={variant.id} campaign={campaign} variant={variant} />
      ))}
    </Stack>
  );
}

function VariantCard({ campaign, variant: v }: { campaign: Campaign; variant: CampaignVariant }) {
  const titleId = useId();
  const session = useActiveSession();
  const canApprove = session.permissions.includes('campaigns:approve');
  const approve = useCampaignChange(campaign, (version: number) =>
    api.post<Campaign>(`/api/campaigns/${campaign.id}/variants/${v.id}/approve`, { version }),
  );
  const isMine = isAuthor(v, session);
  const refusedAsAuthor = isApiError(approve.error, 'forbidden');
  const locales = Object.keys(v.content);
  const isEditable = campaign.status !== 'finished' && campaign.status !== 'cancelled';

  return (
    <Paper
      withBorder
      p="md"
      component="article"
      aria-labelledby={titleId}
      style={{
        borderLeft: `4px solid var(--mantine-color-${v.approved ? 'teal' : 'orange'}-filled)`,
      }}
    >
      <Stack gap={6}>
        <Group justify="space-between" align="flex-start" wrap="nowrap">
          <Stack gap={2} style={{ minWidth: 0 }}>
            <Group gap="xs">
              <Title order={3} size="h5" id={titleId}>
                {v.name}
              </Title>
              {v.isDefault ? (
                <Badge variant="light" tt="none" size="sm">
                  Default
                </Badge>
              ) : null}
            </Group>
            <Text size="sm">{describeRule(v.rule, v.isDefault)}</Text>
            <Text size="sm" c="dimmed">
              {plural(v.audience, 'person', 'people')} · {locales.join(', ')} ·{' '}
              {campaign.channels.map((c) => channelLabels[c]).join(', ')} · version {v.version} by {v.author}
            </Text>
          </Stack>
          <Stack gap={4} align="flex-end" style={{ flexShrink: 0 }}>
            {v.approved ? (
              <Badge color="teal" variant="filled" tt="none">
                Approved
              </Badge>
            ) : (
              <Badge color="orange" variant="outline" tt="none">
                Waiting for approval
              </Badge>
            )}
            {canApprove && !v.approved && !isMine && !refusedAsAuthor && isEditable ? (
              <ApproveButton
                size="compact-sm"
                dialogTitle={`Approve version ${v.version} of “${v.name}”?`}
                message={
                  <>
                    {plural(v.audience, 'person gets', 'people get')} this variant once the campaign starts.
                    Read its preview in every language and channel first; any later edit voids the approval.
                  </>
                }
                consistency={v.consistency}
                warnings={[...campaign.warnings, ...v.warnings]}
                onConfirm={() => approve.mutate(v.version)}
                loading={approve.isPending}
                aria-label={`Approve version ${v.version} of ${v.name}`}
              >
                Approve version {v.version}
              </ApproveButton>
            ) : null}
          </Stack>
        </Group>

        {v.approved ? (
          <Text size="xs" c="dimmed">
            Approved by {v.approvedBy ?? 'someone'} at version {v.version}
            {v.approvedAt ? ` on ${formatDateTime(v.approvedAt)}` : ''}.
          </Text>
        ) : null}
        {!v.approved && canApprove && (isMine || refusedAsAuthor) ? (
          <Alert color="blue" variant="light" p="xs">
            <Text size="sm">
              {refusedAsAuthor && approve.error
                ? approve.error.message
                : 'You wrote this version, so you cannot approve it: someone else with the legal role must.'}{' '}
              Share the link to this page with them.
            </Text>
          </Alert>
        ) : null}
        {!v.approved && !canApprove ? (
          <Text size="xs" c="dimmed">
            Someone with the legal role approves it, after reading the preview.
          </Text>
        ) : null}
        {v.consistency.length > 0 && !v.approved ? (
          <Alert color="red" variant="light" p="xs" title="The text disagrees with the data of its people">
            <ConsistencyList warnings={v.consistency} />
          </Alert>
        ) : null}
        {v.warnings.length > 0 ? (
          <Alert color="orange" variant="light" p="xs" title="Before approving, note">
            <List size="sm">
              {v.warnings.map((warning) => (
                <List.Item key={warning}>{warning}</List.Item>
              ))}
            </List>
          </Alert>
        ) : null}
        {approve.error && !refusedAsAuthor ? <ErrorAlert error={approve.error} title="Not approved" /> : null}
      </Stack>
    </Paper>
  );
}
