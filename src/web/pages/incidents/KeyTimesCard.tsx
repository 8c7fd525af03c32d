import { Box, Button, Group, Paper, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Fragment } from 'react';
import { keyTimeLabels, keyTimes } from '../../../shared/contracts/incidents.ts';
import type { IncidentDetail } from '../../api/types.ts';
import { formatDateTime } from '../../components/format.ts';
import { EditTimesModal } from './EditTimesModal.tsx';
import { keyTimeHints } from './incident-labels.ts';

const divider = { borderTop: '1px solid var(--mantine-color-gray-3)' };

export function KeyTimesCard({ incident, canEdit }: { incident: IncidentDetail; canEdit: boolean }) {
  const [isEditing, edit] = useDisclosure(false);
  return (
    <Paper withBorder p="md" component="section" aria-labelledby="incident-times-title">
      <Stack gap="sm">
        <Group justify="space-between">
          <Title order={2} size="h4" id="incident-times-title">
            Key times
          </Title>
          {canEdit ? (
            <Button size="xs" variant="default" onClick={edit.open}>
              Edit times
            </Button>
          ) : null}
        </Group>
        <Box
          component="dl"
          m={0}
          style={{
            display: 'grid',
            gridTemplateColumns: '1fr max-content',
            columnGap: 'var(--mantine-spacing-md)',
          }}
        >
          {keyTimes.map((key, i) => (
            <Fragment key={key}>
              <Box component="dt" py={6} style={i > 0 ? divider : undefined}>
                <Text size="sm" fw={key === 'awareAt' ? 700 : 500}>
                  {keyTimeLabels[key]}
                </Text>
                <Text size="xs" c="dimmed">
                  {keyTimeHints[key]}
                </Text>
              </Box>
              <Box component="dd" m={0} py={6} pl="md" ta="right" style={i > 0 ? divider : undefined}>
                <Text
                  size="sm"
                  c={incident.times[key] ? undefined : 'dimmed'}
                  style={{ whiteSpace: 'nowrap' }}
                >
                  {formatDateTime(incident.times[key], 'Not set')}
                </Text>
              </Box>
            </Fragment>
          ))}
        </Box>
      </Stack>
      {canEdit ? <EditTimesModal incident={incident} opened={isEditing} onClose={edit.close} /> : null}
    </Paper>
  );
}
