import { z } from 'zod';
import { permissions, roles } from '../permissions.ts';
import { email } from './common.ts';

export const sessionStages = ['password', 'enroll', 'active'] as const;

export const loginRequest = z.object({
  email,
  password: z.string().min(1).max(1024),
});

export const stageResponse = z.object({ stage: z.enum(sessionStages) });

/** A six-digit authenticator code, or a recovery code (xxxxx-xxxxx). */
export const totpCode = z
  .string()
  .trim()
  .regex(/^\d{6}$/, 'Enter the 6-digit code from your authenticator app.');
export const recoveryCode = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9]{5}-?[a-z0-9]{5}$/, 'Enter a recovery code like abcde-12345.');

export const mfaVerifyRequest = z.union([z.object({ code: totpCode }), z.object({ recoveryCode })]);

export const setupInspectRequest = z.object({ token: z.string().trim().min(20).max(200) });
/** 'bootstrap' is the first admin of an empty installation: the page asks for their email too. */
export const setupInspectResponse = z.object({
  email: z.string().nullable(),
  role: z.enum(roles),
  purpose: z.enum(['bootstrap', 'setup', 'reset']),
});

/** Length and the common-password list are checked by the server (code weak_password), not here. */
export const newPassword = z.string().min(1).max(256, 'Use at most 256 characters.');

export const setupRequest = z.object({
  token: z.string().trim().min(20).max(200),
  /** Only for a 'bootstrap' link; ignored otherwise. */
  email: email.optional(),
  password: newPassword,
  displayName: z.string().trim().max(120).optional(),
  /**
   * Only for a 'bootstrap' link: the company's name as affected people know it (Settings → Branding), so no
   * message goes out as "Our company". Never replaces a name already set.
   */
  companyName: z.string().trim().min(1).max(120).optional(),
});

export const enrollStartResponse = z.object({
  secret: z.string(),
  otpauthUri: z.string(),
  /** An SVG QR code as a data: URL. */
  qrCode: z.string(),
});

export const enrollConfirmRequest = z.object({ code: totpCode });
export const recoveryCodesResponse = z.object({ recoveryCodes: z.array(z.string()).length(10) });

export const reauthRequest = z.object({ password: z.string().min(1).max(1024), code: totpCode });
export const reauthResponse = z.object({ reauthenticatedUntil: z.string() });

export const changePasswordRequest = z.object({
  currentPassword: z.string().min(1).max(1024),
  newPassword,
});

export const sessionResponse = z.object({
  user: z.object({
    id: z.string(),
    email: z.string(),
    displayName: z.string(),
    role: z.enum(roles),
  }),
  stage: z.enum(sessionStages),
  csrfToken: z.string(),
  permissions: z.array(z.enum(Object.keys(permissions) as [keyof typeof permissions])),
  mfaEnrolled: z.boolean(),
  expiresAt: z.string(),
  idleExpiresAt: z.string(),
  reauthenticatedUntil: z.string().nullable(),
  unusedRecoveryCodes: z.number().int(),
});

export type LoginRequest = z.infer<typeof loginRequest>;
export type SessionResponse = z.infer<typeof sessionResponse>;
export type EnrollStartResponse = z.infer<typeof enrollStartResponse>;
export type SetupInspectResponse = z.infer<typeof setupInspectResponse>;
