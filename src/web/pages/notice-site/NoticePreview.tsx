import { Box, Group, SegmentedControl, Stack, Text, Title } from '@mantine/core';
import { useId } from 'react';
import type { SiteLocale } from '../../../shared/contracts/notice-site.ts';
import { localeLabels } from './site-labels.ts';
import { previewUrl } from './site-queries.ts';

interface Props {
  incidentId: string;
  versionId: string;
  locales: SiteLocale[];
  locale: SiteLocale;
  onLocaleChange: (locale: SiteLocale) => void;
  /** Changes when the version is saved, so the frame loads the page again. */
  revision: string;
  note?: string;
  height?: number | string;
}

/**
 * The public page of a version as the server renders it. `sandbox=""` runs no script and gives the page an
 * opaque origin, so even a hostile text cannot reach the console or its session.
 */
export function NoticePreview({
  incidentId,
  versionId,
  locales,
  locale,
  onLocaleChange,
  revision,
  note,
  height = 720,
}: Props) {
  const titleId = useId();
  const shown = locales.includes(locale) ? locale : (locales[0] ?? 'en');
  return (
    <Stack gap="xs" component="section" aria-labelledby={titleId}>
      <Group justify="space-between" align="center" gap="xs">
        <Title order={3} size="h5" id={titleId}>
          Preview
        </Title>
        {locales.length > 1 ? (
          <SegmentedControl
            size="xs"
            aria-label="Language of the preview"
            value={shown}
            onChange={(value) => onLocaleChange(value as SiteLocale)}
            data={locales.map((l) => ({ value: l, label: localeLabels[l] }))}
          />
        ) : null}
      </Group>
      {note ? (
        <Text size="xs" c="dimmed">
          {note}
        </Text>
      ) : null}
      <Box
        key={`${versionId}/${shown}/${revision}`}
        component="iframe"
        sandbox=""
        title="Preview"
        src={previewUrl(incidentId, versionId, shown)}
        referrerPolicy="no-referrer"
        w="100%"
        h={height}
        bg="white"
        style={{
          border: '1px solid var(--mantine-color-gray-3)',
          borderRadius: 'var(--mantine-radius-sm)',
          resize: 'vertical',
          display: 'block',
        }}
      />
    </Stack>
  );
}
