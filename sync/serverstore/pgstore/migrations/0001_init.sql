-- Sync server schema (PostgreSQL).
CREATE TABLE teams (
	id         text PRIMARY KEY,
	index_id   text NOT NULL,
	head       bigint NOT NULL DEFAULT 0, -- last assigned sequence; the row is the per-team append lock
	created_at timestamptz NOT NULL
);

CREATE TABLE users (
	name          text PRIMARY KEY,
	team          text NOT NULL REFERENCES teams(id),
	password_hash text NOT NULL,
	role          text NOT NULL,
	disabled      boolean NOT NULL DEFAULT false,
	token_version bigint NOT NULL DEFAULT 1,
	created_at    timestamptz NOT NULL
);
CREATE INDEX users_team ON users(team);

-- One row per operation; body is the JSON of wire.Op, kept byte for byte.
CREATE TABLE ops (
	team        text NOT NULL REFERENCES teams(id),
	seq         bigint NOT NULL,
	op_id       text NOT NULL,
	body        bytea NOT NULL,
	received_at timestamptz NOT NULL,
	PRIMARY KEY (team, seq),
	UNIQUE (team, op_id)
);

CREATE TABLE refresh_families (
	id         text PRIMARY KEY,
	user_id    text NOT NULL,
	created_at timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	revoked_at timestamptz,
	reason     text NOT NULL DEFAULT ''
);
CREATE INDEX refresh_families_user ON refresh_families(user_id);

CREATE TABLE refresh_tokens (
	hash       bytea PRIMARY KEY, -- SHA-256 of the token; the token itself is never stored
	family_id  text NOT NULL REFERENCES refresh_families(id),
	user_id    text NOT NULL,
	issued_at  timestamptz NOT NULL,
	expires_at timestamptz NOT NULL,
	used_at    timestamptz
);
