import type { z } from 'zod';
import type {
  activationCodesResponse,
  alert,
  alertList,
  apiTokenList,
  apiTokenSummary,
  auditEntry,
  auditPage,
  auditVerifyResponse,
  campaignDto,
  campaignInput,
  campaignList,
  campaignStatusDto,
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
  previewDto,
  previewPersonRequest,
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
  testSendRequest,
  timelineEvent,
  timelineResponse,
  upcomingList,
  upcomingObligation,
  updateIncidentRequest,
  updateTaskRequest,
  uploadResponse,
  userList,
  userSummary,
  variantDto,
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

export type Campaign = z.infer<typeof campaignDto>;
export type CampaignSummary = z.infer<typeof campaignList>['campaigns'][number];
export type CampaignList = z.infer<typeof campaignList>;
export type CampaignInput = z.input<typeof campaignInput>;
export type CampaignVariant = z.infer<typeof variantDto>;
export type CampaignStatus = z.infer<typeof campaignStatusDto>;
export type CampaignPreview = z.infer<typeof previewDto>;
export type PreviewPersonRequest = z.input<typeof previewPersonRequest>;
export type TestSendRequest = z.input<typeof testSendRequest>;
export type ActivationCodesResult = z.infer<typeof activationCodesResponse>;

/**
 * GET /api/campaigns/:id/outbox. Its schema (`outboxPage`) lives in the server module rather than in
 * src/shared/contracts, so the console restates it here; keep the two alike.
 */
export interface OutboxMessage {
  id: number;
  channel: string;
  pn: number;
  messageId: string;
  createdAt: string;
  to: string;
  subject: string | null;
  text: string;
  html: string | null;
  address: string[] | null;
  verificationCode: string;
  /** The delivery's state now (a returned letter is `bounced`). */
  state?: string | null;
}
export interface OutboxPage {
  messages: OutboxMessage[];
  total: number;
  nextBefore: number | null;
}

/**
 * Letters (src/server/modules/campaigns/letters.routes.ts): their schemas live in the server module too, so
 * they are restated here.
 */
export interface LetterSummary {
  pending: number;
  printed: number;
  returned: number;
  batches: Array<{ batchId: string; letters: number }>;
}
export interface LetterBatch {
  batchId: string;
  letters: number;
  pages: number;
  /** The print-ready PDF, base64. */
  pdf: string;
  /** The vendor manifest, CSV. */
  manifest: string;
}
export interface ReturnedMailResult {
  matched: number;
  alreadyBounced: number;
  /** Line numbers of the file that match no printed letter. */
  unknown: number[];
}
