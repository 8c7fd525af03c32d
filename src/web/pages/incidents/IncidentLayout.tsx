import { Badge, Breadcrumbs, Center, Group, Loader, Stack, Tabs, Text, Title } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import { Outlet, useLocation, useNavigate } from '@tanstack/react-router';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { formatDateTime, plural } from '../../components/format.ts';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { RouterAnchor } from '../../components/RouterLinks.tsx';
import { incidentQuery } from './incident-queries.ts';

/** An incident's sections. Later issues add timeline, obligations, notices… */
const sections = [{ value: 'people', label: 'People', to: '/incidents/$incidentId/people' }] as const;

export function IncidentLayout({ incidentId }: { incidentId: string }) {
  return (
    <RequirePermission permission="incidents:read">
      <IncidentWorkspace incidentId={incidentId} />
    </RequirePermission>
  );
}

function IncidentWorkspace({ incidentId }: { incidentId: string }) {
  const incident = useQuery(incidentQuery(incidentId));
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const current = sections.find((s) => pathname.split('/')[3] === s.value)?.value ?? null;

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
  const { title, awareAt, people, isDemo, description } = incident.data;

  return (
    <Stack gap="lg">
      <Stack gap={4}>
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
        <Text c="dimmed" size="sm">
          Aware since {formatDateTime(awareAt)} · {plural(people, 'person', 'people')} affected
        </Text>
        {description ? (
          <Text size="sm" lineClamp={2} maw={900}>
            {description}
          </Text>
        ) : null}
      </Stack>
      <Tabs
        value={current}
        onChange={(value) => {
          const section = sections.find((s) => s.value === value);
          if (section) void navigate({ to: section.to, params: { incidentId } });
        }}
        keepMounted={false}
      >
        <Tabs.List aria-label="Incident sections">
          {sections.map((section) => (
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
