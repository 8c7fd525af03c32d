import {
  Badge,
  Breadcrumbs,
  Center,
  Group,
  Loader,
  Stack,
  Tabs,
  Text,
  Title,
  VisuallyHidden,
} from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import type { Permission } from '../../../shared/permissions.ts';
import { useActiveSession } from '../../components/ActiveSession.tsx';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { severityColors, severityLabels, statusColors, statusLabels } from './incident-labels.ts';
import { incidentQuery } from './incident-queries.ts';
import { StatusMenu } from './StatusMenu.tsx';

/** An incident's sections, each shown to the roles that may read it. */
const sections = [
  { value: 'overview', label: 'Overview', to: '/incidents/$incidentId', permission: 'incidents:read' },
  { value: 'people', label: 'People', to: '/incidents/$incidentId/people', permission: 'people:read' },
  {
    value: 'obligations',
    label: 'Obligations',
    to: '/incidents/$incidentId/obligations',
    permission: 'obligations:read',
  },
  {
    value: 'timeline',
    label: 'Timeline',
    to: '/incidents/$incidentId/timeline',
    permission: 'incidents:read',
  },
  { value: 'tasks', label: 'Tasks', to: '/incidents/$incidentId/tasks', permission: 'incidents:read' },
  {
    value: 'campaigns',
    label: 'Campaigns',
    to: '/incidents/$incidentId/campaigns',
    permission: 'campaigns:read',
  },
  {
    value: 'notice-site',
    label: 'Notice site',
    to: '/incidents/$incidentId/notice-site',
    permission: 'notice:read',
  },
] as const satisfies ReadonlyArray<{ value: string; label: string; to: string; permission: Permission }>;

export function IncidentLayout({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="incidents:read">
      <IncidentWorkspace incidentId={incidentId} />
    </RequirePermission>
  );
}

function IncidentWorkspace({ incidentId }: { incidentId: string }) {
  const session = useActiveSession();
  const incident = useQuery(incidentQuery(incidentId));
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const visible = sections.filter((s) => session.permissions.includes(s.permission));
  const segment = pathname.split('/')[3] || 'overview';
  const current = visible.find((s) => s.value === segment)?.value ?? null;
  const canWrite = session.permissions.includes('incidents:write');

  if (incident.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the incident" />
      </Center>
    );
  }
  if (incident.error) {
    return (
      <Stack gap="md">
        <ErrorAlert error={incident.error} title="This incident could not be opened" />
        <RouterAnchor to="/incidents">Back to all incidents</RouterAnchor>
      </Stack>
    );
  }
  const { title, awareAt, people, isDemo, status, severity } = incident.data;

  return (
    <Stack gap="lg">
      <Stack gap={6}>
        <Breadcrumbs>
          <RouterAnchor to="/incidents" size="sm">
            Incidents
          </RouterAnchor>
          <Text size="sm" c="dimmed" truncate="end" maw="40ch">
            {title}
          </Text>
        </Breadcrumbs>
        <Group gap="sm" align="center">
          <Title order={1}>{title}</Title>
          {isDemo ? (
            <Badge variant="light" color="grape">
              Demo, synthetic data
            </Badge>
          ) : null}
        </Group>
        <Group gap="xs" align="center">
          <Badge color={statusColors[status]} variant="filled">
            <VisuallyHidden>Status: </VisuallyHidden>
            {statusLabels[status]}
          </Badge>
          <Badge color={severityColors[severity]} variant="light">
            {severityLabels[severity]} severity
          </Badge>
          {canWrite ? <StatusMenu incident={incident.data} /> : null}
          <Text c="dimmed" size="sm" ml="xs">
            Aware since {formatDateTime(awareAt)} · {plural(people, 'person', 'people')} affected
          </Text>
        </Group>
      </Stack>
      <Tabs
        value={current}
        onChange={(value) => {
          const section = visible.find((s) => s.value === value);
          if (section) void navigate({ to: section.to, params: { incidentId } });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Incident sections">
          {visible.map((section) => (
            <Tabs.Tab key={section.value} value={section.value}>
              {section.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
      </Tabs>
      <Outlet />
    </Stack>
  );
}
