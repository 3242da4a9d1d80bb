-- Road traffic collisions (domain.md §10) and their third parties.

CREATE TABLE collisions (
    id                          TEXT PRIMARY KEY,
    reference                   TEXT NOT NULL UNIQUE,
    legacy_reference            TEXT,
    title                       TEXT NOT NULL,
    description                 TEXT NOT NULL,
    location                    TEXT NOT NULL,
    severity                    TEXT NOT NULL,
    collision_date              TEXT NOT NULL,
    collision_time              TEXT,
    reported_date               TEXT NOT NULL,
    road_name                   TEXT,
    postcode                    TEXT,
    weather                     TEXT,
    road_surface                TEXT,
    lighting                    TEXT,
    vehicle_registration        TEXT,
    vehicle_make_model          TEXT,
    vehicle_damage              TEXT,
    driver_user_id              TEXT REFERENCES users (id) ON DELETE RESTRICT,
    driver_name                 TEXT,
    driver_statement            TEXT,
    driver_injured              BOOLEAN NOT NULL DEFAULT 0,
    driver_injury_details       TEXT,
    witnesses                   TEXT,
    police_attended             BOOLEAN NOT NULL DEFAULT 0,
    police_reference            TEXT,
    police_station              TEXT,
    insurance_notified          BOOLEAN NOT NULL DEFAULT 0,
    insurance_reference         TEXT,
    insurance_notes             TEXT,
    estimated_cost              INTEGER CHECK (estimated_cost IS NULL OR estimated_cost >= 0),
    investigator_id             TEXT REFERENCES users (id) ON DELETE RESTRICT,
    investigation_notes         TEXT,
    root_cause                  TEXT,
    fault_determination         TEXT NOT NULL,
    closure_notes               TEXT,
    -- Registrations of the third parties' vehicles, kept for search (sys).
    third_party_registrations   TEXT,
    status                      TEXT NOT NULL CHECK (status IN ('reported','under_investigation','pending_insurance','actions_pending','closed')),
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
CREATE INDEX collisions_live_order ON collisions (collision_date DESC, created_at DESC, id, status, severity) WHERE archived_at IS NULL;
CREATE INDEX collisions_vehicle ON collisions (vehicle_registration);
CREATE TRIGGER collisions_no_delete BEFORE DELETE ON collisions
BEGIN SELECT RAISE(ABORT, 'collisions are archived, never deleted'); END;

CREATE TABLE collision_third_parties (
    id                    TEXT PRIMARY KEY,
    collision_id          TEXT NOT NULL REFERENCES collisions (id) ON DELETE RESTRICT,
    position              INTEGER NOT NULL,
    name                  TEXT NOT NULL,
    contact               TEXT,
    vehicle_registration  TEXT,
    vehicle_make_model    TEXT,
    damage                TEXT,
    injured               BOOLEAN NOT NULL DEFAULT 0,
    injury_details        TEXT,
    insurer               TEXT,
    UNIQUE (collision_id, position)
);
CREATE TRIGGER collision_third_parties_no_delete_of_archived BEFORE DELETE ON collision_third_parties
WHEN (SELECT archived_at FROM collisions WHERE id = old.collision_id) IS NOT NULL
BEGIN SELECT RAISE(ABORT, 'an archived collision is read-only'); END;

CREATE VIRTUAL TABLE collisions_fts USING fts5 (
    reference, legacy_reference, title, description, location, road_name, vehicle_registration, driver_name, third_party_registrations,
    content = 'collisions', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER collisions_fts_insert AFTER INSERT ON collisions BEGIN
    INSERT INTO collisions_fts (rowid, reference, legacy_reference, title, description, location, road_name, vehicle_registration, driver_name, third_party_registrations)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.location, new.road_name, new.vehicle_registration, new.driver_name, new.third_party_registrations);
END;
CREATE TRIGGER collisions_fts_update AFTER UPDATE OF reference, legacy_reference, title, description, location, road_name, vehicle_registration, driver_name, third_party_registrations ON collisions BEGIN
    INSERT INTO collisions_fts (collisions_fts, rowid, reference, legacy_reference, title, description, location, road_name, vehicle_registration, driver_name, third_party_registrations)
    VALUES ('delete', old.rowid, old.reference, old.legacy_reference, old.title, old.description, old.location, old.road_name, old.vehicle_registration, old.driver_name, old.third_party_registrations);
    INSERT INTO collisions_fts (rowid, reference, legacy_reference, title, description, location, road_name, vehicle_registration, driver_name, third_party_registrations)
    VALUES (new.rowid, new.reference, new.legacy_reference, new.title, new.description, new.location, new.road_name, new.vehicle_registration, new.driver_name, new.third_party_registrations);
END;

-- Risk links (§1.7) to collisions and complaints, as for incidents: one row per pair, an event on both ends.
CREATE TABLE risk_collision_links (
    risk_id       TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    collision_id  TEXT NOT NULL REFERENCES collisions (id) ON DELETE RESTRICT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, collision_id)
) WITHOUT ROWID;
CREATE INDEX risk_collision_links_collision ON risk_collision_links (collision_id, risk_id);

CREATE TABLE risk_complaint_links (
    risk_id       TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    complaint_id  TEXT NOT NULL REFERENCES complaints (id) ON DELETE RESTRICT,
    created_at    TEXT NOT NULL,
    created_by    TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, complaint_id)
) WITHOUT ROWID;
CREATE INDEX risk_complaint_links_complaint ON risk_complaint_links (complaint_id, risk_id);
