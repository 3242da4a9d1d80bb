-- Risks (domain.md §8), investigations (§12), risk ↔ incident links (§1.7) and search indexes for global search.

CREATE TABLE risks (
    id                        TEXT PRIMARY KEY,
    reference                 TEXT NOT NULL UNIQUE,
    legacy_reference          TEXT,
    title                     TEXT NOT NULL,
    description               TEXT NOT NULL,
    category                  TEXT NOT NULL,
    subcategory               TEXT,
    department                TEXT,
    cause                     TEXT,
    event                     TEXT,
    consequence               TEXT,
    owner_id                  TEXT REFERENCES users (id) ON DELETE RESTRICT,
    treatment_strategy        TEXT NOT NULL,
    treatment_plan            TEXT,
    treatment_due_date        TEXT,
    likelihood                INTEGER NOT NULL CHECK (likelihood BETWEEN 1 AND 5),
    impact                    INTEGER NOT NULL CHECK (impact BETWEEN 1 AND 5),
    score                     INTEGER NOT NULL CHECK (score BETWEEN 1 AND 25),
    level                     TEXT NOT NULL CHECK (level IN ('very_low','low','medium','high','critical')),
    review_frequency_months   INTEGER NOT NULL CHECK (review_frequency_months BETWEEN 1 AND 60),
    next_review_date          TEXT NOT NULL,
    status                    TEXT NOT NULL CHECK (status IN ('identified','assessed','treating','monitoring','closed')),
    accepted_at               TEXT,
    accepted_by               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    closed_at                 TEXT,
    closed_by                 TEXT REFERENCES users (id) ON DELETE RESTRICT,
    closure_reason            TEXT,
    reopen_count              INTEGER NOT NULL DEFAULT 0,
    -- Inherent and target ratings of the latest assessment (assessment_date, then created_at), kept on the risk
    -- so every heat-map basis is an index scan.
    inherent_likelihood       INTEGER NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact           INTEGER NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    target_likelihood         INTEGER CHECK (target_likelihood BETWEEN 1 AND 5),
    target_impact             INTEGER CHECK (target_impact BETWEEN 1 AND 5),
    created_at                TEXT NOT NULL,
    updated_at                TEXT NOT NULL,
    created_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version               INTEGER NOT NULL DEFAULT 1,
    archived_at               TEXT,
    archived_by               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason            TEXT
);
-- The register's default order (score desc, next review) over live records, and the heat map's cell counts.
CREATE INDEX risks_live_order ON risks (score DESC, next_review_date, id) WHERE archived_at IS NULL;
-- Heat map cells per basis, over open risks only (not archived, not closed).
CREATE INDEX risks_cells_residual ON risks (likelihood, impact) WHERE archived_at IS NULL AND status <> 'closed';
CREATE INDEX risks_cells_inherent ON risks (inherent_likelihood, inherent_impact) WHERE archived_at IS NULL AND status <> 'closed';
CREATE INDEX risks_cells_target ON risks (target_likelihood, target_impact) WHERE archived_at IS NULL AND status <> 'closed';
CREATE INDEX risks_live_status ON risks (status, level) WHERE archived_at IS NULL;
CREATE INDEX risks_owner ON risks (owner_id, status);
CREATE INDEX risks_review ON risks (next_review_date) WHERE archived_at IS NULL AND status <> 'closed';

CREATE TRIGGER risks_no_delete BEFORE DELETE ON risks
BEGIN SELECT RAISE(ABORT, 'risks are archived, never deleted'); END;

