-- Who owns each table: a module's tables are read and written by its own code only; other modules use
-- its door (src/server/modules/<owner>/index.ts). scripts/check-table-owners.ts reads these comments and
-- fails CI when code names another module's table. A new table gets its owner comment in its migration.

COMMENT ON TABLE audit_log IS 'owner: platform';
COMMENT ON TABLE data_keys IS 'owner: platform';
COMMENT ON TABLE settings IS 'owner: platform';
COMMENT ON TABLE rate_limits IS 'owner: platform';
COMMENT ON TABLE staff_outbox IS 'owner: platform';
COMMENT ON TABLE sessions IS 'owner: auth';
COMMENT ON TABLE recovery_codes IS 'owner: auth';
COMMENT ON TABLE sign_in_throttle IS 'owner: auth';
COMMENT ON TABLE setup_links IS 'owner: auth';
COMMENT ON TABLE api_tokens IS 'owner: auth';
COMMENT ON TABLE users IS 'owner: users';
COMMENT ON TABLE incidents IS 'owner: incidents';
COMMENT ON TABLE incident_owners IS 'owner: incidents';
COMMENT ON TABLE incident_events IS 'owner: incidents';
COMMENT ON TABLE incident_tasks IS 'owner: incidents';
COMMENT ON TABLE imports IS 'owner: population';
COMMENT ON TABLE source_records IS 'owner: population';
COMMENT ON TABLE import_issues IS 'owner: population';
COMMENT ON TABLE record_people IS 'owner: population';
COMMENT ON TABLE people IS 'owner: population';
COMMENT ON TABLE resolution_conflicts IS 'owner: population';
COMMENT ON TABLE obligation_decisions IS 'owner: obligations';
COMMENT ON TABLE obligation_alerts IS 'owner: obligations';
COMMENT ON TABLE campaigns IS 'owner: campaigns';
COMMENT ON TABLE campaign_variants IS 'owner: campaigns';
COMMENT ON TABLE deliveries IS 'owner: campaigns';
COMMENT ON TABLE outbox_messages IS 'owner: campaigns';
COMMENT ON TABLE activation_codes IS 'owner: campaigns';
COMMENT ON TABLE provider_events IS 'owner: campaigns';
COMMENT ON TABLE notice_versions IS 'owner: notice';
COMMENT ON TABLE notice_updates IS 'owner: notice';
COMMENT ON TABLE notice_sites IS 'owner: notice';
COMMENT ON TABLE notice_link_revocations IS 'owner: notice';
COMMENT ON TABLE notice_subscriptions IS 'owner: notice';
COMMENT ON TABLE notice_messages IS 'owner: notice';
COMMENT ON TABLE notice_lookup_answers IS 'owner: notice';
COMMENT ON TABLE notice_counters IS 'owner: notice';
COMMENT ON TABLE notice_feedback IS 'owner: notice';
COMMENT ON TABLE inbox_threads IS 'owner: inbox';
COMMENT ON TABLE inbox_messages IS 'owner: inbox';
COMMENT ON TABLE inbox_attachments IS 'owner: inbox';
COMMENT ON TABLE inbox_rules IS 'owner: inbox';
COMMENT ON TABLE inbox_macros IS 'owner: inbox';
COMMENT ON TABLE inbox_verifications IS 'owner: inbox';
