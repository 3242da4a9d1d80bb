-- Controlled documents, continued (domain.md §13): who must acknowledge, periodic reviews, acknowledgements.

-- Who must read and acknowledge a document's versions: roles and named users, one row each.
CREATE TABLE document_ack_roles (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    role         TEXT NOT NULL CHECK (role IN ('admin','manager','auditor','contributor','viewer')),
    PRIMARY KEY (document_id, role)
) WITHOUT ROWID;

CREATE TABLE document_ack_users (
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    user_id      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (document_id, user_id)
) WITHOUT ROWID;
CREATE INDEX document_ack_users_user ON document_ack_users (user_id);

-- A periodic review as recorded; append-only (a review is evidence that it happened).
CREATE TABLE document_reviews (
    id            TEXT PRIMARY KEY,
    document_id   TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    reviewed_on   TEXT NOT NULL,
    reviewer_id   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    outcome       TEXT NOT NULL CHECK (outcome IN ('no_change','minor_revision','major_revision','retire')),
    notes         TEXT NOT NULL,
    version_id    TEXT REFERENCES document_versions (id) ON DELETE RESTRICT,
    signature_id  TEXT REFERENCES signatures (id) ON DELETE RESTRICT,
    created_at    TEXT NOT NULL
);
CREATE INDEX document_reviews_document ON document_reviews (document_id, reviewed_on DESC, created_at DESC);
CREATE TRIGGER document_reviews_no_update BEFORE UPDATE ON document_reviews
BEGIN SELECT RAISE(ABORT, 'a recorded document review cannot change'); END;
CREATE TRIGGER document_reviews_no_delete BEFORE DELETE ON document_reviews
BEGIN SELECT RAISE(ABORT, 'a recorded document review cannot be deleted'); END;

-- One row per (version, user) asked to acknowledge it. A row carried over from an earlier minor version keeps the
-- earlier acknowledgement's time and signature and names the version it came from.
CREATE TABLE document_acknowledgements (
    id                TEXT PRIMARY KEY,
    document_id       TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    version_id        TEXT NOT NULL REFERENCES document_versions (id) ON DELETE RESTRICT,
    user_id           TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    requested_at      TEXT NOT NULL,
    status            TEXT NOT NULL CHECK (status IN ('pending','acknowledged')),
    acknowledged_at   TEXT,
    signature_id      TEXT REFERENCES signatures (id) ON DELETE RESTRICT,
    carried_from_version_id TEXT REFERENCES document_versions (id) ON DELETE RESTRICT,
    UNIQUE (version_id, user_id),
    CHECK ((status = 'pending') = (acknowledged_at IS NULL))
);
CREATE INDEX document_acknowledgements_user ON document_acknowledgements (user_id, status);
CREATE TRIGGER document_acknowledgements_no_delete BEFORE DELETE ON document_acknowledgements
BEGIN SELECT RAISE(ABORT, 'acknowledgement records are never deleted'); END;
CREATE TRIGGER document_acknowledgements_final BEFORE UPDATE ON document_acknowledgements
WHEN old.status = 'acknowledged'
BEGIN SELECT RAISE(ABORT, 'an acknowledgement cannot change once given'); END;
