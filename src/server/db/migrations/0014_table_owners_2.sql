-- Staff accounts and their credentials are one module: the `users` row carries the password hash and the
-- authenticator, so `auth` owns it with the sessions, recovery codes and links that sign in with it
-- (the former `users` module's code now lives in src/server/modules/auth/).

COMMENT ON TABLE users IS 'owner: auth';
