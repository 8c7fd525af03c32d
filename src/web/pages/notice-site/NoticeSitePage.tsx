import { Badge, Center, Loader, Stack, Tabs } from '@mantine/core';
import { useQuery } from '@tanstack/react-query';
import type { NoticeOverview } from '../../../shared/contracts/notice-site.ts';
import { ErrorAlert } from '../../components/ErrorAlert.tsx';
import { RequirePermission } from '../../components/RequirePermission.tsx';
import { ActivityPanel } from './ActivityPanel.tsx';
import { PendingVersion } from './PendingVersion.tsx';
import { SiteAddress } from './SiteAddress.tsx';
import { SiteOutbox } from './SiteOutbox.tsx';
import { StartDraft } from './StartDraft.tsx';
import { versionStatusColors, versionStatusLabels } from './site-labels.ts';
import { noticeQuery } from './site-queries.ts';
import { UpdatesSection } from './UpdatesSection.tsx';
import { VersionsList } from './VersionsList.tsx';

export const siteViews = ['notice', 'updates', 'activity', 'messages'] as const;
export type SiteView = (typeof siteViews)[number];

interface Props {
  incidentId: string;
  view: SiteView | undefined;
  onViewChange: (view: SiteView) => void;
  /** A message of the outbox opened by its id (a link from an inbox thread). */
  message?: number | undefined;
}

/** The incident's Notice site tab: the public notice, its updates, what visitors did, and what it sent. */
export function NoticeSitePage(props: Props) {
  return (
    <RequirePermission permission="notice:read">
      <NoticeSite {...props} />
    </RequirePermission>
  );
}

function NoticeSite({ incidentId, view = 'notice', onViewChange, message }: Props) {
  const notice = useQuery(noticeQuery(incidentId));
  if (notice.isPending) {
    return (
      <Center py="xl">
        <Loader aria-label="Loading the notice site" />
      </Center>
    );
  }
  if (notice.error) return <ErrorAlert error={notice.error} title="The notice site could not be loaded" />;
  const data = notice.data;
  const waiting = data.updates.filter((u) => u.status !== 'published').length;

  return (
    <Stack gap="lg">
      <SiteAddress incidentId={incidentId} notice={data} />
      <Tabs value={view} onChange={(value) => value && onViewChange(value as SiteView)} keepMounted={false}>
        <Tabs.List aria-label="Notice site sections">
          <Tabs.Tab
            value="notice"
            rightSection={
              data.pending ? (
                <Badge size="xs" variant="light" color={versionStatusColors[data.pending.status]} tt="none">
                  {versionStatusLabels[data.pending.status]}
                </Badge>
              ) : null
            }
          >
            Notice
          </Tabs.Tab>
          <Tabs.Tab
            value="updates"
            rightSection={
              waiting > 0 ? (
                <Badge
                  size="xs"
                  variant="light"
                  color="orange"
                  circle
                  aria-label={`${waiting} not published`}
                >
                  {waiting}
                </Badge>
              ) : null
            }
          >
            Updates
          </Tabs.Tab>
          <Tabs.Tab value="activity">Activity</Tabs.Tab>
          <Tabs.Tab value="messages">Messages the site sent</Tabs.Tab>
        </Tabs.List>
        <Tabs.Panel value="notice" pt="lg">
          <NoticeTab incidentId={incidentId} notice={data} />
        </Tabs.Panel>
        <Tabs.Panel value="updates" pt="lg">
          <UpdatesSection
            incidentId={incidentId}
            updates={data.updates}
            hasPublished={data.published !== null}
          />
        </Tabs.Panel>
        <Tabs.Panel value="activity" pt="lg">
          <ActivityPanel incidentId={incidentId} />
        </Tabs.Panel>
        <Tabs.Panel value="messages" pt="lg">
          <SiteOutbox
            incidentId={incidentId}
            focusMessage={message ?? null}
            onShowAll={() => onViewChange('messages')}
          />
        </Tabs.Panel>
      </Tabs>
    </Stack>
  );
}

function NoticeTab({ incidentId, notice }: { incidentId: string; notice: NoticeOverview }) {
  return (
    <Stack gap="xl">
      {notice.pending ? (
        <PendingVersion
          key={notice.pending.id}
          incidentId={incidentId}
          notice={notice}
          version={notice.pending}
        />
      ) : (
        <StartDraft incidentId={incidentId} notice={notice} />
      )}
      <VersionsList incidentId={incidentId} versions={notice.versions} />
    </Stack>
  );
}
