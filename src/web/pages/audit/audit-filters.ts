import type { auditOutcomes } from '../../../shared/contracts/audit.ts';

export type AuditOutcome = (typeof auditOutcomes)[number];

/** The filters as typed in the form; dates are the browser's local days (YYYY-MM-DD). */
export interface AuditFilterValues {
  action: string;
  outcome: AuditOutcome | '';
  targetType: string;
  fromDay: string;
  toDay: string;
}

export const emptyAuditFilters: AuditFilterValues = {
  action: '',
  outcome: '',
  targetType: '',
  fromDay: '',
  toDay: '',
};

/** The query string for GET /api/audit and /api/audit/export: whole local days, sent as instants. */
export function auditQueryParams(filters: AuditFilterValues): Record<string, string | undefined> {
  const startOf = (day: string) => (day ? new Date(`${day}T00:00:00`).toISOString() : undefined);
  const endOf = (day: string) => (day ? new Date(`${day}T23:59:59.999`).toISOString() : undefined);
  return {
    action: filters.action.trim() || undefined,
    outcome: filters.outcome || undefined,
    targetType: filters.targetType.trim() || undefined,
    from: startOf(filters.fromDay),
    to: endOf(filters.toDay),
  };
}
