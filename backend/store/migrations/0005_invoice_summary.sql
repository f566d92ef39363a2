-- The invoice list's summary of each invoice (sealed, ~200 bytes: number,
-- seller, amount, dates, who imported it, cost centre, approvers), so the
-- list opens one small envelope per row instead of the whole invoice.
-- Existing rows start without one; the first unlocked session fills them
-- in (sealing needs the data key, which SQL migrations never see).
ALTER TABLE invoices ADD COLUMN summary BLOB;
-- list_seq grows with every summary written: an open list reloads only
-- rows above the highest it has seen, whatever the clocks say.
ALTER TABLE invoices ADD COLUMN list_seq INTEGER NOT NULL DEFAULT 0;
CREATE INDEX invoices_list_seq ON invoices(list_seq);
