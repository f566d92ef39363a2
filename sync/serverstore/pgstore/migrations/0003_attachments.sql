-- Attachment originals by content hash, per team (serverstore.Attachments).
-- held is the number of bytes stored from offset 0; complete is set once
-- held = size and the content matched the hash.
CREATE TABLE attachments (
	team       text NOT NULL REFERENCES teams(id),
	hash       text NOT NULL, -- SHA-256, lowercase hex
	size       bigint NOT NULL,
	held       bigint NOT NULL DEFAULT 0,
	complete   boolean NOT NULL DEFAULT false,
	created_at timestamptz NOT NULL,
	PRIMARY KEY (team, hash)
);

-- The content in chunks of at most wire.MaxChunk bytes, contiguous from 0.
CREATE TABLE attachment_chunks (
	team text NOT NULL,
	hash text NOT NULL,
	off  bigint NOT NULL,
	len  bigint NOT NULL,
	data bytea NOT NULL,
	PRIMARY KEY (team, hash, off),
	FOREIGN KEY (team, hash) REFERENCES attachments(team, hash) ON DELETE CASCADE
);
