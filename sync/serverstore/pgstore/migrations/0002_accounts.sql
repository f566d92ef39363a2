-- Accounts beyond users and tokens: API keys, per-user limits, devices, security events.

-- Service-account API keys. Only the SHA-256 of the key is stored; id is its public prefix.
CREATE TABLE api_keys (
	id         text PRIMARY KEY,
	hash       bytea NOT NULL,
	user_name  text NOT NULL REFERENCES users(name),
	created_at timestamptz NOT NULL,
	revoked_at timestamptz
);
CREATE INDEX api_keys_user ON api_keys(user_name);

-- What the authority check needs beyond the role. cost_centres is a JSON array of strings.
CREATE TABLE user_profiles (
	user_name      text PRIMARY KEY REFERENCES users(name),
	cost_centres   text NOT NULL DEFAULT '[]',
	approval_limit text NOT NULL DEFAULT '' -- decimal; '' = no limit
);

-- Devices each user has logged in from (new-device detection).
CREATE TABLE user_devices (
	user_name  text NOT NULL REFERENCES users(name),
	device     text NOT NULL,
	first_seen timestamptz NOT NULL,
	last_seen  timestamptz NOT NULL,
	PRIMARY KEY (user_name, device)
);

-- Security events (sync/server/events), never holding a secret.
CREATE TABLE security_events (
	id        bigserial PRIMARY KEY,
	kind      text NOT NULL,
	team      text NOT NULL DEFAULT '',
	user_name text NOT NULL DEFAULT '',
	device    text NOT NULL DEFAULT '',
	ip        text NOT NULL DEFAULT '',
	detail    text NOT NULL DEFAULT '',
	at        timestamptz NOT NULL
);
CREATE INDEX security_events_team_at ON security_events(team, at);
