-- One vocabulary (issue 15): the server modules take the names the console shows. `population` is now the
-- `people` module and `notice` the `notice-site` module; their tables keep their names and data, and only
-- the owner recorded for the table-ownership check (scripts/check-table-owners.ts) follows the new names.
COMMENT ON TABLE imports IS 'owner: people';
COMMENT ON TABLE source_records IS 'owner: people';
COMMENT ON TABLE import_issues IS 'owner: people';
COMMENT ON TABLE record_people IS 'owner: people';
COMMENT ON TABLE people IS 'owner: people';
COMMENT ON TABLE resolution_conflicts IS 'owner: people';
COMMENT ON TABLE notice_versions IS 'owner: notice-site';
COMMENT ON TABLE notice_updates IS 'owner: notice-site';
COMMENT ON TABLE notice_sites IS 'owner: notice-site';
COMMENT ON TABLE notice_link_revocations IS 'owner: notice-site';
COMMENT ON TABLE notice_subscriptions IS 'owner: notice-site';
COMMENT ON TABLE notice_lookup_answers IS 'owner: notice-site';
COMMENT ON TABLE notice_counters IS 'owner: notice-site';
COMMENT ON TABLE notice_feedback IS 'owner: notice-site';
