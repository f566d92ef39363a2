-- The token a refresh token was rotated into, so that a client whose
-- answer was lost can retry within the reuse grace (sync/auth Refresh).
ALTER TABLE refresh_tokens ADD COLUMN successor BLOB;
