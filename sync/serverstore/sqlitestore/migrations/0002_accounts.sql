-- Accounts beyond users and tokens: API keys, per-user limits, devices, security events.
-- Times are Unix microseconds (UTC); NULL means unset.

-- Service-account API keys. Only the SHA-256 of the key is stored; id is its public prefix.
CREATE TABLE api_keys (
	id         TEXT PRIMARY KEY,
	hash       BLOB NOT NULL,
	user_name  TEXT NOT NULL REFERENCES users(name),
	created_at INTEGER NOT NULL,
	revoked_at INTEGER
);
CREATE INDEX api_keys_user ON api_keys(user_name);

-- What the authority check needs beyond the role. cost_centres is a JSON array of strings.
CREATE TABLE user_profiles (
	user_name      TEXT PRIMARY KEY REFERENCES users(name),
	cost_centres   TEXT NOT NULL DEFAULT '[]',
	approval_limit TEXT NOT NULL DEFAULT '' -- decimal; '' = no limit
);

-- Devices each user has logged in from (new-device detection).
CREATE TABLE user_devices (
	user_name  TEXT NOT NULL REFERENCES users(name),
	device     TEXT NOT NULL,
	first_seen INTEGER NOT NULL,
	last_seen  INTEGER NOT NULL,
	PRIMARY KEY (user_name, device)
) WITHOUT ROWID;

-- Security events (sync/server/events), never holding a secret.
CREATE TABLE security_events (
	id        INTEGER PRIMARY KEY AUTOINCREMENT,
	kind      TEXT NOT NULL,
	team      TEXT NOT NULL DEFAULT '',
	user_name TEXT NOT NULL DEFAULT '',
	device    TEXT NOT NULL DEFAULT '',
	ip        TEXT NOT NULL DEFAULT '',
	detail    TEXT NOT NULL DEFAULT '',
	at        INTEGER NOT NULL
);
CREATE INDEX security_events_team_at ON security_events(team, at);
