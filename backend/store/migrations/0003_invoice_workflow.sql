-- The invoice's workflow (sealed): who changed which field, when it was
-- submitted, its cost centre, approvals and decisions.
ALTER TABLE invoices ADD COLUMN workflow BLOB;
