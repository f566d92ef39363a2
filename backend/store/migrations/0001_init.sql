-- Clear columns: ids, states, times, counters, keyed blind indexes, wrapped
-- keys and public keys. Everything else is sealed (*_sealed / content / body).
CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value BLOB NOT NULL
) STRICT;

CREATE TABLE users (
    id          TEXT PRIMARY KEY,
    name        TEXT NOT NULL UNIQUE,
    role_sealed BLOB NOT NULL,
    wrapped_key BLOB NOT NULL,
    created_at  TEXT NOT NULL,
    disabled    INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Keyed by the name as typed (normalised), known user or not, so unknown
-- names lock out exactly like known ones.
CREATE TABLE login_attempts (
    name         TEXT PRIMARY KEY,
    failures     INTEGER NOT NULL,
    locked_until TEXT NOT NULL DEFAULT '',
    last_failure TEXT NOT NULL
) STRICT;

-- Authentication events that happen while no key is unlocked; they are
-- folded into the audit chain at the next unlock.
CREATE TABLE pending_auth_events (
    id       INTEGER PRIMARY KEY AUTOINCREMENT,
    at       TEXT NOT NULL,
    name     TEXT NOT NULL,
    action   TEXT NOT NULL,
    decision TEXT NOT NULL,
    reason   TEXT NOT NULL
) STRICT;

CREATE TABLE vendors (
    id              TEXT PRIMARY KEY,
    content         BLOB NOT NULL,
    name_index      BLOB NOT NULL,
    vat_index       BLOB,
    iban_index      BLOB,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    bank_changed_at TEXT NOT NULL DEFAULT ''
) STRICT;
CREATE INDEX vendors_name ON vendors(name_index);
CREATE UNIQUE INDEX vendors_vat ON vendors(vat_index) WHERE vat_index IS NOT NULL;
CREATE INDEX vendors_iban ON vendors(iban_index);

CREATE TABLE vendor_bank_changes (
    id         TEXT PRIMARY KEY,
    vendor_id  TEXT NOT NULL REFERENCES vendors(id),
    changed_at TEXT NOT NULL,
    content    BLOB NOT NULL
) STRICT;
CREATE INDEX vendor_bank_changes_vendor ON vendor_bank_changes(vendor_id, changed_at);

CREATE TABLE invoices (
    id           TEXT PRIMARY KEY,
    status       TEXT NOT NULL,
    held_from    TEXT NOT NULL DEFAULT '',
    vendor_id    TEXT REFERENCES vendors(id),
    content      BLOB NOT NULL,
    number_index BLOB,
    sha_index    BLOB,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;
CREATE INDEX invoices_status ON invoices(status, created_at);
CREATE INDEX invoices_number ON invoices(number_index);
CREATE INDEX invoices_sha ON invoices(sha_index);

CREATE TABLE purchase_orders (
    id           TEXT PRIMARY KEY,
    number_index BLOB NOT NULL UNIQUE,
    vendor_id    TEXT REFERENCES vendors(id),
    status       TEXT NOT NULL,
    content      BLOB NOT NULL,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL
) STRICT;

CREATE TABLE goods_receipts (
    id          TEXT PRIMARY KEY,
    po_id       TEXT NOT NULL REFERENCES purchase_orders(id),
    content     BLOB NOT NULL,
    received_at TEXT NOT NULL
) STRICT;

-- Sealed attachment files live in the attachments folder under names that
-- reveal nothing; this table ties them to invoices with sealed metadata.
CREATE TABLE attachments (
    name       TEXT PRIMARY KEY,
    size       INTEGER NOT NULL,
    meta       BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;

CREATE TABLE audit_entries (
    device TEXT NOT NULL,
    seq    INTEGER NOT NULL,
    body   BLOB NOT NULL,
    hash   BLOB NOT NULL,
    PRIMARY KEY (device, seq)
) STRICT;

CREATE TABLE audit_heads (
    device TEXT PRIMARY KEY,
    seq    INTEGER NOT NULL,
    hash   BLOB NOT NULL,
    sig    BLOB NOT NULL
) STRICT;
