import type { Permission } from '../../../shared/permissions.ts';
import type { SessionStage } from '../../db/schema.ts';

/**
 * Every route declares who may call it, next to its definition (`config: { access }`). A route without a
 * declaration stops the server at start (see route-table.ts), and the authorization-matrix test walks the
 * same table.
 */
export type Access =
  | { public: true; reason: string }
  | {
      permission: Permission;
      /** Session stages besides 'active' that may call it (sign-in and enrollment steps). */
      stages?: SessionStage[];
      /** Needs a password + code re-authentication within the last few minutes (roles, MFA, keys). */
      reauth?: boolean;
    };

export interface Principal {
  kind: 'session' | 'token';
  userId: string;
  role: import('../../../shared/permissions.ts').Role;
  /** Session id or API token id. */
  credentialId: string;
  stage: SessionStage;
  csrfToken: string | null;
  reauthenticatedAt: Date | null;
  /** Label for audit entries: the staff member's name (`staffLabel`) or the token's; never an affected person's data. */
  label: string;
}

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: Access;
  }
  interface FastifyRequest {
    principal: Principal | null;
  }
}
