-- Signing keys of other installations whose evidence packs this installation accepts as "signed by a known key"
-- (packs.verify). A pack signed by any other key is intact only as far as its own key goes: its signer is unknown.
-- Keys are never deleted: withdrawing trust archives the row, with the reason in the audit trail.
CREATE TABLE trusted_signing_keys (
    fingerprint     TEXT PRIMARY KEY,
    public_key_pem  TEXT NOT NULL,
    label           TEXT NOT NULL CHECK (length(label) BETWEEN 1 AND 200),
    created_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    archived_at     TEXT,
    archived_by     TEXT REFERENCES users (id) ON DELETE RESTRICT
);
CREATE TRIGGER trusted_signing_keys_no_delete BEFORE DELETE ON trusted_signing_keys
BEGIN SELECT RAISE(ABORT, 'trusted keys are archived, never deleted'); END;
