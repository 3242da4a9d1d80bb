-- Complaints (domain.md §11).

CREATE TABLE complaints (
    id                        TEXT PRIMARY KEY,
    reference                 TEXT NOT NULL UNIQUE,
    legacy_reference          TEXT,
    title                     TEXT NOT NULL,
    description               TEXT NOT NULL,
    complainant_name          TEXT NOT NULL,
    complainant_email         TEXT,
    complainant_phone         TEXT,
    complainant_company       TEXT,
    complainant_address       TEXT,
    complaint_type            TEXT NOT NULL,
    priority                  TEXT NOT NULL,
    received_date             TEXT NOT NULL,
    acknowledged_date         TEXT,
    resolved_date             TEXT,
    target_resolution_date    TEXT NOT NULL,
    related_reference         TEXT,
    related_product_service   TEXT,
    owner_id                  TEXT REFERENCES users (id) ON DELETE RESTRICT,
    department                TEXT,
    investigation_notes       TEXT,
    root_cause                TEXT,
    resolution_summary        TEXT,
    customer_satisfied        BOOLEAN,
    compensation_offered      TEXT,
    source                    TEXT NOT NULL,
    original_email_subject    TEXT,
    original_email_body       TEXT,
    escalated_to              TEXT,
    escalation_reason         TEXT,
    escalated_at              TEXT,
    closure_notes             TEXT,
    status                    TEXT NOT NULL CHECK (status IN ('received','acknowledged','under_investigation','resolved','closed','escalated')),
    closed_at                 TEXT,
    closed_by                 TEXT REFERENCES users (id) ON DELETE RESTRICT,
    reopen_count              INTEGER NOT NULL DEFAULT 0,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version               INTEGER NOT NULL DEFAULT 1,
    archived_at               TEXT,
    archived_by               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason            TEXT
);
CREATE INDEX complaints_live_order ON complaints (received_date DESC, created_at DESC, id, status, priority) WHERE archived_at IS NULL;
CREATE INDEX complaints_live_status ON complaints (status, priority, complaint_type) WHERE archived_at IS NULL;
CREATE INDEX complaints_owner ON complaints (owner_id, status);
CREATE TRIGGER complaints_no_delete BEFORE DELETE ON complaints
BEGIN SELECT RAISE(ABORT, 'complaints are archived, never deleted'); END;

CREATE VIRTUAL TABLE complaints_fts USING fts5 (
    reference, legacy_reference, title, description, complainant_name, complainant_company, related_reference,
    content = 'complaints', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER complaints_fts_insert AFTER INSERT ON complaints BEGIN
    INSERT INTO complaints_fts (rowid, reference, legacy_reference, title, description, complainant_name, complainant_company, related_reference)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.complainant_name, new.complainant_company, new.related_reference);
END;
CREATE TRIGGER complaints_fts_update AFTER UPDATE OF reference, legacy_reference, title, description, complainant_name, complainant_company, related_reference ON complaints BEGIN
    INSERT INTO complaints_fts (complaints_fts, rowid, reference, legacy_reference, title, description, complainant_name, complainant_company, related_reference)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description, old.complainant_name, old.complainant_company, old.related_reference);
    INSERT INTO complaints_fts (rowid, reference, legacy_reference, title, description, complainant_name, complainant_company, related_reference)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.complainant_name, new.complainant_company, new.related_reference);
END;
