import { Alert, Box, Button, Grid, Group, Paper, Stack } from '@mantine/core';
import { useQuery, useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import {
  type NoticeContentInput,
  type NoticeOverview,
  type NoticeVersion,
  type SiteLocale,
  siteLocales,
} from '../../../shared/contracts/notice-site.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { SendingWarnings } from '../../components/SendingWarnings.tsx';
import { useCan } from '../../components/useCan.ts';
import { exposureQuery } from './exposure-query.ts';
import { fieldErrorsOf } from './field-errors.ts';
import { LiveConsistency } from './LiveConsistency.tsx';
import { NoticeEditor } from './NoticeEditor.tsx';
import { NoticePreview } from './NoticePreview.tsx';
import { hasPlaceholder } from './notice-template.ts';
import { noticeKeys, saveDraft, useNoticeChange } from './site-queries.ts';
import { VersionActions } from './VersionActions.tsx';

const same = (a: NoticeContentInput, b: NoticeContentInput) => JSON.stringify(a) === JSON.stringify(b);

interface Props {
  incidentId: string;
  notice: NoticeOverview;
  version: NoticeVersion;
}

/** The version being prepared: its editor beside the page it renders to, and the approval steps. */
export function PendingVersion({ incidentId, notice, version }: Props) {
  const queryClient = useQueryClient();
  const canWrite = useCan('notice:write');
  // The text last read from or saved to the server, and the one being edited.
  const [saved, setSaved] = useState(version);
  const [form, setForm] = useState<NoticeContentInput>(version.content);
  const [isOverwriting, setOverwriting] = useState(false);
  const [locale, setLocale] = useState<SiteLocale>(version.content.defaultLocale);
  const exposure = useQuery(exposureQuery(incidentId));

  // Someone else saved (or approved) the version meanwhile: take their text unless this person has edits,
  // which would otherwise be lost without a word.
  if (version.updatedAt !== saved.updatedAt || version.status !== saved.status) {
    const hasEdits = !same(form, saved.content);
    setSaved(version);
    if (hasEdits) setOverwriting(true);
    else setForm(version.content);
  }

  const save = useNoticeChange(
    incidentId,
    (content: NoticeContentInput) => saveDraft(incidentId, content),
    (next) => {
      setSaved(next);
      setOverwriting(false);
      queryClient.setQueryData<NoticeOverview>(noticeKeys.overview(incidentId), (old) =>
        old ? { ...old, pending: next } : old,
      );
    },
  );
  const isDirty = !same(form, saved.content);
  const savedLocales = siteLocales.filter((l) => saved.content.locales[l]);

  function submit(event?: FormEvent) {
    event?.preventDefault();
    if (isDirty) save.mutate(form);
  }

  return (
    <Stack gap="md">
      <VersionActions
        incidentId={incidentId}
        version={saved}
        publicUrl={notice.publicUrl}
        hasPublished={notice.published !== null}
        warnings={notice.warnings}
        isDirty={isDirty}
        isSaving={save.isPending}
        onSave={submit}
      />
      {isOverwriting && isDirty ? (
        <Alert color="orange" variant="light" title="Saved by someone else meanwhile" p="xs">
          Someone saved this version after you started editing. Saving now replaces their text with yours;
          undo your changes to see theirs.
        </Alert>
      ) : null}
      {hasPlaceholder(saved.content) ? (
        <Alert color="yellow" variant="light" p="xs">
          Some texts still hold a [placeholder] from the starter text. Replace each one before approval.
        </Alert>
      ) : null}
      <SendingWarnings warnings={notice.warnings} />
      <LiveConsistency incidentId={incidentId} content={form} />
      <ErrorAlert error={save.error} title="The draft was not saved" />
      <Grid gap="lg">
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Paper withBorder p="md" component="form" onSubmit={submit} aria-label={`Version ${saved.number}`}>
            <Stack gap="md">
              <NoticeEditor
                content={form}
                onChange={setForm}
                isReadOnly={!canWrite}
                locale={locale}
                onLocaleChange={setLocale}
                errorAt={fieldErrorsOf(save.error)}
                prefill={exposure.data?.whatInformation}
              />
              {canWrite ? (
                <Group justify="flex-end" gap="sm">
                  {isDirty ? (
                    <Button variant="default" onClick={() => setForm(saved.content)}>
                      Undo changes
                    </Button>
                  ) : null}
                  <Button type="submit" loading={save.isPending} disabled={!isDirty}>
                    Save draft
                  </Button>
                </Group>
              ) : null}
            </Stack>
          </Paper>
        </Grid.Col>
        <Grid.Col span={{ base: 12, lg: 6 }}>
          <Box style={{ position: 'sticky', top: 'calc(var(--app-shell-header-height, 0px) + 1rem)' }}>
            <NoticePreview
              incidentId={incidentId}
              versionId={saved.id}
              locales={savedLocales}
              locale={locale}
              onLocaleChange={setLocale}
              revision={saved.updatedAt}
              note={isDirty ? 'Shows the last saved text: save to see your changes here.' : undefined}
              height="80vh"
            />
          </Box>
        </Grid.Col>
      </Grid>
    </Stack>
  );
}
