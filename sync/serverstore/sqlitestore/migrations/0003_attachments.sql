-- Attachment originals by content hash, per team (serverstore.Attachments).
-- held is the number of bytes stored from offset 0; complete is set once
-- held = size and the content matched the hash.
CREATE TABLE attachments (
	team       TEXT NOT NULL REFERENCES teams(id),
	hash       TEXT NOT NULL, -- SHA-256, lowercase hex
	size       INTEGER NOT NULL,
	held       INTEGER NOT NULL DEFAULT 0,
	complete   INTEGER NOT NULL DEFAULT 0,
	created_at INTEGER NOT NULL,
	PRIMARY KEY (team, hash)
) WITHOUT ROWID;

-- The content in chunks of at most wire.MaxChunk bytes, contiguous from 0.
CREATE TABLE attachment_chunks (
	team TEXT NOT NULL,
	hash TEXT NOT NULL,
	off  INTEGER NOT NULL,
	len  INTEGER NOT NULL,
	data BLOB NOT NULL,
	PRIMARY KEY (team, hash, off),
	FOREIGN KEY (team, hash) REFERENCES attachments(team, hash) ON DELETE CASCADE
) WITHOUT ROWID;
