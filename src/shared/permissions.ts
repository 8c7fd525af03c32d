/**
 * Roles and the permission catalogue. Every route declares one permission from here (or is explicitly
 * public); the console uses the same table to show only what a role may do.
 */
export const roles = ['admin', 'responder', 'legal', 'comms', 'agent', 'auditor'] as const;
export type Role = (typeof roles)[number];

export const roleDescriptions: Record<Role, string> = {
  admin: 'Users, roles, keys, channels and settings',
  responder: 'Runs incidents: timeline, tasks, imports of affected people',
  legal: 'Reviews obligations and deadlines, approves every notice',
  comms: 'Writes notices and runs the public notice site',
  agent: 'Answers affected people in the inbox after verifying them',
  auditor: 'Reads everything, changes nothing, exports the audit trail',
};

export const permissions = {
  'session:self': 'Manage one’s own session, password, MFA and sign-outs',
  'users:read': 'See staff accounts and their roles',
  'users:manage': 'Invite, disable, change roles of and reset MFA for staff',
  'tokens:manage': 'Create and revoke API tokens',
  'audit:read': 'Browse the audit log',
  'audit:export': 'Export the audit log',
  'keys:manage': 'Rotate encryption keys',
  'settings:read': 'See installation settings',
  'settings:manage': 'Change installation settings',
  'incidents:read': 'See incidents, timelines and tasks',
  'incidents:write': 'Create and update incidents, timelines and tasks',
  'people:read': 'See affected-people counts and records without identifiers',
  'people:read_pii': 'Decrypt and view the identifiers of an affected person (audited)',
  'people:import': 'Import breached records',
  'obligations:read': 'See legal obligations and deadlines',
  'obligations:decide': 'Record legal decisions on obligations',
  'campaigns:read': 'See notices, campaigns and deliveries',
  'campaigns:write': 'Write notices and run campaigns',
  'campaigns:approve': 'Approve notices written by someone else',
  'notice:read': 'See the public notice site as staff',
  'notice:write': 'Edit the public notice, updates and FAQ',
  'notice:publish': 'Approve and publish the public notice',
  'inbox:read': 'See inquiries in the support inbox',
  'inbox:reply': 'Answer inquiries and verify requesters',
  'readiness:read': 'See response plans and rehearsals',
  'readiness:write': 'Edit response plans and rehearsals',
  'insights:read': 'See metrics and charts',
} as const;
export type Permission = keyof typeof permissions;

const everyRead: Permission[] = [
  'incidents:read',
  'people:read',
  'obligations:read',
  'campaigns:read',
  'notice:read',
  'inbox:read',
  'readiness:read',
  'insights:read',
];

export const rolePermissions: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(Object.keys(permissions) as Permission[]),
  responder: new Set<Permission>([
    'session:self',
    'users:read',
    ...everyRead,
    'incidents:write',
    'people:import',
    'people:read_pii',
    'readiness:write',
  ]),
  legal: new Set<Permission>([
    'session:self',
    'users:read',
    ...everyRead,
    'obligations:decide',
    'campaigns:approve',
    'notice:publish',
    'people:read_pii',
  ]),
  comms: new Set<Permission>(['session:self', 'users:read', ...everyRead, 'campaigns:write', 'notice:write']),
  agent: new Set<Permission>([
    'session:self',
    'incidents:read',
    'people:read',
    'inbox:read',
    'inbox:reply',
    'notice:read',
  ]),
  auditor: new Set<Permission>([
    'session:self',
    'users:read',
    ...everyRead,
    'audit:read',
    'audit:export',
    'settings:read',
  ]),
};

export function can(role: Role, permission: Permission): boolean {
  return rolePermissions[role].has(permission);
}

/**
 * What a credential may do: its role's permissions, except that API tokens never act on a person's own
 * session, password or MFA (`session:self`): those need the person.
 */
export function canCredential(kind: 'session' | 'token', role: Role, permission: Permission): boolean {
  if (kind === 'token' && permission === 'session:self') return false;
  return can(role, permission);
}
