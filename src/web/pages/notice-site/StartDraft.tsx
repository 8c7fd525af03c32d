import { Button, EmptyState, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { type NoticeOverview, type SiteLocale, siteLocales } from '../../../shared/contracts/notice-site.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { useCan } from '../../components/useCan.ts';
import { exposureQuery } from './exposure-query.ts';
import { NoticePreview } from './NoticePreview.tsx';
import { starterContent } from './notice-template.ts';
import { saveDraft, useNoticeChange, versionQuery } from './site-queries.ts';
import { VersionStatusBadge, versionHistory } from './VersionActions.tsx';

/**
 * No version is being prepared: start one from the published notice (the usual way to change it) or, before
 * anything is published, from the starter texts.
 */
export function StartDraft({ incidentId, notice }: { incidentId: string; notice: NoticeOverview }) {
  const queryClient = useQueryClient();
  const canWrite = useCan('notice:write');
  const { published } = notice;
  const start = useNoticeChange(incidentId, async (from: 'published' | 'template') => {
    const content =
      from === 'published' && published
        ? (await queryClient.fetchQuery(versionQuery(incidentId, published.id))).content
        : starterContent((await queryClient.fetchQuery(exposureQuery(incidentId))).whatInformation);
    return saveDraft(incidentId, content);
  });

  if (!published) {
    return (
      <EmptyState size="lg" maw={680} mx="auto" mt="lg">
        <EmptyState.Title order={2}>No public notice yet</EmptyState.Title>
        <EmptyState.Description>
          The notice site is where affected people read what happened, check whether they are affected, verify
          that a message really came from you and ask questions. Start a draft from the starter texts under
          the standard headings, have someone with the legal role approve it, then publish it.
          {canWrite ? '' : ' Someone with the comms role writes the notice.'}
        </EmptyState.Description>
        {canWrite ? (
          <EmptyState.Actions>
            <Stack gap="xs" align="center">
              <Button onClick={() => start.mutate('template')} loading={start.isPending}>
                Start a draft
              </Button>
              <ErrorAlert error={start.error} title="The draft was not created" />
            </Stack>
          </EmptyState.Actions>
        ) : null}
      </EmptyState>
    );
  }

  return (
    <Stack gap="md">
      <Paper withBorder p="md">
        <Group justify="space-between" align="flex-start" gap="md">
          <Stack gap={2} style={{ flex: '1 1 20rem' }}>
            <Group gap="sm">
              <Title order={2} size="h3">
                Version {published.number}
              </Title>
              <VersionStatusBadge status={published.status} />
            </Group>
            <Text size="sm" c="dimmed">
              {versionHistory(published)}
            </Text>
            <Text size="sm">
              This is the notice online now. To change it, start a draft: the public page stays as it is until
              the new version is approved and published.
            </Text>
          </Stack>
          {canWrite ? (
            <Group gap="xs">
              <Button variant="default" onClick={() => start.mutate('template')} disabled={start.isPending}>
                Start from the starter texts
              </Button>
              <Button onClick={() => start.mutate('published')} loading={start.isPending}>
                Start a draft from version {published.number}
              </Button>
            </Group>
          ) : null}
        </Group>
        <ErrorAlert error={start.error} title="The draft was not created" />
      </Paper>
      <PublishedPreview incidentId={incidentId} versionId={published.id} />
    </Stack>
  );
}

function PublishedPreview({ incidentId, versionId }: { incidentId: string; versionId: string }) {
  const version = useQuery(versionQuery(incidentId, versionId));
  const [locale, setLocale] = useState<SiteLocale>('en');
  const locales = version.data ? siteLocales.filter((l) => version.data.content.locales[l]) : ['en' as const];
  return (
    <NoticePreview
      incidentId={incidentId}
      versionId={versionId}
      locales={locales}
      locale={locales.includes(locale) ? locale : (version.data?.content.defaultLocale ?? 'en')}
      onLocaleChange={setLocale}
      revision=""
    />
  );
}
