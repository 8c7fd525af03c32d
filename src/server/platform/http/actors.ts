import type { Actor } from '../audit/audit-log.ts';
import type { Principal } from './access.ts';

/**
 * How staff are named wherever they appear (audit log, timeline, inbox replies, macros, decisions): their
 * display name, else their account email. Staff names are accountability, not an affected person's data.
 */
export function staffLabel(user: { display_name: string; email: string }): string {
  return user.display_name.trim() || user.email;
}

export function actorOf(principal: Principal): Actor {
  return {
    type: principal.kind === 'session' ? 'user' : 'api_token',
    id: principal.kind === 'session' ? principal.userId : principal.credentialId,
    label: principal.label,
  };
}

/** Who acts and under which request id: what services take to audit a change made through the API. */
export function requestMeta(request: { principal: Principal | null; id: string }): {
  actor: Actor;
  requestId: string;
} {
  return { actor: actorOf(request.principal!), requestId: request.id };
}

export const anonymousActor: Actor = { type: 'anonymous', id: null, label: 'anonymous' };