-- Assessment history is append-only: a correction is a new assessment.
CREATE TABLE risk_assessments (
    id                            TEXT PRIMARY KEY,
    risk_id                       TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    assessment_date               TEXT NOT NULL,
    assessment_type               TEXT NOT NULL CHECK (assessment_type IN ('initial','periodic','triggered','post_incident')),
    inherent_likelihood           INTEGER NOT NULL CHECK (inherent_likelihood BETWEEN 1 AND 5),
    inherent_impact               INTEGER NOT NULL CHECK (inherent_impact BETWEEN 1 AND 5),
    inherent_score                INTEGER NOT NULL,
    inherent_level                TEXT NOT NULL,
    residual_likelihood           INTEGER NOT NULL CHECK (residual_likelihood BETWEEN 1 AND 5),
    residual_impact               INTEGER NOT NULL CHECK (residual_impact BETWEEN 1 AND 5),
    residual_score                INTEGER NOT NULL,
    residual_level                TEXT NOT NULL,
    target_likelihood             INTEGER CHECK (target_likelihood BETWEEN 1 AND 5),
    target_impact                 INTEGER CHECK (target_impact BETWEEN 1 AND 5),
    target_score                  INTEGER,
    target_level                  TEXT,
    notes                         TEXT,
    control_effectiveness_notes   TEXT,
    assessed_by                   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    created_at                    TEXT NOT NULL
);
CREATE INDEX risk_assessments_latest ON risk_assessments (risk_id, assessment_date DESC, created_at DESC, id DESC);
CREATE TRIGGER risk_assessments_no_update BEFORE UPDATE ON risk_assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only; record a new assessment'); END;
CREATE TRIGGER risk_assessments_no_delete BEFORE DELETE ON risk_assessments
BEGIN SELECT RAISE(ABORT, 'assessments are append-only; record a new assessment'); END;

CREATE TABLE risk_controls (
    id                      TEXT PRIMARY KEY,
    risk_id                 TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    title                   TEXT NOT NULL,
    description             TEXT,
    control_type            TEXT NOT NULL,
    implementation_status   TEXT NOT NULL,
    effectiveness           TEXT NOT NULL,
    owner_id                TEXT REFERENCES users (id) ON DELETE RESTRICT,
    test_frequency_months   INTEGER CHECK (test_frequency_months BETWEEN 1 AND 60),
    last_tested_on          TEXT,
    next_test_date          TEXT,
    created_at              TEXT NOT NULL,
    updated_at              TEXT NOT NULL,
    created_by              TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by              TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version             INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX risk_controls_risk ON risk_controls (risk_id, created_at);
CREATE TRIGGER risk_controls_no_delete BEFORE DELETE ON risk_controls
BEGIN SELECT RAISE(ABORT, 'risk controls are kept; mark them not_applicable instead'); END;

-- Links (§1.7): one row per pair; unlinking removes the row, the audit trail keeps the history on both ends.
CREATE TABLE risk_incident_links (
    risk_id       TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    incident_id   TEXT NOT NULL REFERENCES incidents (id) ON DELETE RESTRICT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, incident_id)
) WITHOUT ROWID;
CREATE INDEX risk_incident_links_incident ON risk_incident_links (incident_id, risk_id);

