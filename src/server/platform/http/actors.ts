import type { Actor } from '../audit/audit-log.ts';
import type { Principal } from './access.ts';

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
