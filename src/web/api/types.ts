import type { z } from 'zod';
import type {
  apiTokenList,
  apiTokenSummary,
  auditEntry,
  auditPage,
  auditVerifyResponse,
  createTokenRequest,
  createTokenResponse,
  dataKeyList,
  enrollStartResponse,
  reauthResponse,
  recoveryCodesResponse,
  rotationResponse,
  sessionResponse,
  setupInspectResponse,
  setupLinkResponse,
  stageResponse,
  userList,
  userSummary,
} from '../../shared/contracts/index.ts';

export type Session = z.infer<typeof sessionResponse>;
export type StageResponse = z.infer<typeof stageResponse>;
export type SetupInspect = z.infer<typeof setupInspectResponse>;
export type EnrollStart = z.infer<typeof enrollStartResponse>;
export type RecoveryCodes = z.infer<typeof recoveryCodesResponse>;
export type ReauthResult = z.infer<typeof reauthResponse>;

export type AuditEntry = z.infer<typeof auditEntry>;
export type AuditPage = z.infer<typeof auditPage>;
export type AuditVerify = z.infer<typeof auditVerifyResponse>;

export type UserSummary = z.infer<typeof userSummary>;
export type UserList = z.infer<typeof userList>;
export type SetupLink = z.infer<typeof setupLinkResponse>;

export type ApiToken = z.infer<typeof apiTokenSummary>;
export type ApiTokenList = z.infer<typeof apiTokenList>;
export type CreateTokenRequest = z.input<typeof createTokenRequest>;
export type CreatedToken = z.infer<typeof createTokenResponse>;

export type DataKeyList = z.infer<typeof dataKeyList>;
export type DataKey = DataKeyList['keys'][number];
export type Rotation = z.infer<typeof rotationResponse>;
