-- Request counters for the rate limits on sign-in, MFA and setup routes, shared by every `candor serve`
-- process behind a load balancer (an in-memory counter per process would multiply the limit by the number
-- of processes). The key is a keyed hash of route and client address, never the address itself. Unlogged:
-- counters need not survive a crash.
CREATE UNLOGGED TABLE rate_limits (
  key bytea PRIMARY KEY,
  hits integer NOT NULL,
  window_ends timestamptz NOT NULL
);
CREATE INDEX rate_limits_window_idx ON rate_limits (window_ends);
