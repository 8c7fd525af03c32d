import type {
  EntityKind,
  IncidentStatus,
  incidentCauses,
  incidentSeverities,
  KeyTime,
  taskStatuses,
} from '../../../shared/contracts/incidents.ts';

/** Words and colours for the incident vocabulary. Typed by the contract, so a new value cannot go unlabelled. */
export const statusLabels: Record<IncidentStatus, string> = {
  suspected: 'Suspected',
  investigating: 'Investigating',
  confirmed: 'Confirmed',
  contained: 'Contained',
  notifying: 'Notifying',
  monitoring: 'Monitoring',
  closed: 'Closed',
};

export const statusColors: Record<IncidentStatus, string> = {
  suspected: 'yellow',
  investigating: 'orange',
  confirmed: 'red',
  contained: 'blue',
  notifying: 'violet',
  monitoring: 'teal',
  closed: 'gray',
};

/** What moving to a status means, shown in the "Move to…" menu. */
export const statusHints: Record<IncidentStatus, string> = {
  suspected: 'Not yet confirmed to be a breach',
  investigating: 'Working out what happened',
  confirmed: 'Personal data was affected',
  contained: 'The leak is stopped; sets the containment time if unset',
  notifying: 'Notices are going out',
  monitoring: 'Notices sent; watching for follow-ups',
  closed: 'Response finished; sets the close time',
};

type Severity = (typeof incidentSeverities)[number];
export const severityLabels: Record<Severity, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  critical: 'Critical',
};
export const severityColors: Record<Severity, string> = {
  low: 'teal',
  medium: 'yellow',
  high: 'orange',
  critical: 'red',
};

type Cause = (typeof incidentCauses)[number];
export const causeLabels: Record<Cause, string> = {
  phishing: 'Phishing',
  misconfiguration: 'Misconfiguration',
  ransomware: 'Ransomware',
  malware: 'Malware',
  credential_stuffing: 'Credential stuffing',
  vendor: 'Vendor or processor',
  insider: 'Insider',
  lost_device: 'Lost or stolen device',
  other: 'Other',
};

export const entityLabels: Record<EntityKind, string> = {
  hipaa: 'HIPAA covered entity or business associate',
  sec: 'SEC registrant (public company)',
  nydfs: 'Regulated by the New York DFS',
  ftc_safeguards: 'Financial institution under the FTC Safeguards Rule',
};

/** Short names, for badges. */
export const entityShortLabels: Record<EntityKind, string> = {
  hipaa: 'HIPAA',
  sec: 'SEC',
  nydfs: 'NYDFS',
  ftc_safeguards: 'FTC Safeguards',
};

type TaskStatus = (typeof taskStatuses)[number];
export const taskStatusLabels: Record<TaskStatus, string> = {
  open: 'Open',
  in_progress: 'In progress',
  done: 'Done',
  cancelled: 'Cancelled',
};
export const taskStatusColors: Record<TaskStatus, string> = {
  open: 'blue',
  in_progress: 'orange',
  done: 'green',
  cancelled: 'gray',
};

/** Timeline kinds: the server may add kinds later, so unknown ones get a neutral badge. */
const timelineKinds: Record<string, { label: string; color: string; symbol: string }> = {
  created: { label: 'Created', color: 'blue', symbol: '✦' },
  note: { label: 'Note', color: 'gray', symbol: '✎' },
  status: { label: 'Status', color: 'violet', symbol: '⇄' },
  key_time: { label: 'Key time', color: 'indigo', symbol: '◷' },
  details: { label: 'Details', color: 'cyan', symbol: '≡' },
  import: { label: 'Import', color: 'teal', symbol: '⇪' },
  task: { label: 'Task', color: 'lime', symbol: '✓' },
  obligation: { label: 'Obligation', color: 'grape', symbol: '§' },
  alert: { label: 'Alert', color: 'red', symbol: '!' },
  campaign: { label: 'Campaign', color: 'pink', symbol: '✉' },
};

export function timelineKind(kind: string): { label: string; color: string; symbol: string } {
  return timelineKinds[kind] ?? { label: kind.replace(/_/g, ' '), color: 'gray', symbol: '•' };
}

export function formatDays(days: number | null): string {
  if (days === null) return '—';
  if (days < 1) return `${Math.round(days * 24)} h`;
  const shown = days >= 10 ? String(Math.round(days)) : days.toFixed(1).replace(/\.0$/, '');
  return `${shown} ${shown === '1' ? 'day' : 'days'}`;
}

/** Why each time matters, for the reader deciding whether to fill it in. */
export const keyTimeHints: Record<KeyTime, string> = {
  occurredAt: 'Start of unauthorised access',
  occurredUntil: 'When the access ended',
  detectedAt: 'First signal; time to identify ends here',
  awareAt: 'Legal clocks start here',
  containedAt: 'Time to contain ends here',
  plannedNoticeAt: 'Some regulator deadlines count from it',
  firstNoticeAt: 'Time to notify ends here',
  closedAt: 'Set by moving the incident to Closed',
};
