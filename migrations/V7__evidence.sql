-- Evidence files (domain.md §14): metadata here, bytes in the data directory's evidence store under their SHA-256.

CREATE TABLE evidence_files (
    id               TEXT PRIMARY KEY,
    sha256           TEXT NOT NULL CHECK (length(sha256) = 64),
    size_bytes       INTEGER NOT NULL CHECK (size_bytes >= 1),
    media_type       TEXT NOT NULL,
    original_name    TEXT NOT NULL,
    caption          TEXT,
    captured_at      TEXT NOT NULL,
    captured_by      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    latitude         REAL CHECK (latitude IS NULL OR latitude BETWEEN -90 AND 90),
    longitude        REAL CHECK (longitude IS NULL OR longitude BETWEEN -180 AND 180),
    gps_accuracy_m   REAL,
    source           TEXT NOT NULL CHECK (source IN ('upload','camera','scan','import','derived')),
    derived_from_id  TEXT REFERENCES evidence_files (id) ON DELETE RESTRICT,
    created_at       TEXT NOT NULL,
    created_by       TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX evidence_files_sha ON evidence_files (sha256);
CREATE TRIGGER evidence_files_no_update BEFORE UPDATE OF sha256, size_bytes ON evidence_files
BEGIN SELECT RAISE(ABORT, 'evidence bytes never change; attach a derived copy instead'); END;
CREATE TRIGGER evidence_files_no_delete BEFORE DELETE ON evidence_files
BEGIN SELECT RAISE(ABORT, 'evidence files are kept; detach them instead'); END;

-- Evidence ↔ any record (§1.7): the record end is typed, as an action's source is.
CREATE TABLE evidence_links (
    evidence_id  TEXT NOT NULL REFERENCES evidence_files (id) ON DELETE RESTRICT,
    entity_type  TEXT NOT NULL,
    entity_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (evidence_id, entity_type, entity_id)
) WITHOUT ROWID;
CREATE INDEX evidence_links_entity ON evidence_links (entity_type, entity_id, created_at);
