import { Alert, Text } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { useMemo } from 'react';
import { checkNoticeText } from '../../../shared/consistency/notice-parts.ts';
import type { NoticeContentInput } from '../../../shared/contracts/notice-site.ts';
import { ConsistencyList } from '../../components/ConsistencyList.tsx';
import { exposureOf, exposureQuery } from './exposure-query.ts';

/**
 * The consistency check as comms types: the same code legal's approval runs on the server, over the text
 * being edited (saved or not), against the incident's measured exposure and the company's wording settings.
 */
export function LiveConsistency({
  incidentId,
  content,
}: {
  incidentId: string;
  content: NoticeContentInput;
}) {
  const exposure = useQuery(exposureQuery(incidentId));
  const warnings = useMemo(
    () =>
      exposure.data
        ? checkNoticeText(content.locales, exposureOf(exposure.data), exposure.data.settings)
        : [],
    [exposure.data, content.locales],
  );
  if (!exposure.data) return null;
  if (exposure.data.source === 'none') {
    return (
      <Text size="xs" c="dimmed">
        No exposure is known yet (nobody imported, no categories entered on the incident): the texts cannot be
        checked against the data.
      </Text>
    );
  }
  if (warnings.length === 0) {
    return (
      <Text size="xs" c="teal.8" role="status">
        Consistent with the data: no sentence denies what was exposed, and every category exposed for more
        than {Math.round(exposure.data.settings.threshold * 100)}% of people is named.
      </Text>
    );
  }
  return (
    <Alert
      color="red"
      variant="light"
      p="xs"
      title={`The texts disagree with the data (${warnings.length})`}
      role="status"
    >
      <ConsistencyList warnings={warnings} />
      <Text size="xs" c="dimmed" mt={6}>
        Legal sees these when approving. A phrase the check does not know can be added in Settings → Notice
        wording.
      </Text>
    </Alert>
  );
}
