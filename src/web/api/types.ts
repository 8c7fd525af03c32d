import type { z } from 'zod';
import type {
  alert,
  alertList,
  apiTokenList,
  apiTokenSummary,
  auditEntry,
  auditPage,
  auditVerifyResponse,
  companyProfile,
  conflictList,
  conflictSummary,
  createIncidentRequest,
  createTaskRequest,
  createTokenRequest,
  createTokenResponse,
  dataKeyList,
  decideRequest,
  decisionRecord,
  demoResponse,
  enrollStartResponse,
  importIssue,
  importIssuesPage,
  importList,
  importSummary,
  incidentDetail,
  incidentList,
  incidentMetrics,
  incidentSummary,
  metricsOverview,
  notApplicable,
  obligation,
  obligationsReport,
  peopleStats,
  personDetail,
  personList,
  personSummary,
  reauthResponse,
  recoveryCodesResponse,
  rotationResponse,
  sessionResponse,
  setKeyTimesRequest,
  setupInspectResponse,
  setupLinkResponse,
  stageResponse,
  startImportRequest,
  startImportResponse,
  task,
  taskList,
  timelineEvent,
  timelineResponse,
  upcomingList,
  upcomingObligation,
  updateIncidentRequest,
  updateTaskRequest,
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
export type IncidentDetail = z.infer<typeof incidentDetail>;
export type IncidentMetrics = z.infer<typeof incidentMetrics>;
export type UpdateIncidentRequest = z.input<typeof updateIncidentRequest>;
export type SetKeyTimesRequest = z.input<typeof setKeyTimesRequest>;
export type MetricsOverview = z.infer<typeof metricsOverview>;
export type TimelineEvent = z.infer<typeof timelineEvent>;
export type Timeline = z.infer<typeof timelineResponse>;
export type Task = z.infer<typeof task>;
export type TaskList = z.infer<typeof taskList>;
export type CreateTaskRequest = z.input<typeof createTaskRequest>;
export type UpdateTaskRequest = z.input<typeof updateTaskRequest>;

export type Obligation = z.infer<typeof obligation>;
export type NotApplicable = z.infer<typeof notApplicable>;
export type ObligationsReport = z.infer<typeof obligationsReport>;
export type DecisionRecord = z.infer<typeof decisionRecord>;
export type DecideRequest = z.input<typeof decideRequest>;
export type UpcomingObligation = z.infer<typeof upcomingObligation>;
export type UpcomingList = z.infer<typeof upcomingList>;
export type ObligationAlert = z.infer<typeof alert>;
export type AlertList = z.infer<typeof alertList>;
export type CompanyProfile = z.infer<typeof companyProfile>;

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
