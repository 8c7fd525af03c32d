// Longer than ~400 lines on purpose: the console's one route table (TanStack Router's tree must be built in
// one place to be typed); each route is a few lines that hand over to its page.
import type { QueryClient } from '@tanstack/react-query';
import {
  createRootRouteWithContext,
  createRoute,
  createRouter,
  Outlet,
  redirect,
} from '@tanstack/react-router';
import type { ReactNode } from 'react';
import { sessionQuery } from './api/session.ts';
import type { Session } from './api/types.ts';
import { RequireActiveSession } from './components/ActiveSession.tsx';
import { ConsoleShell } from './components/ConsoleShell.tsx';
import { DocumentTitle } from './components/DocumentTitle.tsx';
import { homePath } from './components/navigation.ts';
import { ReauthModal } from './components/ReauthModal.tsx';
import { AuditLogPage } from './pages/audit/AuditLogPage.tsx';
import { EditCampaignPage, NewCampaignPage } from './pages/campaigns/CampaignEditorPage.tsx';
import { CampaignPage, type CampaignTab, campaignTabs } from './pages/campaigns/CampaignPage.tsx';
import { CampaignsIndexPage } from './pages/campaigns/CampaignsIndexPage.tsx';
import { IncidentCampaignsPage } from './pages/campaigns/IncidentCampaignsPage.tsx';
import { EnrollPage } from './pages/enroll/EnrollPage.tsx';
import { InboxPage } from './pages/inbox/InboxPage.tsx';
import { inboxSearch, parseInboxFilters } from './pages/inbox/inbox-filters.ts';
import {
  InboxSettingsPage,
  type InboxSettingsTab,
  inboxSettingsTabs,
} from './pages/inbox/settings/InboxSettingsPage.tsx';
import { ThreadPage } from './pages/inbox/ThreadPage.tsx';
import { IncidentLayout } from './pages/incidents/IncidentLayout.tsx';
import { IncidentsPage } from './pages/incidents/IncidentsPage.tsx';
import { OverviewPage } from './pages/incidents/OverviewPage.tsx';
import { PeopleIndexPage } from './pages/incidents/PeopleIndexPage.tsx';
import { TasksPage } from './pages/incidents/TasksPage.tsx';
import { TimelinePage } from './pages/incidents/TimelinePage.tsx';
import { NotFoundPage } from './pages/NotFoundPage.tsx';
import { NoticeSiteIndexPage } from './pages/notice-site/NoticeSiteIndexPage.tsx';
import { NoticeSitePage, type SiteView, siteViews } from './pages/notice-site/NoticeSitePage.tsx';
import { DeadlinesPage } from './pages/obligations/DeadlinesPage.tsx';
import { ObligationsPage } from './pages/obligations/ObligationsPage.tsx';
import { PeopleListPage } from './pages/people/PeopleListPage.tsx';
import { PeoplePage } from './pages/people/PeoplePage.tsx';
import { parsePeopleListFilters, peopleListSearch } from './pages/people/people-list-filters.ts';
import { BrandingPage } from './pages/settings/branding/BrandingPage.tsx';
import { CompanyProfilePage } from './pages/settings/company/CompanyProfilePage.tsx';
import { KeysPage } from './pages/settings/keys/KeysPage.tsx';
import { SettingsLayout } from './pages/settings/SettingsLayout.tsx';
import { SecurityPage } from './pages/settings/security/SecurityPage.tsx';
import { visibleSettingsTabs } from './pages/settings/settings-tabs.ts';
import { TokensPage } from './pages/settings/tokens/TokensPage.tsx';
import { UsersPage } from './pages/settings/users/UsersPage.tsx';
import { NoticeWordingPage } from './pages/settings/wording/NoticeWordingPage.tsx';
import { SetupPage } from './pages/setup/SetupPage.tsx';
import { SignInPage } from './pages/sign-in/SignInPage.tsx';

