-- Foundation schema: installation identity, users, governance settings, reference counters,
-- the hash-chained audit trail, and the incident register (domain.md §1, §2, §9).
-- Forward-only: once released this file is never edited; later changes go in V2, V3, ...

CREATE TABLE installation (
    singleton   INTEGER PRIMARY KEY CHECK (singleton = 1),
    id          TEXT NOT NULL,
    created_at  TEXT NOT NULL
);

CREATE TABLE users (
    id                TEXT PRIMARY KEY,
    display_name      TEXT NOT NULL,
    email             TEXT NOT NULL,
    role              TEXT NOT NULL CHECK (role IN ('admin','manager','auditor','contributor','viewer')),
    job_title         TEXT,
    department        TEXT,
    phone             TEXT,
    passphrase_hash   TEXT NOT NULL,
    failed_sign_ins   INTEGER NOT NULL DEFAULT 0,
    locked_until      TEXT,
    last_sign_in_at   TEXT,
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL,
    updated_by        TEXT NOT NULL,
    row_version       INTEGER NOT NULL DEFAULT 1,
    archived_at       TEXT,
    archived_by       TEXT,
    archive_reason    TEXT
);
CREATE UNIQUE INDEX users_email_unique ON users (email COLLATE NOCASE);

CREATE TABLE settings (
    key         TEXT PRIMARY KEY,
    value       TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT REFERENCES users (id) ON DELETE RESTRICT
);

-- High-water mark per (prefix, year): numbers of discarded or archived records are never reissued.
CREATE TABLE reference_counters (
    prefix       TEXT NOT NULL,
    year         INTEGER NOT NULL,
    last_number  INTEGER NOT NULL,
    PRIMARY KEY (prefix, year)
) WITHOUT ROWID;

CREATE TABLE audit_events (
    seq               INTEGER PRIMARY KEY,
    id                TEXT NOT NULL UNIQUE,
    installation_id   TEXT NOT NULL,
    occurred_at       TEXT NOT NULL,
    actor_id          TEXT NOT NULL,
    actor_name        TEXT NOT NULL,
    request_id        TEXT NOT NULL,
    entity_type       TEXT NOT NULL,
    entity_id         TEXT NOT NULL,
    entity_reference  TEXT,
    action            TEXT NOT NULL,
    changes           TEXT NOT NULL,
    reason            TEXT,
    prev_hash         TEXT NOT NULL,
    hash              TEXT NOT NULL
);
CREATE INDEX audit_events_entity ON audit_events (entity_type, entity_id, seq);

-- Events are append-only: nothing may edit or delete them.
CREATE TRIGGER audit_events_no_update BEFORE UPDATE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;
CREATE TRIGGER audit_events_no_delete BEFORE DELETE ON audit_events
BEGIN SELECT RAISE(ABORT, 'audit events are append-only'); END;

CREATE TABLE incidents (
    id                          TEXT PRIMARY KEY,
    reference                   TEXT NOT NULL UNIQUE,
    legacy_reference            TEXT,
    title                       TEXT NOT NULL,
    description                 TEXT NOT NULL,
    incident_type               TEXT NOT NULL,
    severity                    TEXT NOT NULL,
    incident_date               TEXT NOT NULL,
    incident_time               TEXT,
    reported_at                 TEXT NOT NULL,
    reported_on_behalf_of       TEXT,
    location                    TEXT,
    department                  TEXT,
    witnesses                   TEXT,
    immediate_actions           TEXT,
    first_aid_given             BOOLEAN NOT NULL DEFAULT 0,
    emergency_services_called   BOOLEAN NOT NULL DEFAULT 0,
    investigator_id             TEXT REFERENCES users (id) ON DELETE RESTRICT,
    root_cause                  TEXT,
    contributing_factors        TEXT,
    source                      TEXT NOT NULL,
    status                      TEXT NOT NULL,
    investigation_started_at    TEXT,
    investigation_completed_at  TEXT,
    closure_notes               TEXT,
    lessons_learned             TEXT,
    riddor_reportable           BOOLEAN,
    riddor_category             TEXT,
    riddor_rationale            TEXT,
    riddor_reported_on          TEXT,
    riddor_reference            TEXT,
    riddor_diagnosis_date       TEXT,
    closed_at                   TEXT,
    closed_by                   TEXT REFERENCES users (id) ON DELETE RESTRICT,
    reopen_count                INTEGER NOT NULL DEFAULT 0,
    created_at                  TEXT NOT NULL,
    updated_at                  TEXT NOT NULL,
    created_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by                  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version                 INTEGER NOT NULL DEFAULT 1,
    archived_at                 TEXT,
    archived_by                 TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason              TEXT
);
CREATE INDEX incidents_default_order ON incidents (incident_date DESC, reported_at DESC, id);
CREATE INDEX incidents_status ON incidents (status, incident_date DESC);
CREATE INDEX incidents_severity ON incidents (severity, incident_date DESC);
CREATE INDEX incidents_type ON incidents (incident_type, incident_date DESC);
CREATE INDEX incidents_investigator ON incidents (investigator_id);
CREATE INDEX incidents_archived ON incidents (archived_at);

CREATE TABLE incident_people (
    id            TEXT PRIMARY KEY,
    incident_id   TEXT NOT NULL REFERENCES incidents (id) ON DELETE RESTRICT,
    position      INTEGER NOT NULL,
    name          TEXT NOT NULL,
    person_type   TEXT,
    injured       BOOLEAN NOT NULL DEFAULT 0,
    injury_nature TEXT,
    body_part     TEXT,
    hospitalised  BOOLEAN NOT NULL DEFAULT 0,
    days_lost     INTEGER CHECK (days_lost IS NULL OR days_lost >= 0),
    UNIQUE (incident_id, position)
);
CREATE INDEX incident_people_days_lost ON incident_people (incident_id, days_lost);

-- Free-text search (external content: the index holds tokens only, incidents holds the text).
CREATE VIRTUAL TABLE incidents_fts USING fts5 (
    reference, legacy_reference, title, description, location,
    content = 'incidents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER incidents_fts_insert AFTER INSERT ON incidents BEGIN
    INSERT INTO incidents_fts (rowid, reference, legacy_reference, title, description, location)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.location);
END;
CREATE TRIGGER incidents_fts_update AFTER UPDATE OF reference, legacy_reference, title, description, location ON incidents BEGIN
    INSERT INTO incidents_fts (incidents_fts, rowid, reference, legacy_reference, title, description, location)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description, old.location);
    INSERT INTO incidents_fts (rowid, reference, legacy_reference, title, description, location)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.location);
END;

-- Incidents are governed records: archive, never delete (domain.md §1.5).
CREATE TRIGGER incidents_no_delete BEFORE DELETE ON incidents
BEGIN SELECT RAISE(ABORT, 'incidents are archived, never deleted'); END;
CREATE TRIGGER incident_people_no_delete_of_governed BEFORE DELETE ON incident_people
WHEN (SELECT archived_at FROM incidents WHERE id = old.incident_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an archived incident is read-only'); END;