CREATE TABLE investigations (
    id                        TEXT PRIMARY KEY,
    reference                 TEXT NOT NULL UNIQUE,
    legacy_reference          TEXT,
    subject_type              TEXT NOT NULL CHECK (subject_type IN ('incident','collision','complaint','finding')),
    subject_id                TEXT NOT NULL,
    subject_reference         TEXT,
    title                     TEXT NOT NULL,
    lead_investigator_id      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    reviewer_id               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    team                      JSON NOT NULL DEFAULT '[]',
    external_team             TEXT,
    scope                     TEXT,
    problem_statement         TEXT NOT NULL,
    timeline                  JSON NOT NULL DEFAULT '[]',
    five_whys                 JSON NOT NULL DEFAULT '[]',
    fishbone                  JSON NOT NULL DEFAULT '[]',
    root_cause_summary        TEXT,
    contributing_factors      TEXT,
    conclusions               TEXT,
    recommendations           TEXT,
    lessons_learned           TEXT,
    target_completion_date    TEXT,
    status                    TEXT NOT NULL CHECK (status IN ('open','in_progress','completed','closed')),
    started_at                TEXT,
    completed_at              TEXT,
    reviewed_at               TEXT,
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
CREATE INDEX investigations_subject ON investigations (subject_type, subject_id, status);
CREATE INDEX investigations_order ON investigations (created_at DESC, id);
CREATE TRIGGER investigations_no_delete BEFORE DELETE ON investigations
BEGIN SELECT RAISE(ABORT, 'investigations are archived, never deleted'); END;

-- Live actions (not archived): "My actions" and the register walk these in their list order (due date, priority
-- critical first, id) and stop after a page; the dashboard counts overdue and due-soon actions from them without
-- reading rows. The expression must match the ORDER BY in action/store.rs exactly.
CREATE INDEX actions_live_owner_order ON actions (
    owner_id, due_date, CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, id, status
) WHERE archived_at IS NULL;
CREATE INDEX actions_live_order ON actions (
    due_date, CASE priority WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 ELSE 3 END, id, status
) WHERE archived_at IS NULL;
-- Per owner and priority, in that order, so the dashboard's per-owner figures stream without a sort.
CREATE INDEX actions_live_owner_summary ON actions (owner_id, priority, status, due_date) WHERE archived_at IS NULL;
CREATE INDEX actions_live_due ON actions (status, due_date, priority, owner_id) WHERE archived_at IS NULL;
-- Superseded by the live indexes above; left in place they lure the planner into reading every row to check
-- archived_at.
DROP INDEX actions_due;
DROP INDEX actions_owner_due;
CREATE INDEX actions_live_verification ON actions (verification_due_date)
    WHERE archived_at IS NULL AND status = 'completed' AND requires_verification = 1;

-- Free-text indexes for the register searches and global search (external content: tokens only).
CREATE VIRTUAL TABLE risks_fts USING fts5 (
    reference, legacy_reference, title, description, cause, event, consequence,
    content = 'risks', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER risks_fts_insert AFTER INSERT ON risks BEGIN
    INSERT INTO risks_fts (rowid, reference, legacy_reference, title, description, cause, event, consequence)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.cause, new.event, new.consequence);
END;
CREATE TRIGGER risks_fts_update AFTER UPDATE OF reference, legacy_reference, title, description, cause, event, consequence ON risks BEGIN
    INSERT INTO risks_fts (risks_fts, rowid, reference, legacy_reference, title, description, cause, event, consequence)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description, old.cause, old.event, old.consequence);
    INSERT INTO risks_fts (rowid, reference, legacy_reference, title, description, cause, event, consequence)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.cause, new.event, new.consequence);
END;

CREATE VIRTUAL TABLE actions_fts USING fts5 (
    reference, legacy_reference, source_reference, title, description,
    content = 'actions', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO actions_fts (actions_fts) VALUES ('rebuild');
CREATE TRIGGER actions_fts_insert AFTER INSERT ON actions BEGIN
    INSERT INTO actions_fts (rowid, reference, legacy_reference, source_reference, title, description)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.source_reference, new.title, new.description);
END;
CREATE TRIGGER actions_fts_update AFTER UPDATE OF reference, legacy_reference, source_reference, title, description ON actions BEGIN
    INSERT INTO actions_fts (actions_fts, rowid, reference, legacy_reference, source_reference, title, description)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.source_reference, old.title, old.description);
    INSERT INTO actions_fts (rowid, reference, legacy_reference, source_reference, title, description)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.source_reference, new.title, new.description);
END;

CREATE VIRTUAL TABLE investigations_fts USING fts5 (
    reference, legacy_reference, subject_reference, title, problem_statement, root_cause_summary,
    content = 'investigations', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER investigations_fts_insert AFTER INSERT ON investigations BEGIN
    INSERT INTO investigations_fts (rowid, reference, legacy_reference, subject_reference, title, problem_statement, root_cause_summary)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.subject_reference, new.title, new.problem_statement, new.root_cause_summary);
END;
CREATE TRIGGER investigations_fts_update AFTER UPDATE OF reference, legacy_reference, subject_reference, title, problem_statement, root_cause_summary ON investigations BEGIN
    INSERT INTO investigations_fts (investigations_fts, rowid, reference, legacy_reference, subject_reference, title, problem_statement, root_cause_summary)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.subject_reference, old.title, old.problem_statement, old.root_cause_summary);
    INSERT INTO investigations_fts (rowid, reference, legacy_reference, subject_reference, title, problem_statement, root_cause_summary)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.subject_reference, new.title, new.problem_statement, new.root_cause_summary);
END;
