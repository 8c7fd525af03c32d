import type { Permission } from '../../shared/permissions.ts';
import type { Session } from '../api/types.ts';

export type ConsolePath =
  | '/incidents'
  | '/people'
  | '/obligations'
  | '/campaigns'
  | '/notice-site'
  | '/inbox'
  | '/audit'
  | '/settings';

export interface NavItem {
  label: string;
  to: ConsolePath;
  /** Needed to see the item; null when every signed-in user may. */
  permission: Permission | null;
}

/**
 * The console's sections, in the order of the response: incident first, audit and settings last. Readiness
 * and Insights join when their modules ship (an empty menu entry is a dead end).
 */
export const navItems: NavItem[] = [
  { label: 'Incidents', to: '/incidents', permission: 'incidents:read' },
  { label: 'People', to: '/people', permission: 'people:read' },
  { label: 'Deadlines', to: '/obligations', permission: 'obligations:read' },
  { label: 'Campaigns', to: '/campaigns', permission: 'campaigns:read' },
  { label: 'Notice site', to: '/notice-site', permission: 'notice:read' },
  { label: 'Inbox', to: '/inbox', permission: 'inbox:read' },
  { label: 'Audit log', to: '/audit', permission: 'audit:read' },
  // Everyone has Settings → Security (password, recovery codes, sign-outs).
  { label: 'Settings', to: '/settings', permission: null },
];

/**
 * An incident's People tab belongs to the People section, its Campaigns tab to Campaigns, its Notice
 * site to Notice site, the rest of the incident to Incidents.
 */
const sectionsInsideIncidents: Partial<Record<ConsolePath, RegExp>> = {
  '/people': /^\/incidents\/[^/]+\/people(\/|$)/,
  '/campaigns': /^\/incidents\/[^/]+\/campaigns(\/|$)/,
  '/notice-site': /^\/incidents\/[^/]+\/notice-site(\/|$)/,
};

export function isNavItemActive(item: NavItem, pathname: string): boolean {
  const inside = Object.entries(sectionsInsideIncidents).find(([, path]) => path.test(pathname));
  if (inside) return item.to === inside[0];
  return pathname === item.to || pathname.startsWith(`${item.to}/`);
}

export function visibleNavItems(session: Session): NavItem[] {
  return navItems.filter((item) => item.permission === null || session.permissions.includes(item.permission));
}

/** Where a user lands after signing in: the first section their role may see. */
export function homePath(session: Session): ConsolePath {
  return visibleNavItems(session)[0]?.to ?? '/settings';
}
