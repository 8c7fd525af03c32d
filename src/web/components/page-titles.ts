import { settingsTabs } from '../pages/settings/settings-tabs.ts';
import { isNavItemActive, navItems } from './navigation.ts';

/**
 * Each console page's document title (what a tab, the history list and a screen reader announce first),
 * by its route path. A route missing here falls back to its section's name.
 */
const titles: Record<string, string> = {
  '/setup': 'Set up your account',
  '/sign-in': 'Sign in',
  '/enroll': 'Set up your authenticator app',
  '/incidents': 'Incidents',
  '/people': 'People',
  '/incidents/$incidentId': 'Incident overview',
  '/incidents/$incidentId/people': 'People affected',
  '/incidents/$incidentId/obligations': 'Obligations and deadlines',
  '/incidents/$incidentId/timeline': 'Incident timeline',
  '/incidents/$incidentId/tasks': 'Incident tasks',
  '/incidents/$incidentId/campaigns': 'Notice campaigns',
  '/incidents/$incidentId/campaigns/new': 'New notice campaign',
  '/incidents/$incidentId/campaigns/$campaignId': 'Notice campaign',
  '/incidents/$incidentId/campaigns/$campaignId/edit': 'Edit notice campaign',
  '/incidents/$incidentId/notice-site': 'Notice site',
  '/obligations': 'Deadlines',
  '/campaigns': 'Campaigns',
  '/notice-site': 'Notice sites',
  '/inbox': 'Inbox',
  '/inbox/settings': 'Inbox settings',
  '/inbox/$threadId': 'Inbox thread',
  '/audit': 'Audit log',
  ...Object.fromEntries(settingsTabs.map((tab) => [tab.to, `${tab.label} · Settings`])),
};

export function pageTitle(routePath: string | undefined, pathname: string, isNotFound: boolean): string {
  if (isNotFound) return 'Page not found · Candor';
  const key = routePath && routePath !== '/' ? routePath.replace(/\/$/, '') : routePath;
  const title =
    (key && titles[key]) ??
    navItems.find((item) => isNavItemActive(item, pathname))?.label ??
    'Staff console';
  return `${title} · Candor`;
}
