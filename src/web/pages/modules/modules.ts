import type { Permission } from '../../../shared/permissions.ts';

export interface ModuleInfo {
  title: string;
  permission: Permission;
  /** What the section will hold, for the empty state until it ships. */
  description: string;
  emptyTitle: string;
}

export const modules = {
  readiness: {
    title: 'Readiness',
    permission: 'readiness:read',
    emptyTitle: 'No response plan yet',
    description:
      'Prepare before a breach: a response-plan playbook, tabletop exercises to rehearse it, prevention ' +
      'controls and a readiness score that shows the gaps. Readiness arrives in a later release.',
  },
  insights: {
    title: 'Insights',
    permission: 'insights:read',
    emptyTitle: 'Nothing to measure yet',
    description:
      'See whether trust held: response timings against benchmarks, the notification funnel from sent to ' +
      'acted on, inquiry volumes, feedback and churn. Insights fill in as incidents and campaigns run.',
  },
} satisfies Record<string, ModuleInfo>;

export type ModuleId = keyof typeof modules;