export interface RouterContext {
  queryClient: QueryClient;
}

/** The session for redirects that depend on the role; null when it cannot be read (the guard then says why). */
async function currentSession(queryClient: QueryClient): Promise<Session | null> {
  return queryClient.ensureQueryData(sessionQuery).catch(() => null);
}

export const rootRoute = createRootRouteWithContext<RouterContext>()({
  component: () => (
    <>
      <DocumentTitle />
      <Outlet />
      <ReauthModal />
    </>
  ),
  notFoundComponent: NotFoundPage,
});

const setupRoute = createRoute({ getParentRoute: () => rootRoute, path: '/setup', component: SetupPage });

/**
 * Only paths on this site, so a crafted link cannot send someone elsewhere after they sign in ("//host" and
 * "/\host" are other sites to a browser).
 */
function safeRedirect(value: unknown): string | undefined {
  const isLocal = typeof value === 'string' && /^\/(?![/\\])/.test(value);
  return isLocal && !value.startsWith('/sign-in') ? value : undefined;
}

const signInRoute = createRoute({
  getParentRoute: () => rootRoute,
  path: '/sign-in',
  validateSearch: (search: Record<string, unknown>): { redirect?: string | undefined } => ({
    redirect: safeRedirect(search.redirect),
  }),
  component: function SignInRoute() {
    const { redirect: to } = signInRoute.useSearch();
    return <SignInPage redirect={to} />;
  },
});

const enrollRoute = createRoute({ getParentRoute: () => rootRoute, path: '/enroll', component: EnrollPage });

export const consoleRoute = createRoute({
  getParentRoute: () => rootRoute,
  id: 'console',
  component: () => (
    <RequireActiveSession>
      <ConsoleShell />
    </RequireActiveSession>
  ),
});

const indexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    const session = await currentSession(context.queryClient);
    throw redirect({ to: session ? homePath(session) : '/incidents', replace: true });
  },
});

const incidentsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/incidents',
  component: IncidentsPage,
});

/** The People section: affected people belong to an incident, so this picks one. */
const peopleIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/people',
  component: PeopleIndexPage,
});

/** An incident's workspace: its header and section tabs around the section shown. */
const incidentRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/incidents/$incidentId',
  component: function IncidentRoute() {
    const { incidentId } = incidentRoute.useParams();
    return <IncidentLayout key={incidentId} incidentId={incidentId} />;
  },
});

/** The workspace opens on the overview: details, key times, owners and timings. */
const incidentOverviewRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/',
  component: function IncidentOverviewRoute() {
    const { incidentId } = incidentOverviewRoute.useParams();
    return <OverviewPage incidentId={incidentId} />;
  },
});

const incidentPeopleRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/people',
  component: function IncidentPeopleRoute() {
    const { incidentId } = incidentPeopleRoute.useParams();
    return <PeoplePage key={incidentId} incidentId={incidentId} />;
  },
});

/** Every affected person, a page at a time; the filters live in the address (no personal data). */
const incidentPeopleListRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/people/list',
  validateSearch: (search: Record<string, unknown>) => peopleListSearch(parsePeopleListFilters(search)),
  component: function IncidentPeopleListRoute() {
    const { incidentId } = incidentPeopleListRoute.useParams();
    const search = incidentPeopleListRoute.useSearch();
    const navigate = incidentPeopleListRoute.useNavigate();
    return (
      <PeopleListPage
        key={incidentId}
        incidentId={incidentId}
        filters={parsePeopleListFilters(search)}
        onFiltersChange={(next) => void navigate({ search: peopleListSearch(next), replace: true })}
      />
    );
  },
});

const incidentObligationsRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/obligations',
  component: function IncidentObligationsRoute() {
    const { incidentId } = incidentObligationsRoute.useParams();
    return <ObligationsPage key={incidentId} incidentId={incidentId} />;
  },
});

const incidentTimelineRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/timeline',
  component: function IncidentTimelineRoute() {
    const { incidentId } = incidentTimelineRoute.useParams();
    return <TimelinePage key={incidentId} incidentId={incidentId} />;
  },
});

const incidentTasksRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/tasks',
  component: function IncidentTasksRoute() {
    const { incidentId } = incidentTasksRoute.useParams();
    return <TasksPage key={incidentId} incidentId={incidentId} />;
  },
});

/** The incident's Campaigns tab. */
const incidentCampaignsRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/campaigns',
  component: function IncidentCampaignsRoute() {
    const { incidentId } = incidentCampaignsRoute.useParams();
    return <IncidentCampaignsPage key={incidentId} incidentId={incidentId} />;
  },
});

const newCampaignRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/campaigns/new',
  component: function NewCampaignRoute() {
    const { incidentId } = newCampaignRoute.useParams();
    return <NewCampaignPage key={incidentId} incidentId={incidentId} />;
  },
});

/** One campaign: approval, preview, progress and outbox, each a tab named in the address. */
const campaignRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/campaigns/$campaignId',
  validateSearch: (search: Record<string, unknown>): { tab?: CampaignTab | undefined } => ({
    tab: campaignTabs.find((tab) => tab === search.tab),
  }),
  component: function CampaignRoute() {
    const { incidentId, campaignId } = campaignRoute.useParams();
    const { tab } = campaignRoute.useSearch();
    const navigate = campaignRoute.useNavigate();
    return (
      <CampaignPage
        key={campaignId}
        incidentId={incidentId}
        campaignId={campaignId}
        tab={tab}
        onTabChange={(next) => void navigate({ search: { tab: next }, replace: true })}
      />
    );
  },
});

const editCampaignRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/campaigns/$campaignId/edit',
  component: function EditCampaignRoute() {
    const { incidentId, campaignId } = editCampaignRoute.useParams();
    return <EditCampaignPage key={campaignId} incidentId={incidentId} campaignId={campaignId} />;
  },
});

/** The incident's public notice site: the notice, updates, activity and messages, each a view in the address. */
const incidentSiteRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/notice-site',
  validateSearch: (
    search: Record<string, unknown>,
  ): { view?: SiteView | undefined; message?: number | undefined } => ({
    view: siteViews.find((view) => view === search.view),
    // An outbox message by its id (links from inbox threads carry ids, never addresses).
    message:
      Number.isSafeInteger(Number(search.message)) && Number(search.message) > 0
        ? Number(search.message)
        : undefined,
  }),
  component: function IncidentSiteRoute() {
    const { incidentId } = incidentSiteRoute.useParams();
    const { view, message } = incidentSiteRoute.useSearch();
    const navigate = incidentSiteRoute.useNavigate();
    return (
      <NoticeSitePage
        key={incidentId}
        incidentId={incidentId}
        view={view}
        message={message}
        onViewChange={(next) => void navigate({ search: { view: next }, replace: true })}
      />
    );
  },
});

/** The Notice site section: each incident has its own; with a single incident, its Notice site tab. */
const noticeIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/notice-site',
  component: NoticeSiteIndexPage,
});

/**
 * The addresses these pages had before the console took one vocabulary (issue 15): bookmarks and links in
 * old emails keep working, landing on the same view.
 */
const oldIncidentSiteRoute = createRoute({
  getParentRoute: () => incidentRoute,
  path: '/site',
  beforeLoad: ({ params, search }) => {
    throw redirect({
      to: '/incidents/$incidentId/notice-site',
      params,
      search: search as Record<string, unknown>,
      replace: true,
    });
  },
});
const oldNoticeIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/notice',
  beforeLoad: () => {
    throw redirect({ to: '/notice-site', replace: true });
  },
});

/** Campaigns across incidents; with a single incident, its Campaigns tab. */
const campaignsIndexRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/campaigns',
  component: CampaignsIndexPage,
});

