-- Actions / CAPA (domain.md §7) and e-signatures (§2).

CREATE TABLE actions (
    id                      TEXT PRIMARY KEY,
    reference               TEXT NOT NULL UNIQUE,
    legacy_reference        TEXT,
    source_type             TEXT NOT NULL CHECK (source_type IN ('finding','incident','collision','complaint','risk','investigation','document_review')),
    source_id               TEXT NOT NULL,
    source_reference        TEXT,
    title                   TEXT NOT NULL,
    description             TEXT NOT NULL,
    action_type             TEXT NOT NULL,
    priority                TEXT NOT NULL,
    owner_id                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    due_date                TEXT NOT NULL,
    original_due_date       TEXT NOT NULL,
    due_date_changes        JSON NOT NULL DEFAULT '[]',
    requires_verification   BOOLEAN NOT NULL,
    verification_due_date   TEXT,
    status                  TEXT NOT NULL,
    completion_notes        TEXT,
    is_effective            BOOLEAN,
    verification_notes      TEXT,
    started_at              TEXT,
    completed_at            TEXT,
    completed_by            TEXT REFERENCES users (id) ON DELETE RESTRICT,
    verified_at             TEXT,
    verified_by             TEXT REFERENCES users (id) ON DELETE RESTRICT,
    cancelled_at            TEXT,
    reopen_count            INTEGER NOT NULL DEFAULT 0,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by              TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version             INTEGER NOT NULL DEFAULT 1,
    archived_at             TEXT,
    archived_by             TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason          TEXT
);
CREATE INDEX actions_source ON actions (source_type, source_id, status);
CREATE INDEX actions_owner_due ON actions (owner_id, status, due_date);
CREATE INDEX actions_due ON actions (status, due_date);

CREATE TRIGGER actions_no_delete BEFORE DELETE ON actions
BEGIN SELECT RAISE(ABORT, 'actions are archived, never deleted'); END;

CREATE TABLE signatures (
    id                TEXT PRIMARY KEY,
    signer_id         TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    signer_name       TEXT NOT NULL,
    signed_at         TEXT NOT NULL,
    meaning           TEXT NOT NULL CHECK (meaning IN ('reviewed','approved','completed','verified','accepted','acknowledged')),
    entity_type       TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    entity_reference  TEXT,
    content_hash      TEXT NOT NULL,
    comment           TEXT
);
CREATE INDEX signatures_entity ON signatures (entity_type, entity_id, signed_at);

CREATE TRIGGER signatures_no_update BEFORE UPDATE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures cannot be changed'); END;
CREATE TRIGGER signatures_no_delete BEFORE DELETE ON signatures
BEGIN SELECT RAISE(ABORT, 'signatures cannot be deleted'); END;
