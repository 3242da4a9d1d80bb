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
