import {
  Button,
  Center,
  Loader,
  Modal,
  SegmentedControl,
  Stack,
  Table,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { type SiteLocale, siteLocales, type VersionSummary } from '../../../shared/contracts/notice-site.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime } from '../../components/format.ts';
import { NoticeEditor } from './NoticeEditor.tsx';
import { NoticePreview } from './NoticePreview.tsx';
import { versionQuery } from './site-queries.ts';
import { VersionStatusBadge } from './VersionActions.tsx';

function who(name: string | null, at: string | null): string {
  return name ? `${name}, ${formatDateTime(at)}` : '—';
}

/** Every version of the notice, newest first; each opens read-only, as text or as its page. */
export function VersionsList({ incidentId, versions }: { incidentId: string; versions: VersionSummary[] }) {
  const [openId, setOpenId] = useState<string | null>(null);
  const sorted = [...versions].sort((a, b) => b.number - a.number);
  const open = sorted.find((v) => v.id === openId) ?? null;
  if (sorted.length === 0) return null;

  return (
    <Stack gap="sm" component="section" aria-labelledby="versions-title">
      <div>
        <Title order={2} size="h3" id="versions-title">
          Versions ({sorted.length})
        </Title>
        <Text size="sm" c="dimmed">
          Every version stays on record, newest first: who wrote, approved and published each one.
        </Text>
      </div>
      <Table.ScrollContainer minWidth={720}>
        <Table verticalSpacing="xs" highlightOnHover>
          <Table.Thead>
            <Table.Tr>
              <Table.Th>Version</Table.Th>
              <Table.Th>Status</Table.Th>
              <Table.Th>Written by</Table.Th>
              <Table.Th>Approved by</Table.Th>
              <Table.Th>Published by</Table.Th>
              <Table.Th>
                <VisuallyHidden>Actions</VisuallyHidden>
              </Table.Th>
            </Table.Tr>
          </Table.Thead>
          <Table.Tbody>
            {sorted.map((v) => (
              <Table.Tr key={v.id}>
                <Table.Td>{v.number}</Table.Td>
                <Table.Td>
                  <VersionStatusBadge status={v.status} size="sm" />
                </Table.Td>
                <Table.Td>{who(v.author, v.createdAt)}</Table.Td>
                <Table.Td>{who(v.approvedBy, v.approvedAt)}</Table.Td>
                <Table.Td>{who(v.publishedBy, v.publishedAt)}</Table.Td>
                <Table.Td ta="right">
                  <Button
                    variant="subtle"
                    size="compact-sm"
                    onClick={() => setOpenId(v.id)}
                    aria-label={`Open version ${v.number}`}
                  >
                    Open
                  </Button>
                </Table.Td>
              </Table.Tr>
            ))}
          </Table.Tbody>
        </Table>
      </Table.ScrollContainer>
      <Modal
        opened={open !== null}
        onClose={() => setOpenId(null)}
        title={open ? `Version ${open.number}` : ''}
        size="xl"
      >
        {open ? <VersionView incidentId={incidentId} summary={open} /> : null}
      </Modal>
    </Stack>
  );
}

function VersionView({ incidentId, summary }: { incidentId: string; summary: VersionSummary }) {
  const version = useQuery(versionQuery(incidentId, summary.id));
  const [view, setView] = useState<'text' | 'preview'>('preview');
  const [locale, setLocale] = useState<SiteLocale>('en');

  if (version.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label={`Loading version ${summary.number}`} />
      </Center>
    );
  }
  if (version.error) return <ErrorAlert error={version.error} title="This version could not be read" />;
  const { content } = version.data;
  const locales = siteLocales.filter((l) => content.locales[l]);
  const shown = locales.includes(locale) ? locale : content.defaultLocale;

  return (
    <Stack gap="md">
      <Stack gap={4}>
        <VersionStatusBadge status={summary.status} />
        <Text size="sm" c="dimmed">
          Written by {summary.author} · last saved {formatDateTime(summary.updatedAt)}
          {summary.approvedBy ? ` · approved by ${summary.approvedBy}` : ''}
          {summary.publishedBy ? ` · published by ${summary.publishedBy}` : ''}
        </Text>
      </Stack>
      <SegmentedControl
        aria-label="Show the version as"
        value={view}
        onChange={(value) => setView(value as 'text' | 'preview')}
        data={[
          { value: 'preview', label: 'Page' },
          { value: 'text', label: 'Texts' },
        ]}
        style={{ alignSelf: 'flex-start' }}
      />
      {view === 'preview' ? (
        <NoticePreview
          incidentId={incidentId}
          versionId={summary.id}
          locales={locales}
          locale={shown}
          onLocaleChange={setLocale}
          revision={summary.updatedAt}
          height="70vh"
        />
      ) : (
        <NoticeEditor
          content={content}
          onChange={() => undefined}
          isReadOnly
          locale={shown}
          onLocaleChange={setLocale}
        />
      )}
    </Stack>
  );
}
