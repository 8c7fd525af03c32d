import type { Actor } from '../audit/audit-log.ts';
import type { Principal } from './access.ts';

export function actorOf(principal: Principal): Actor {
  return {
    type: principal.kind === 'session' ? 'user' : 'api_token',
    id: principal.kind === 'session' ? principal.userId : principal.credentialId,
    label: principal.label,
  };
}

export const anonymousActor: Actor = { type: 'anonymous', id: null, label: 'anonymous' };
