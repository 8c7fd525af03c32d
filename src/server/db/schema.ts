// Longer than ~400 lines on purpose: Kysely's types for every table, kept in one file beside the migrations
// so one change to the schema is one change here.
import type { ColumnType, Generated, Insertable, Selectable, Updateable } from 'kysely';
import type { Role } from '../../shared/permissions.ts';

/** Kysely's view of the schema in ./migrations. Keep in step with every migration. */
type Timestamp = ColumnType<Date, Date | string, Date | string>;
type CreatedAt = ColumnType<Date, Date | string | undefined, never>;
/** Has a database default, may be updated. */
type DefaultedTimestamp = ColumnType<Date, Date | string | undefined, Date | string>;

export interface UsersTable {
  id: Generated<string>;
  email: string;
  display_name: Generated<string>;
  role: Role;
  status: Generated<'invited' | 'active' | 'disabled'>;
  password_hash: string | null;
  totp_secret: Buffer | null;
  totp_pending_secret: Buffer | null;
  totp_enrolled_at: Timestamp | null;
  totp_last_step: number | null;
  last_sign_in_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface SignInThrottleTable {
  key_hash: Buffer;
  failures: Generated<number>;
  locked_until: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface RecoveryCodesTable {
  id: Generated<string>;
  user_id: string;
  code_hash: Buffer;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface SetupLinksTable {
  token_hash: Buffer;
  user_id: string | null;
  purpose: 'bootstrap' | 'setup' | 'reset';
  expires_at: Timestamp;
  used_at: Timestamp | null;
  created_at: CreatedAt;
}

export type SessionStage = 'password' | 'enroll' | 'active';

export interface SessionsTable {
  id: Generated<string>;
  token_hash: Buffer;
  user_id: string;
  stage: SessionStage;
  csrf_token: string;
  created_at: CreatedAt;
  last_seen_at: DefaultedTimestamp;
  expires_at: Timestamp;
  reauthenticated_at: Timestamp | null;
  user_agent: string | null;
}

export interface ApiTokensTable {
  id: Generated<string>;
  name: string;
  token_hash: Buffer;
  prefix: string;
  role: Role;
  created_by: string;
  created_at: CreatedAt;
  expires_at: Timestamp | null;
  last_used_at: Timestamp | null;
  revoked_at: Timestamp | null;
}

export interface DataKeysTable {
  id: string;
  purpose: 'encryption' | 'blind_index';
  wrapped_key: Buffer;
  master_key_id: string;
  is_active: Generated<boolean>;
  created_at: CreatedAt;
  rewrapped_at: Timestamp | null;
}

export type ActorType = 'user' | 'api_token' | 'cli' | 'system' | 'anonymous';
export type AuditOutcome = 'success' | 'failure' | 'denied';

export interface AuditLogTable {
  seq: number;
  at: Timestamp;
  actor_type: ActorType;
  actor_id: string | null;
  actor_label: string;
  action: string;
  target_type: string | null;
  target_id: string | null;
  request_id: string | null;
  outcome: AuditOutcome;
  details: ColumnType<Record<string, unknown>, string, never>;
  prev_hash: Buffer;
  hash: Buffer;
}

export interface IncidentsTable {
  id: Generated<string>;
  title: string;
  description: Generated<string>;
  aware_at: Timestamp;
  occurred_at: Timestamp | null;
  detected_at: Timestamp | null;
  is_demo: Generated<boolean>;
  created_by: string;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  status: ColumnType<IncidentStatus, IncidentStatus | undefined, IncidentStatus>;
  cause: IncidentCause | null;
  severity: ColumnType<IncidentSeverity, IncidentSeverity | undefined, IncidentSeverity>;
  systems_affected: ColumnType<string[], string[] | undefined, string[]>;
  categories_entered: Generated<number>;
  encrypted_safe_key: Generated<boolean>;
  law_enforcement_delay: Generated<boolean>;
  law_enforcement_delay_until: Timestamp | null;
  occurred_until: Timestamp | null;
  contained_at: Timestamp | null;
  planned_notice_at: Timestamp | null;
  first_notice_at: Timestamp | null;
  closed_at: Timestamp | null;
  entity_hipaa: boolean | null;
  entity_sec: boolean | null;
  entity_nydfs: boolean | null;
  entity_ftc_safeguards: boolean | null;
  public_slug: ColumnType<string, string | undefined, string>;
  /** Public title per locale (0008); empty: the neutral default. */
  public_title: ColumnType<Partial<Record<'en' | 'es', string>>, string | undefined, string>;
}

export type IncidentStatus =
  | 'suspected'
  | 'investigating'
  | 'confirmed'
  | 'contained'
  | 'notifying'
  | 'monitoring'
  | 'closed';
export type IncidentCause =
  | 'phishing'
  | 'misconfiguration'
  | 'ransomware'
  | 'malware'
  | 'credential_stuffing'
  | 'vendor'
  | 'insider'
  | 'lost_device'
  | 'other';
export type IncidentSeverity = 'low' | 'medium' | 'high' | 'critical';

export interface IncidentOwnersTable {
  incident_id: string;
  user_id: string;
  added_at: CreatedAt;
}

export interface IncidentEventsTable {
  id: Generated<string>;
  incident_id: string;
  at: CreatedAt;
  kind: string;
  actor_id: string | null;
  actor_label: string;
  summary: string;
  details: ColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface IncidentTasksTable {
  id: Generated<string>;
  incident_id: string;
  title: string;
  owner_id: string | null;
  due_at: Timestamp | null;
  status: ColumnType<TaskStatus, TaskStatus | undefined, TaskStatus>;
  obligation_key: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
  done_at: Timestamp | null;
}
export type TaskStatus = 'open' | 'in_progress' | 'done' | 'cancelled';

export interface ObligationDecisionsTable {
  id: Generated<string>;
  incident_id: string;
  obligation_key: string;
  status: 'open' | 'done' | 'not_required';
  reasons: Generated<string>;
  evidence: Generated<string>;
  rules_version: string;
  decided_by_id: string | null;
  decided_by: string;
  decided_at: CreatedAt;
}

export interface ObligationAlertsTable {
  incident_id: string;
  obligation_key: string;
  level: '72h' | '24h' | 'overdue';
  due_at: Timestamp;
  raised_at: ColumnType<Date, Date | string | undefined, never>;
  emailed: Generated<number>;
  email_claimed_at: Timestamp | null;
}

export interface SettingsTable {
  key: string;
  value: ColumnType<unknown, string, string>;
  updated_by: string;
  updated_at: DefaultedTimestamp;
}

export interface StaffOutboxTable {
  id: Generated<string>;
  to_address: string;
  subject: string;
  body_text: string;
  purpose: string;
  created_at: CreatedAt;
}

export type ImportStatus = 'pending' | 'parsing' | 'resolving' | 'done' | 'failed' | 'duplicate';

export interface ImportsTable {
  id: Generated<string>;
  incident_id: string;
  file_name: string;
  file_sha256: Buffer;
  settings_sha256: Buffer;
  file_bytes: number;
  source_path: string | null;
  is_upload: Generated<boolean>;
  format: 'csv' | 'jsonl';
  encoding: Generated<'utf8' | 'latin1'>;
  default_country: string | null;
  mapping: ColumnType<Record<string, string>, string, string>;
  status: Generated<ImportStatus>;
  checkpoint_line: Generated<number>;
  rows_total: Generated<number>;
  accepted: Generated<number>;
  rejected: Generated<number>;
  bytes_done: Generated<number>;
  rn_base: number;
  people_before: number | null;
  people_after: number | null;
  conflicts_found: number | null;
  error: string | null;
  created_by: string;
  created_at: CreatedAt;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
  case_sensitive_ids: Generated<boolean>;
  /** Warnings on kept rows per kind (ImportWarningKind → count). */
  warnings: ColumnType<Record<string, number>, string | undefined, string>;
}

export interface SourceRecordsTable {
  incident_id: string;
  rn: number;
  import_id: string;
  line_no: number;
  customer_idx: Buffer | null;
  national_idx: Buffer | null;
  email_idx: Buffer | null;
  phone_idx: Buffer | null;
  categories: number;
  country: string | null;
  region: string | null;
  locale: string | null;
  has_email: boolean;
  has_phone: boolean;
  has_postal: boolean;
  payload: Buffer;
  email_smtputf8: Generated<boolean>;
}

export interface ImportIssuesTable {
  import_id: string;
  line_no: number;
  severity: 'rejected' | 'warning';
  reason: string;
  field: string | null;
}

export interface RecordPeopleTable {
  incident_id: string;
  rn: number;
  pn: number;
}

/** People per (jurisdiction, categories) cell of an incident, rewritten by each resolution (0016). */
export interface PeopleCellsTable {
  incident_id: string;
  jurisdiction: string;
  categories: number;
  locale: string | null;
  reachable_email: boolean;
  reachable_phone: boolean;
  reachable_postal: boolean;
  people: ColumnType<string, string | number, string | number>;
  records: ColumnType<string, string | number, string | number>;
}

/** An incident's re-resolution after conflict decisions: queued, running (phase), done or failed (0018). */
export interface PeopleResolutionsTable {
  incident_id: string;
  state: 'queued' | 'running' | 'done' | 'failed';
  phase: string | null;
  requested: ColumnType<number, number | undefined, number>;
  covered: ColumnType<number, number | undefined, number>;
  requested_at: DefaultedTimestamp;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  people: number | null;
  error: string | null;
  updated_at: DefaultedTimestamp;
}

export interface PeopleTable {
  id: Generated<string>;
  incident_id: string;
  pn: number;
  categories: number;
  risk_tier: 'high' | 'medium' | 'low';
  jurisdiction: string;
  jurisdiction_disputed: Generated<boolean>;
  locale: string | null;
  reachable_email: boolean;
  reachable_phone: boolean;
  reachable_postal: boolean;
  record_count: number;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export type IdentifierKind = 'customer_id' | 'national_id' | 'email' | 'phone';

export interface ResolutionConflictsTable {
  id: Generated<string>;
  incident_id: string;
  rn_a: number;
  rn_b: number;
  shared: IdentifierKind;
  differing: 'customer_id' | 'national_id';
  status: Generated<'open' | 'merged' | 'kept_apart'>;
  decided_by: string | null;
  decided_at: Timestamp | null;
  created_at: CreatedAt;
}

export interface RateLimitsTable {
  key: Buffer;
  hits: number;
  window_ends: Timestamp;
}

export interface SchemaMigrationsTable {
  name: string;
  applied_at: CreatedAt;
}

export type CampaignStatus =
  | 'draft'
  | 'scheduled'
  | 'preparing'
  | 'running'
  | 'paused'
  | 'finished'
  | 'cancelled';
export type Channel = 'email' | 'sms' | 'letter';
export type DeliveryState =
  | 'pending'
  | 'claimed'
  | 'sent'
  | 'delivered'
  | 'bounced'
  | 'failed'
  | 'suppressed'
  | 'fell_back';

export interface CampaignsTable {
  id: Generated<string>;
  incident_id: string;
  name: string;
  status: ColumnType<CampaignStatus, CampaignStatus | undefined, CampaignStatus>;
  channels: Channel[];
  email_from: string | null;
  reply_to: string | null;
  default_locale: Generated<string>;
  settings: ColumnType<Record<string, unknown>, string | undefined, string>;
  activation_categories: Generated<number>;
  scheduled_at: Timestamp | null;
  started_at: Timestamp | null;
  finished_at: Timestamp | null;
  paused_reason: string | null;
  recipients: number | null;
  /** Batched start (0017): the last person number whose rows exist, people prepared of the total. */
  prepared_through_pn: number | null;
  prepared_people: Generated<number>;
  prepare_total: number | null;
  prepared_at: Timestamp | null;
  created_by_id: string | null;
  created_by: string;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface CampaignVariantsTable {
  id: Generated<string>;
  campaign_id: string;
  name: string;
  position: number;
  is_default: Generated<boolean>;
  rule: ColumnType<Record<string, unknown>, string | undefined, string>;
  content: ColumnType<Record<string, unknown>, string, string>;
  version: Generated<number>;
  author_id: string | null;
  author: string;
  approved_version: number | null;
  approved_by_id: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

export interface DeliveriesTable {
  incident_id: string;
  campaign_id: string;
  pn: number;
  channel: Channel;
  step: number;
  state: ColumnType<DeliveryState, DeliveryState | undefined, DeliveryState>;
  variant_id: string | null;
  locale: string | null;
  attempts: Generated<number>;
  next_attempt_at: DefaultedTimestamp;
  lease_until: Timestamp | null;
  claimed_by: string | null;
  message_id: string;
  verification_code: string;
  provider_id: string | null;
  error: string | null;
  sent_at: Timestamp | null;
  settled_at: Timestamp | null;
  updated_at: DefaultedTimestamp;
}

/** Kinds of message on the outbound queue besides campaign notices (which have their own rows). */
export type MessageKind =
  | 'lookup'
  | 'subscribe_confirm'
  | 'update'
  | 'contact_ack'
  | 'inbox_reply'
  | 'inbox_verification'
  | 'inbox_csat';

export interface OutboxMessagesTable {
  id: Generated<string>;
  /** Null for inbox replies to senders who match no incident. */
  incident_id: string | null;
  /** Null for messages the public notice site sent (lookups, subscriptions, update notices). */
  campaign_id: string | null;
  pn: number | null;
  kind: ColumnType<'campaign' | MessageKind, 'campaign' | MessageKind | undefined, never>;
  channel: Channel;
  message_id: string;
  sealed: Buffer;
  printed_at: Timestamp | null;
  created_at: CreatedAt;
  /** Blind index of the normalized recipient (0009); null for letters and older rows. */
  to_idx: ColumnType<Buffer | null, Buffer | null | undefined, never>;
}

export interface ActivationCodesTable {
  id: Generated<string>;
  campaign_id: string;
  code_sealed: Buffer;
  code_idx: Buffer;
  assigned_pn: number | null;
  assigned_at: Timestamp | null;
}

export interface ProviderEventsTable {
  provider: string;
  event_id: string;
  received_at: CreatedAt;
}

type PublicationStatus = 'draft' | 'approved' | 'published' | 'superseded';

export interface NoticeVersionsTable {
  id: Generated<string>;
  incident_id: string;
  number: number;
  status: ColumnType<PublicationStatus, PublicationStatus | undefined, PublicationStatus>;
  content: ColumnType<unknown, string, string>;
  author_id: string | null;
  author: string;
  approved_by_id: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  published_by: string | null;
  published_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface NoticeUpdatesTable {
  id: Generated<string>;
  incident_id: string;
  status: ColumnType<
    Exclude<PublicationStatus, 'superseded'>,
    Exclude<PublicationStatus, 'superseded'> | undefined,
    Exclude<PublicationStatus, 'superseded'>
  >;
  content: ColumnType<unknown, string, string>;
  author_id: string | null;
  author: string;
  approved_by_id: string | null;
  approved_by: string | null;
  approved_at: Timestamp | null;
  published_by: string | null;
  published_at: Timestamp | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface NoticeSitesTable {
  incident_id: string;
  pages: ColumnType<unknown, string | undefined, string>;
  feed: string | null;
  render_version: Generated<number>;
  rendered_at: Timestamp | null;
  links_valid_after: Timestamp | null;
}

export interface NoticeLinkRevocationsTable {
  incident_id: string;
  pn: number;
  revoked_before: Timestamp;
}

export interface NoticeSubscriptionsTable {
  id: Generated<string>;
  incident_id: string;
  email_sealed: Buffer;
  email_idx: Buffer;
  locale: Generated<string>;
  status: ColumnType<
    'pending' | 'confirmed' | 'unsubscribed',
    'pending' | 'confirmed' | 'unsubscribed' | undefined,
    'pending' | 'confirmed' | 'unsubscribed'
  >;
  created_at: CreatedAt;
  confirmed_at: Timestamp | null;
  unsubscribed_at: Timestamp | null;
}

/** The outbound queue of every message that is not a campaign notice (0013: renamed from notice_messages). */
export interface OutboundMessagesTable {
  id: Generated<string>;
  incident_id: string | null;
  inbox_message_id: string | null;
  kind: MessageKind;
  /** Lower goes first (outbound/kinds.ts). */
  priority: ColumnType<number, number | undefined, number>;
  payload: Buffer | null;
  subscription_id: string | null;
  update_id: string | null;
  state: ColumnType<
    'pending' | 'sent' | 'skipped' | 'failed',
    'pending' | 'sent' | 'skipped' | 'failed' | undefined,
    'pending' | 'sent' | 'skipped' | 'failed'
  >;
  attempts: Generated<number>;
  next_attempt_at: DefaultedTimestamp;
  lease_until: Timestamp | null;
  claimed_by: string | null;
  outcome: string | null;
  created_at: CreatedAt;
  settled_at: Timestamp | null;
  sent_via: ColumnType<SentVia | null, SentVia | null | undefined, SentVia | null>;
}
export type SentVia = 'smtp' | 'sms-provider' | 'outbox';

export interface OutboundThrottlesTable {
  key: string;
  rate: number;
  tokens: number;
  refreshed_at: Timestamp;
  granted: number;
}

export interface OutboundPausesTable {
  kind: string;
  paused_until: Timestamp;
  reason: string;
  paused_at: DefaultedTimestamp;
}

export interface NoticeLookupAnswersTable {
  incident_id: string;
  identifier_idx: Buffer;
  last_sent_at: Timestamp;
  last_message_id: string;
}

export interface NoticeCountersTable {
  incident_id: string;
  day: ColumnType<Date, string, string>;
  metric: string;
  n: Generated<number>;
}

export interface NoticeFeedbackTable {
  incident_id: string;
  pn: number;
  rating: number;
  comment_sealed: Buffer | null;
  created_at: CreatedAt;
  updated_at: DefaultedTimestamp;
}

export interface InboxThreadsTable {
  id: Generated<string>;
  incident_id: string | null;
  channel: 'web' | 'email' | 'sms';
  sender_idx: Buffer;
  sender_sealed: Buffer;
  pn: number | null;
  locale: Generated<string>;
  status: ColumnType<
    'open' | 'pending' | 'solved',
    'open' | 'pending' | 'solved' | undefined,
    'open' | 'pending' | 'solved'
  >;
  created_at: CreatedAt;
  last_message_at: DefaultedTimestamp;
  subject_sealed: Buffer | null;
  topics: ColumnType<string[], string[] | undefined, string[]>;
  sentiment: number | null;
  priority: Generated<number>;
  assignee_id: string | null;
  verified_at: Timestamp | null;
  first_response_at: Timestamp | null;
  sla_due_at: Timestamp | null;
  solved_at: Timestamp | null;
  satisfaction: number | null;
  dsr_kind: 'access' | 'deletion' | null;
  dsr_due_at: Timestamp | null;
  dsr_completed_at: Timestamp | null;
  search_terms: ColumnType<string[], string[] | undefined, string[]>;
  messages: Generated<number>;
}

export interface InboxMessagesTable {
  id: Generated<string>;
  thread_id: string;
  direction: 'in' | 'out';
  sealed: Buffer;
  provider_message_id: string | null;
  created_at: CreatedAt;
  kind: ColumnType<'message' | 'note', 'message' | 'note' | undefined, never>;
  author_id: string | null;
  author: string | null;
  bulk_id: string | null;
}

export interface InboxAttachmentsTable {
  id: Generated<string>;
  message_id: string;
  filename_sealed: Buffer;
  content_type: string;
  size: number;
  data_sealed: Buffer;
}

export interface InboxRulesTable {
  id: Generated<string>;
  topic: string;
  label: string;
  keywords: string[];
  weight: number;
  dsr_kind: 'access' | 'deletion' | null;
  enabled: Generated<boolean>;
  updated_by: Generated<string>;
  updated_at: DefaultedTimestamp;
}

export interface InboxMacrosTable {
  id: Generated<string>;
  name: string;
  locale: Generated<string>;
  subject: string | null;
  body: string;
  updated_by: string;
  updated_by_id: ColumnType<string | null, string | null | undefined, string | null>;
  updated_at: DefaultedTimestamp;
}

export interface InboxVerificationsTable {
  thread_id: string;
  code_hash: Buffer;
  channel: 'email' | 'sms';
  sent_at: DefaultedTimestamp;
  expires_at: Timestamp;
  attempts: Generated<number>;
  verified_at: Timestamp | null;
}

export interface Database {
  users: UsersTable;
  recovery_codes: RecoveryCodesTable;
  sign_in_throttle: SignInThrottleTable;
  setup_links: SetupLinksTable;
  sessions: SessionsTable;
  api_tokens: ApiTokensTable;
  data_keys: DataKeysTable;
  audit_log: AuditLogTable;
  schema_migrations: SchemaMigrationsTable;
  rate_limits: RateLimitsTable;
  incidents: IncidentsTable;
  imports: ImportsTable;
  source_records: SourceRecordsTable;
  import_issues: ImportIssuesTable;
  record_people: RecordPeopleTable;
  people: PeopleTable;
  people_cells: PeopleCellsTable;
  people_resolutions: PeopleResolutionsTable;
  resolution_conflicts: ResolutionConflictsTable;
  incident_owners: IncidentOwnersTable;
  incident_events: IncidentEventsTable;
  incident_tasks: IncidentTasksTable;
  obligation_decisions: ObligationDecisionsTable;
  obligation_alerts: ObligationAlertsTable;
  settings: SettingsTable;
  staff_outbox: StaffOutboxTable;
  campaigns: CampaignsTable;
  campaign_variants: CampaignVariantsTable;
  deliveries: DeliveriesTable;
  outbox_messages: OutboxMessagesTable;
  activation_codes: ActivationCodesTable;
  provider_events: ProviderEventsTable;
  notice_versions: NoticeVersionsTable;
  notice_updates: NoticeUpdatesTable;
  notice_sites: NoticeSitesTable;
  notice_link_revocations: NoticeLinkRevocationsTable;
  notice_subscriptions: NoticeSubscriptionsTable;
  outbound_messages: OutboundMessagesTable;
  outbound_throttles: OutboundThrottlesTable;
  outbound_pauses: OutboundPausesTable;
  notice_lookup_answers: NoticeLookupAnswersTable;
  notice_counters: NoticeCountersTable;
  notice_feedback: NoticeFeedbackTable;
  inbox_threads: InboxThreadsTable;
  inbox_messages: InboxMessagesTable;
  inbox_attachments: InboxAttachmentsTable;
  inbox_rules: InboxRulesTable;
  inbox_macros: InboxMacrosTable;
  inbox_verifications: InboxVerificationsTable;
}

export type UserRow = Selectable<UsersTable>;
export type NewUser = Insertable<UsersTable>;
export type UserUpdate = Updateable<UsersTable>;
export type SessionRow = Selectable<SessionsTable>;
export type AuditRow = Selectable<AuditLogTable>;
