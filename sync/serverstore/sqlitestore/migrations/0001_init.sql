-- Sync server schema. Times are Unix microseconds (UTC); NULL means unset.
CREATE TABLE teams (
	id         TEXT PRIMARY KEY,
	index_id   TEXT NOT NULL,
	head       INTEGER NOT NULL DEFAULT 0, -- last assigned sequence
	created_at INTEGER NOT NULL
);

CREATE TABLE users (
	name          TEXT PRIMARY KEY,
	team          TEXT NOT NULL REFERENCES teams(id),
	password_hash TEXT NOT NULL,
	role          TEXT NOT NULL,
	disabled      INTEGER NOT NULL DEFAULT 0,
	token_version INTEGER NOT NULL DEFAULT 1,
	created_at    INTEGER NOT NULL
);
CREATE INDEX users_team ON users(team);

-- One row per operation; body is the JSON of wire.Op.
CREATE TABLE ops (
	team        TEXT NOT NULL REFERENCES teams(id),
	seq         INTEGER NOT NULL,
	op_id       TEXT NOT NULL,
	body        BLOB NOT NULL,
	received_at INTEGER NOT NULL,
	PRIMARY KEY (team, seq),
	UNIQUE (team, op_id)
) WITHOUT ROWID;

CREATE TABLE refresh_families (
	id         TEXT PRIMARY KEY,
	user_id    TEXT NOT NULL,
	created_at INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	revoked_at INTEGER,
	reason     TEXT NOT NULL DEFAULT ''
);
CREATE INDEX refresh_families_user ON refresh_families(user_id);

CREATE TABLE refresh_tokens (
	hash       BLOB PRIMARY KEY, -- SHA-256 of the token; the token itself is never stored
	family_id  TEXT NOT NULL REFERENCES refresh_families(id),
	user_id    TEXT NOT NULL,
	issued_at  INTEGER NOT NULL,
	expires_at INTEGER NOT NULL,
	used_at    INTEGER
);
