-- Policies and controlled documents (domain.md §13): the controlled identity and its versions.

CREATE TABLE documents (
    id                        TEXT PRIMARY KEY,
    reference                 TEXT NOT NULL UNIQUE,
    legacy_reference          TEXT,
    title                     TEXT NOT NULL,
    description               TEXT,
    document_type             TEXT NOT NULL,
    category                  TEXT,
    department                TEXT,
    owner_id                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    default_approver_id       TEXT REFERENCES users (id) ON DELETE RESTRICT,
    confidentiality           TEXT NOT NULL,
    review_frequency_months   INTEGER NOT NULL CHECK (review_frequency_months BETWEEN 1 AND 60),
    next_review_date          TEXT,
    acknowledgement_required  BOOLEAN NOT NULL DEFAULT 0,
    ack_within_days           INTEGER NOT NULL DEFAULT 14 CHECK (ack_within_days BETWEEN 1 AND 365),
    status                    TEXT NOT NULL CHECK (status IN ('draft','in_review','approved','published','under_review','superseded','retired')),
    superseded_by_id          TEXT REFERENCES documents (id) ON DELETE RESTRICT,
    review_started_at         TEXT,
    superseded_at             TEXT,
    retired_at                TEXT,
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version               INTEGER NOT NULL DEFAULT 1,
    archived_at               TEXT,
    archived_by               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason            TEXT
);
CREATE INDEX documents_live_order ON documents (reference DESC, id, status) WHERE archived_at IS NULL;
CREATE TRIGGER documents_no_delete BEFORE DELETE ON documents
BEGIN SELECT RAISE(ABORT, 'documents are archived or retired, never deleted'); END;

CREATE TABLE document_tags (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    tag          TEXT NOT NULL,
    PRIMARY KEY (document_id, tag)
) WITHOUT ROWID;

CREATE TABLE document_versions (
    id                          TEXT PRIMARY KEY,
    document_id                 TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    major                       INTEGER NOT NULL CHECK (major >= 1),
    minor                       INTEGER NOT NULL CHECK (minor >= 0),
    version_label               TEXT NOT NULL,
    change_summary              TEXT,
    body                        TEXT,
    status                      TEXT NOT NULL CHECK (status IN ('draft','in_review','approved','published','superseded')),
    submitted_at                TEXT,
    submitted_by                TEXT REFERENCES users (id) ON DELETE RESTRICT,
    approved_at                 TEXT,
    approved_by                 TEXT REFERENCES users (id) ON DELETE RESTRICT,
    published_at                TEXT,
    effective_date              TEXT,
    requires_reacknowledgement  BOOLEAN NOT NULL,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    created_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version                 INTEGER NOT NULL DEFAULT 1,
    UNIQUE (document_id, major, minor)
);
CREATE INDEX document_versions_document ON document_versions (document_id, major DESC, minor DESC);
-- Published content is immutable: its hash is in the approval signature.
CREATE TRIGGER document_versions_published_body BEFORE UPDATE OF body, change_summary ON document_versions
WHEN old.status IN ('approved', 'published', 'superseded')
     AND (new.body IS NOT old.body OR new.change_summary IS NOT old.change_summary)
BEGIN SELECT RAISE(ABORT, 'approved and published content cannot change'); END;

CREATE VIRTUAL TABLE documents_fts USING fts5 (
    reference, legacy_reference, title, description, category,
    content = 'documents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER documents_fts_insert AFTER INSERT ON documents BEGIN
    INSERT INTO documents_fts (rowid, reference, legacy_reference, title, description, category)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.category);
END;
CREATE TRIGGER documents_fts_update AFTER UPDATE OF reference, legacy_reference, title, description, category ON documents BEGIN
    INSERT INTO documents_fts (documents_fts, rowid, reference, legacy_reference, title, description, category)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description, old.category);
    INSERT INTO documents_fts (rowid, reference, legacy_reference, title, description, category)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.category);
END;
