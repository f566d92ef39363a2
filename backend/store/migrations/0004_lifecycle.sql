-- Personal data of vendors' contact persons is sealed with a key of its
-- own per data subject; erasing the subject destroys that key
-- (crypto-shredding), which leaves every other record, and the audit
-- chain, intact and verifiable.
CREATE TABLE subject_keys (
    subject_id TEXT PRIMARY KEY,
    key_sealed BLOB,
    created_at TEXT NOT NULL,
    erased_at  TEXT NOT NULL DEFAULT ''
) STRICT;

CREATE TABLE vendor_contacts (
    id         TEXT PRIMARY KEY REFERENCES subject_keys(subject_id),
    vendor_id  TEXT NOT NULL REFERENCES vendors(id),
    content    BLOB,
    created_at TEXT NOT NULL
) STRICT;
CREATE INDEX vendor_contacts_vendor ON vendor_contacts(vendor_id);

-- Legal holds stop retention from purging an invoice or a vendor's invoices.
CREATE TABLE legal_holds (
    target     TEXT PRIMARY KEY,
    reason     BLOB NOT NULL,
    created_at TEXT NOT NULL
) STRICT;
