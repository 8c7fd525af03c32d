import { Badge, Center, Group, Loader, Paper, Stack, Table, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { ObligationAlert, UpcomingObligation } from '../../api/types.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatCount, formatDateTime } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { Countdown } from './Countdown.tsx';
import { Disclaimer } from './Disclaimer.tsx';
import {
  alertLevelColors,
  alertLevelLabels,
  confidenceColors,
  confidenceLabels,
  kindLabels,
  obligationTitle,
} from './obligation-labels.ts';
import { alertsQuery, upcomingQuery } from './obligation-queries.ts';

/** Every open obligation across active incidents, soonest first, with the alerts raised as they near. */
export function DeadlinesPage() {
  return (
    <Stack gap="lg">
      <div>
        <Title order={1}>Deadlines</Title>
        <Text c="dimmed" size="sm">
          Open legal notices across all active incidents, soonest due first. Alerts are raised 72 and 24 hours
          before a deadline and when it passes.
        </Text>
      </div>
      <RequirePermission permission="obligations:read">
        <Deadlines />
      </RequirePermission>
    </Stack>
  );
}

function Deadlines() {
  const upcoming = useQuery(upcomingQuery);
  const alerts = useQuery(alertsQuery);
  const list = upcoming.data?.obligations ?? [];

  return (
    <>
      <Disclaimer text={upcoming.data?.disclaimer} />
      <Alerts alerts={alerts.data?.alerts} error={alerts.error} isPending={alerts.isPending} />
      <Stack gap="sm" component="section" aria-labelledby="upcoming-title">
        <Title order={2} size="h3" id="upcoming-title">
          Upcoming{upcoming.data ? ` (${list.length})` : ''}
        </Title>
        {upcoming.isPending ? (
          <Center py="xl">
            <Loader aria-label="Loading deadlines" />
          </Center>
        ) : upcoming.error ? (
          <ErrorAlert error={upcoming.error} title="The deadlines could not be loaded" />
        ) : list.length === 0 ? (
          <Text c="dimmed">No open obligation in any active incident.</Text>
        ) : (
          <UpcomingTable obligations={list} />
        )}
      </Stack>
    </>
  );
}

function UpcomingTable({ obligations }: { obligations: UpcomingObligation[] }) {
  return (
    <Table.ScrollContainer minWidth={880}>
      <Table verticalSpacing="sm" highlightOnHover aria-label="Upcoming deadlines">
        <Table.Thead>
          <Table.Tr>
            <Table.Th scope="col">Time left</Table.Th>
            <Table.Th scope="col">Obligation</Table.Th>
            <Table.Th scope="col">Incident</Table.Th>
            <Table.Th scope="col" ta="right">
              Affected
            </Table.Th>
            <Table.Th scope="col">Basis</Table.Th>
          </Table.Tr>
        </Table.Thead>
        <Table.Tbody>
          {obligations.map((o) => (
            <Table.Tr key={`${o.incidentId}:${o.key}`}>
              <Table.Td miw={150}>
                {o.dueAt ? <Countdown dueAt={o.dueAt} /> : <Text size="sm">No due date</Text>}
                <Text size="xs" c="dimmed" style={{ whiteSpace: 'nowrap' }}>
                  {formatDateTime(o.dueAt, '')}
                </Text>
              </Table.Td>
              <Table.Td>
                <Text size="sm" fw={600}>
                  {o.regimeName}
                </Text>
                <Text size="xs" c="dimmed">
                  {kindLabels[o.kind]} · to {o.body}
                </Text>
              </Table.Td>
              <Table.Td maw={220}>
                <RouterAnchor
                  to="/incidents/$incidentId/obligations"
                  params={{ incidentId: o.incidentId }}
                  size="sm"
                  lineClamp={2}
                >
                  {o.incidentTitle}
                </RouterAnchor>
              </Table.Td>
              <Table.Td ta="right" style={{ fontVariantNumeric: 'tabular-nums' }}>
                {formatCount(o.affected)}
              </Table.Td>
              <Table.Td miw={190}>
                <Group gap={4}>
                  {o.deadlineIsPolicy ? (
                    <Badge size="sm" color="violet" variant="light" tt="none">
                      Policy target
                    </Badge>
                  ) : null}
                  {o.deadlineEstimated ? (
                    <Badge size="sm" color="orange" variant="light" tt="none">
                      Estimated
                    </Badge>
                  ) : null}
                  <Badge size="sm" color={confidenceColors[o.confidence]} variant="dot" tt="none">
                    {confidenceLabels[o.confidence]}
                  </Badge>
                </Group>
              </Table.Td>
            </Table.Tr>
          ))}
        </Table.Tbody>
      </Table>
    </Table.ScrollContainer>
  );
}

function Alerts({
  alerts,
  error,
  isPending,
}: {
  alerts: ObligationAlert[] | undefined;
  error: unknown;
  isPending: boolean;
}) {
  const titleOf = (alert: ObligationAlert) => {
    if (alert.regimeName && alert.kind)
      return obligationTitle({ regimeName: alert.regimeName, kind: alert.kind });
    return alert.obligationKey;
  };
  return (
    <Stack gap="sm" component="section" aria-labelledby="alerts-title">
      <Title order={2} size="h3" id="alerts-title">
        Recent alerts{alerts ? ` (${alerts.length})` : ''}
      </Title>
      {isPending ? (
        <Loader size="sm" aria-label="Loading alerts" />
      ) : error ? (
        <ErrorAlert error={error} title="The alerts could not be loaded" />
      ) : !alerts || alerts.length === 0 ? (
        <Text c="dimmed" size="sm">
          No alerts: no open obligation is due within 72 hours or overdue.
        </Text>
      ) : (
        <Stack gap={6} component="ul" p={0} m={0} style={{ listStyle: 'none' }}>
          {[...alerts]
            .sort((a, b) => b.raisedAt.localeCompare(a.raisedAt))
            .map((alert) => (
              <Paper
                key={`${alert.incidentId}:${alert.obligationKey}:${alert.level}`}
                component="li"
                withBorder
                px="md"
                py="xs"
                style={{
                  borderLeft: `4px solid var(--mantine-color-${alertLevelColors[alert.level]}-filled)`,
                }}
              >
                <Group gap="sm" wrap="nowrap" align="center">
                  <Badge color={alertLevelColors[alert.level]} variant="light" style={{ flexShrink: 0 }}>
                    {alertLevelLabels[alert.level]}
                  </Badge>
                  <div style={{ minWidth: 0 }}>
                    <Text size="sm" fw={500}>
                      {titleOf(alert)}
                    </Text>
                    <Text size="xs" c="dimmed">
                      <RouterAnchor
                        to="/incidents/$incidentId/obligations"
                        params={{ incidentId: alert.incidentId }}
                        size="xs"
                        underline="always"
                      >
                        {alert.incidentTitle}
                      </RouterAnchor>{' '}
                      · due {formatDateTime(alert.dueAt)} · raised {formatDateTime(alert.raisedAt)}
                    </Text>
                  </div>
                </Group>
              </Paper>
            ))}
        </Stack>
      )}
    </Stack>
  );
}
