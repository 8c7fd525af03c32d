import type { z } from 'zod';
import type {
  apiTokenList,
  apiTokenSummary,
  auditEntry,
  auditPage,
  auditVerifyResponse,
  conflictList,
  conflictSummary,
  createIncidentRequest,
  createTokenRequest,
  createTokenResponse,
  dataKeyList,
  demoResponse,
  enrollStartResponse,
  importIssue,
  importIssuesPage,
  importList,
  importSummary,
  incidentList,
  incidentSummary,
  peopleStats,
  personDetail,
  personList,
  personSummary,
  reauthResponse,
  recoveryCodesResponse,
  rotationResponse,
  sessionResponse,
  setupInspectResponse,
  setupLinkResponse,
  stageResponse,
  startImportRequest,
  startImportResponse,
  uploadResponse,
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

export type Incident = z.infer<typeof incidentSummary>;
export type IncidentList = z.infer<typeof incidentList>;
export type CreateIncidentRequest = z.input<typeof createIncidentRequest>;
export type DemoResult = z.infer<typeof demoResponse>;

export type Upload = z.infer<typeof uploadResponse>;
export type UploadPreview = Upload['preview'];
export type ColumnMapping = UploadPreview['mapping'];
export type FieldSpec = ColumnMapping[string];
export type StartImportRequest = z.input<typeof startImportRequest>;
export type StartedImport = z.infer<typeof startImportResponse>;
export type ImportSummary = z.infer<typeof importSummary>;
export type ImportList = z.infer<typeof importList>;
export type ImportIssue = z.infer<typeof importIssue>;
export type ImportIssuesPage = z.infer<typeof importIssuesPage>;

export type PeopleStats = z.infer<typeof peopleStats>;
export type PersonSummary = z.infer<typeof personSummary>;
export type PersonList = z.infer<typeof personList>;
export type PersonDetail = z.infer<typeof personDetail>;
export type Conflict = z.infer<typeof conflictSummary>;
export type ConflictList = z.infer<typeof conflictList>;
