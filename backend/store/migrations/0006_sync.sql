-- Sync with the team server (docs/SYNC.md). Every body is sealed: ops and
-- states carry invoice content. Clear columns hold only ids, sequence
-- numbers, times and keyed blind indexes.

-- Ops this device made, written in the same transaction as the change.
-- acked_seq 0: not yet acknowledged by the server. A row is deleted once
-- the op came back in server order (it is then part of the confirmed state).
CREATE TABLE IF NOT EXISTS sync_outbox (
    id          INTEGER PRIMARY KEY AUTOINCREMENT,
    op_id       TEXT NOT NULL UNIQUE,
    entity_type TEXT NOT NULL,
    entity_id   TEXT NOT NULL,
    body        BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    acked_index TEXT NOT NULL DEFAULT '',
    acked_seq   INTEGER NOT NULL DEFAULT 0
) STRICT;
CREATE INDEX IF NOT EXISTS sync_outbox_pending ON sync_outbox(acked_seq, id);
CREATE INDEX IF NOT EXISTS sync_outbox_entity ON sync_outbox(entity_id, id);

-- Per invoice: the merge state confirmed by server order, and the local
-- view (confirmed plus this device's pending ops).
CREATE TABLE IF NOT EXISTS sync_states (
    entity_id TEXT PRIMARY KEY,
    confirmed BLOB NOT NULL,
    view      BLOB NOT NULL
) STRICT;

-- Business conflicts (approve vs reject, concurrent corrections) and
-- integrity problems found while syncing; key derived from the two ops.
CREATE TABLE IF NOT EXISTS sync_exceptions (
    id         TEXT PRIMARY KEY,
    entity_id  TEXT NOT NULL,
    seq        INTEGER NOT NULL DEFAULT 0,
    body       BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- This device's ops the server refused, kept for people to see.
CREATE TABLE IF NOT EXISTS sync_rejections (
    op_id      TEXT PRIMARY KEY,
    entity_id  TEXT NOT NULL,
    body       BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

-- Other devices' audit entries, chain by chain.
CREATE TABLE IF NOT EXISTS sync_remote_audit (
    device TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    body   BLOB NOT NULL,
    hash   BLOB NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;

-- Snapshot pages of a bootstrap in progress, until the last page.
CREATE TABLE IF NOT EXISTS sync_snapshot_pages (
    page INTEGER PRIMARY KEY,
    at   TEXT NOT NULL,
    body BLOB NOT NULL
) STRICT;

-- Originals by content hash (blind index): held here or not, uploaded or
-- not; downloads in progress are staged sealed chunk by chunk.
CREATE TABLE IF NOT EXISTS sync_attachments (
    hash_index BLOB PRIMARY KEY,
    body       BLOB NOT NULL,
    have       INTEGER NOT NULL,
    uploaded   INTEGER NOT NULL
) STRICT;

CREATE TABLE IF NOT EXISTS sync_attachment_parts (
    hash_index BLOB NOT NULL,
    offset     INTEGER NOT NULL,
    body       BLOB NOT NULL,
    PRIMARY KEY (hash_index, offset)
) STRICT;
