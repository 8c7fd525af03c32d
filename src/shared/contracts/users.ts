import { z } from 'zod';
import { roles } from '../permissions.ts';
import { email } from './common.ts';

export const userStatus = ['invited', 'active', 'disabled'] as const;

export const userSummary = z.object({
  id: z.string(),
  email: z.string(),
  displayName: z.string(),
  role: z.enum(roles),
  status: z.enum(userStatus),
  mfaEnrolled: z.boolean(),
  lastSignInAt: z.string().nullable(),
  createdAt: z.string(),
});
export const userList = z.object({ users: z.array(userSummary) });

export const inviteRequest = z.object({
  email,
  role: z.enum(roles),
  displayName: z.string().trim().max(120).optional(),
});
/** The setup link is shown once to the inviting admin, who passes it on. */
export const setupLinkResponse = z.object({ user: userSummary, setupUrl: z.string(), expiresAt: z.string() });

export const changeRoleRequest = z.object({ role: z.enum(roles) });

export type UserSummary = z.infer<typeof userSummary>;
export type SetupLinkResponse = z.infer<typeof setupLinkResponse>;
