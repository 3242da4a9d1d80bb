-- Register and dashboard indexes measured with `qgp bench` on 100,000 incidents (docs/performance.md).
-- Partial indexes over live (non-archived) rows carry the filter and sort columns, so counts, facets and the
-- first page are answered from the index without reading the wide incident rows.

DROP INDEX incidents_default_order;
DROP INDEX incidents_status;
DROP INDEX incidents_severity;
DROP INDEX incidents_type;

CREATE INDEX incidents_live_order ON incidents
    (incident_date DESC, reported_at DESC, id, status, severity, incident_type, riddor_reportable)
    WHERE archived_at IS NULL;
CREATE INDEX incidents_live_facets ON incidents
    (status, severity, incident_type, incident_date)
    WHERE archived_at IS NULL;
CREATE INDEX incidents_all_order ON incidents (incident_date DESC, reported_at DESC, id);
-- The dashboard trend groups by day and severity straight off this index (no sort), then buckets by month.
CREATE INDEX incidents_live_days ON incidents (incident_date, severity, riddor_reportable) WHERE archived_at IS NULL;
CREATE INDEX incidents_riddor_open ON incidents (riddor_category, incident_date, riddor_diagnosis_date)
    WHERE archived_at IS NULL AND riddor_reportable = 1 AND riddor_reported_on IS NULL;

-- The full-text index is rebuilt with the same definition; search counts now come from it directly.
DROP TRIGGER incidents_fts_insert;
DROP TRIGGER incidents_fts_update;
DROP TABLE incidents_fts;
CREATE VIRTUAL TABLE incidents_fts USING fts5 (
    reference, legacy_reference, title, description, location,
    content = 'incidents', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
INSERT INTO incidents_fts (incidents_fts) VALUES ('rebuild');
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
