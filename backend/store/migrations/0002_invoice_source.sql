-- Where an invoice came from (sealed: original file name, kind, attachment,
-- how it was read) and what the checks found (sealed).
ALTER TABLE invoices ADD COLUMN source BLOB;
ALTER TABLE invoices ADD COLUMN findings BLOB;
