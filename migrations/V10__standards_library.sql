-- Standards library (domain.md §3): the shipped catalogue of ISO 9001, 14001, 45001 and 27001 (with Annex A), the
-- Statement of Applicability, cross-standard mappings and links from clauses and controls to records.
-- Catalogue rows have fixed ids, identical on every installation; they are written by the app, not by this file.

CREATE TABLE standards (
    id           TEXT PRIMARY KEY,
    code         TEXT NOT NULL UNIQUE COLLATE NOCASE,
    title        TEXT NOT NULL,
    edition      TEXT NOT NULL,
    is_builtin   BOOLEAN NOT NULL DEFAULT 0,
    is_active    BOOLEAN NOT NULL DEFAULT 1,
    created_at   TEXT NOT NULL,
    updated_at   TEXT NOT NULL,
    updated_by   TEXT REFERENCES users (id) ON DELETE RESTRICT,
    row_version  INTEGER NOT NULL DEFAULT 1
);

CREATE TABLE clauses (
    id                       TEXT PRIMARY KEY,
    standard_id              TEXT NOT NULL REFERENCES standards (id) ON DELETE RESTRICT,
    number                   TEXT NOT NULL,
    title                    TEXT NOT NULL,
    paraphrase               TEXT,
    licensed_text            TEXT,
    parent_id                TEXT REFERENCES clauses (id) ON DELETE RESTRICT,
    level                    INTEGER NOT NULL CHECK (level >= 1),
    -- Natural order of the number (4.10 after 4.9), computed by the app.
    sort_key                 TEXT NOT NULL,
    is_builtin               BOOLEAN NOT NULL DEFAULT 0,
    excluded                 BOOLEAN NOT NULL DEFAULT 0,
    exclusion_justification  TEXT,
    created_at               TEXT NOT NULL,
    updated_at               TEXT NOT NULL,
    updated_by               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    row_version              INTEGER NOT NULL DEFAULT 1,
    UNIQUE (standard_id, number),
    CHECK (NOT excluded OR exclusion_justification IS NOT NULL)
);
CREATE INDEX clauses_order ON clauses (standard_id, sort_key, id);
CREATE INDEX clauses_parent ON clauses (parent_id);

CREATE TABLE controls (
    id           TEXT PRIMARY KEY,
    standard_id  TEXT NOT NULL REFERENCES standards (id) ON DELETE RESTRICT,
    clause_id    TEXT NOT NULL REFERENCES clauses (id) ON DELETE RESTRICT,
    number       TEXT NOT NULL,
    title        TEXT NOT NULL,
    paraphrase   TEXT,
    theme        TEXT NOT NULL CHECK (theme IN ('organizational','people','physical','technological')),
    sort_key     TEXT NOT NULL,
    is_builtin   BOOLEAN NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (standard_id, number)
);
CREATE INDEX controls_order ON controls (standard_id, sort_key, id);

-- One entry per control, created with the catalogue (justification null until someone writes it).
CREATE TABLE soa_entries (
    id                     TEXT PRIMARY KEY,
    control_id             TEXT NOT NULL UNIQUE REFERENCES controls (id) ON DELETE RESTRICT,
    applicable             BOOLEAN NOT NULL DEFAULT 1,
    justification          TEXT,
    implementation_status  TEXT NOT NULL DEFAULT 'not_started'
                           CHECK (implementation_status IN ('not_started','planned','partial','implemented')),
    owner_id               TEXT REFERENCES users (id) ON DELETE RESTRICT,
    notes                  TEXT,
    last_reviewed_on       TEXT,
    created_at             TEXT NOT NULL,
    updated_at             TEXT NOT NULL,
    updated_by             TEXT REFERENCES users (id) ON DELETE RESTRICT,
    row_version            INTEGER NOT NULL DEFAULT 1
);

-- A pair is stored once, smaller id first, so it is unique in either order.
CREATE TABLE clause_mappings (
    id           TEXT PRIMARY KEY,
    clause_a_id  TEXT NOT NULL REFERENCES clauses (id) ON DELETE RESTRICT,
    clause_b_id  TEXT NOT NULL REFERENCES clauses (id) ON DELETE RESTRICT,
    relation     TEXT NOT NULL CHECK (relation IN ('equivalent','related','partial')),
    is_builtin   BOOLEAN NOT NULL DEFAULT 0,
    created_at   TEXT NOT NULL,
    UNIQUE (clause_a_id, clause_b_id),
    CHECK (clause_a_id < clause_b_id)
);
CREATE INDEX clause_mappings_b ON clause_mappings (clause_b_id);
CREATE TRIGGER clause_mappings_other_standard BEFORE INSERT ON clause_mappings
WHEN (SELECT standard_id FROM clauses WHERE id = new.clause_a_id) = (SELECT standard_id FROM clauses WHERE id = new.clause_b_id)
BEGIN SELECT RAISE(ABORT, 'a mapping joins clauses of different standards'); END;

-- Links from a clause or an Annex A control to a record (§1.7); the record end is typed.
CREATE TABLE clause_links (
    clause_id    TEXT NOT NULL REFERENCES clauses (id) ON DELETE RESTRICT,
    entity_type  TEXT NOT NULL CHECK (entity_type IN
                 ('incident','collision','complaint','risk','finding','audit_question','audit_run','document','evidence')),
    entity_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (clause_id, entity_type, entity_id)
) WITHOUT ROWID;
CREATE INDEX clause_links_entity ON clause_links (entity_type, entity_id);

CREATE TABLE control_links (
    control_id   TEXT NOT NULL REFERENCES controls (id) ON DELETE RESTRICT,
    entity_type  TEXT NOT NULL CHECK (entity_type IN
                 ('risk','risk_control','finding','audit_question','document','evidence')),
    entity_id    TEXT NOT NULL,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (control_id, entity_type, entity_id)
) WITHOUT ROWID;
CREATE INDEX control_links_entity ON control_links (entity_type, entity_id);

-- Which version of the shipped catalogue this database holds (the app refreshes built-in rows when it changes).
CREATE TABLE catalogue_meta (
    key    TEXT PRIMARY KEY,
    value  TEXT NOT NULL
) WITHOUT ROWID;
