-- Audit runs, responses and findings (domain.md §5, §6). Scores are exact decimals kept as text.

CREATE TABLE audit_runs (
    id                   TEXT PRIMARY KEY,
    reference            TEXT NOT NULL UNIQUE,
    legacy_reference     TEXT,
    template_id          TEXT NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,
    template_version_id  TEXT NOT NULL REFERENCES template_versions (id) ON DELETE RESTRICT,
    title                TEXT NOT NULL,
    location             TEXT,
    location_detail      TEXT,
    auditee              TEXT,
    lead_auditor_id      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    reviewer_id          TEXT REFERENCES users (id) ON DELETE RESTRICT,
    scheduled_date       TEXT,
    due_date             TEXT,
    status               TEXT NOT NULL CHECK (status IN ('draft','scheduled','in_progress','pending_review','completed','cancelled')),
    started_at           TEXT,
    submitted_at         TEXT,
    completed_at         TEXT,
    cancelled_at         TEXT,
    latitude             REAL CHECK (latitude BETWEEN -90 AND 90),
    longitude            REAL CHECK (longitude BETWEEN -180 AND 180),
    gps_accuracy_m       REAL CHECK (gps_accuracy_m >= 0),
    score                TEXT,
    max_score            TEXT,
    percentage           TEXT,
    passed               BOOLEAN,
    follow_up_of_run_id  TEXT REFERENCES audit_runs (id) ON DELETE RESTRICT,
    notes                TEXT,
    created_at           TEXT NOT NULL,
    updated_at           TEXT NOT NULL,
    created_by           TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by           TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version          INTEGER NOT NULL DEFAULT 1,
    archived_at          TEXT,
    archived_by          TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason       TEXT,
    CHECK ((latitude IS NULL) = (longitude IS NULL))
);
CREATE INDEX audit_runs_live_schedule ON audit_runs (scheduled_date DESC, created_at DESC, id) WHERE archived_at IS NULL;
CREATE INDEX audit_runs_template ON audit_runs (template_id, status);

-- One response per (run, question); answering again updates it.
CREATE TABLE audit_responses (
    id              TEXT PRIMARY KEY,
    run_id          TEXT NOT NULL REFERENCES audit_runs (id) ON DELETE RESTRICT,
    question_id     TEXT NOT NULL,
    answer          TEXT,
    is_na           BOOLEAN NOT NULL DEFAULT 0,
    note            TEXT,
    answered_at     TEXT,
    answered_by     TEXT REFERENCES users (id) ON DELETE RESTRICT,
    latitude        REAL,
    longitude       REAL,
    gps_accuracy_m  REAL,
    score           TEXT,
    max_score       TEXT,
    row_version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (run_id, question_id),
    CHECK (NOT is_na OR answer IS NULL)
);

CREATE TABLE findings (
    id                          TEXT PRIMARY KEY,
    reference                   TEXT NOT NULL UNIQUE,
    legacy_reference            TEXT,
    run_id                      TEXT NOT NULL REFERENCES audit_runs (id) ON DELETE RESTRICT,
    question_id                 TEXT,
    response_id                 TEXT REFERENCES audit_responses (id) ON DELETE RESTRICT,
    origin                      TEXT NOT NULL CHECK (origin IN ('auto','manual')),
    title                       TEXT NOT NULL,
    description                 TEXT NOT NULL,
    finding_type                TEXT NOT NULL CHECK (finding_type IN ('nonconformity','observation','opportunity','positive')),
    severity                    TEXT NOT NULL CHECK (severity IN ('critical','high','medium','low','observation')),
    corrective_action_required  BOOLEAN NOT NULL,
    action_due_date             TEXT,
    status                      TEXT NOT NULL CHECK (status IN ('open','action_planned','pending_verification','closed','deferred')),
    deferred_until              TEXT,
    verification_notes          TEXT,
    closure_notes               TEXT,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    created_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version                 INTEGER NOT NULL DEFAULT 1,
    archived_at                 TEXT,
    archived_by                 TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason              TEXT,
    CHECK (NOT (finding_type = 'nonconformity' AND severity = 'observation'))
);
CREATE INDEX findings_run ON findings (run_id, created_at);
CREATE INDEX findings_live_order ON findings (status, severity, created_at DESC) WHERE archived_at IS NULL;
CREATE TRIGGER findings_no_delete BEFORE DELETE ON findings
BEGIN SELECT RAISE(ABORT, 'findings are closed or archived, never deleted'); END;

-- Follow-up (§1.7): the open findings a re-audit re-checks.
CREATE TABLE run_follow_ups (
    run_id      TEXT NOT NULL REFERENCES audit_runs (id) ON DELETE RESTRICT,
    finding_id  TEXT NOT NULL REFERENCES findings (id) ON DELETE RESTRICT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (run_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX run_follow_ups_finding ON run_follow_ups (finding_id);

CREATE VIRTUAL TABLE audit_runs_fts USING fts5 (
    reference, legacy_reference, title, location, auditee,
    content = 'audit_runs', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER audit_runs_fts_insert AFTER INSERT ON audit_runs BEGIN
    INSERT INTO audit_runs_fts (rowid, reference, legacy_reference, title, location, auditee)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.location, new.auditee);
END;
CREATE TRIGGER audit_runs_fts_update AFTER UPDATE OF reference, legacy_reference, title, location, auditee ON audit_runs BEGIN
    INSERT INTO audit_runs_fts (audit_runs_fts, rowid, reference, legacy_reference, title, location, auditee)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.location, old.auditee);
    INSERT INTO audit_runs_fts (rowid, reference, legacy_reference, title, location, auditee)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.location, new.auditee);
END;
CREATE TRIGGER audit_runs_fts_delete AFTER DELETE ON audit_runs BEGIN
    INSERT INTO audit_runs_fts (audit_runs_fts, rowid, reference, legacy_reference, title, location, auditee)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.location, old.auditee);
END;

CREATE VIRTUAL TABLE findings_fts USING fts5 (
    reference, legacy_reference, title, description,
    content = 'findings', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER findings_fts_insert AFTER INSERT ON findings BEGIN
    INSERT INTO findings_fts (rowid, reference, legacy_reference, title, description)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description);
END;
CREATE TRIGGER findings_fts_update AFTER UPDATE OF reference, legacy_reference, title, description ON findings BEGIN
    INSERT INTO findings_fts (findings_fts, rowid, reference, legacy_reference, title, description)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description);
    INSERT INTO findings_fts (rowid, reference, legacy_reference, title, description)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description);
END;