/** The support inbox; its filters live in the address, so going back from a thread finds the same list. */
const inboxRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/inbox',
  validateSearch: (search: Record<string, unknown>) => inboxSearch(parseInboxFilters(search)),
  component: function InboxRoute() {
    const search = inboxRoute.useSearch();
    const navigate = inboxRoute.useNavigate();
    return (
      <InboxPage
        filters={parseInboxFilters(search)}
        onFiltersChange={(next) => void navigate({ search: inboxSearch(next), replace: true })}
      />
    );
  },
});

/** Macros, topic rules and first-response targets. */
const inboxSettingsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/inbox/settings',
  validateSearch: (search: Record<string, unknown>): { tab?: InboxSettingsTab | undefined } => ({
    tab: inboxSettingsTabs.find((tab) => tab === search.tab),
  }),
  component: function InboxSettingsRoute() {
    const { tab } = inboxSettingsRoute.useSearch();
    const navigate = inboxSettingsRoute.useNavigate();
    return (
      <InboxSettingsPage
        tab={tab}
        onTabChange={(next) => void navigate({ search: { tab: next }, replace: true })}
      />
    );
  },
});

const threadRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/inbox/$threadId',
  component: function ThreadRoute() {
    const { threadId } = threadRoute.useParams();
    return <ThreadPage key={threadId} threadId={threadId} />;
  },
});

/** Open obligations across incidents, soonest first, and the alerts raised as they near. */
const deadlinesRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/obligations',
  component: DeadlinesPage,
});

const auditRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/audit',
  component: AuditLogPage,
});

const settingsRoute = createRoute({
  getParentRoute: () => consoleRoute,
  path: '/settings',
  component: SettingsLayout,
});

const settingsIndexRoute = createRoute({
  getParentRoute: () => settingsRoute,
  path: '/',
  beforeLoad: async ({ context }) => {
    const session = await currentSession(context.queryClient);
    const first = session ? visibleSettingsTabs(session)[0]?.to : undefined;
    throw redirect({ to: first ?? '/settings/security', replace: true });
  },
});

function settingsPage<const TPath extends string>(path: TPath, component: () => ReactNode) {
  return createRoute({ getParentRoute: () => settingsRoute, path, component });
}

const routeTree = rootRoute.addChildren([
  setupRoute,
  signInRoute,
  enrollRoute,
  consoleRoute.addChildren([
    indexRoute,
    incidentsRoute,
    incidentRoute.addChildren([
      incidentOverviewRoute,
      incidentPeopleRoute,
      incidentPeopleListRoute,
      incidentObligationsRoute,
      incidentTimelineRoute,
      incidentTasksRoute,
      incidentCampaignsRoute,
      newCampaignRoute,
      campaignRoute,
      editCampaignRoute,
      incidentSiteRoute,
      oldIncidentSiteRoute,
    ]),
    peopleIndexRoute,
    deadlinesRoute,
    campaignsIndexRoute,
    noticeIndexRoute,
    oldNoticeIndexRoute,
    inboxRoute,
    inboxSettingsRoute,
    threadRoute,
    auditRoute,
    settingsRoute.addChildren([
      settingsIndexRoute,
      settingsPage('/users', UsersPage),
      settingsPage('/company', CompanyProfilePage),
      settingsPage('/branding', BrandingPage),
      settingsPage('/wording', NoticeWordingPage),
      settingsPage('/tokens', TokensPage),
      settingsPage('/security', SecurityPage),
      settingsPage('/keys', KeysPage),
    ]),
  ]),
]);

export function createAppRouter(queryClient: QueryClient) {
  return createRouter({
    routeTree,
    context: { queryClient },
    defaultPreload: false,
    scrollRestoration: true,
  });
}

declare module '@tanstack/react-router' {
  interface Register {
    router: ReturnType<typeof createAppRouter>;
  }
}
