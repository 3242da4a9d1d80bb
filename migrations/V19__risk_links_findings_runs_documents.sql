-- Risk links to findings, audit runs and documents (domain.md §1.7): a finding or an audit that shows a risk
-- materialising, a document that is a control over it. Same shape as the incident, collision and complaint links.
CREATE TABLE risk_finding_links (
    risk_id     TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    finding_id  TEXT NOT NULL REFERENCES findings (id) ON DELETE RESTRICT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, finding_id)
) WITHOUT ROWID;
CREATE INDEX risk_finding_links_finding ON risk_finding_links (finding_id, risk_id);

CREATE TABLE risk_run_links (
    risk_id     TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    run_id      TEXT NOT NULL REFERENCES audit_runs (id) ON DELETE RESTRICT,
    created_at  TEXT NOT NULL,
    created_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, run_id)
) WITHOUT ROWID;
CREATE INDEX risk_run_links_run ON risk_run_links (run_id, risk_id);

CREATE TABLE risk_document_links (
    risk_id      TEXT NOT NULL REFERENCES risks (id) ON DELETE RESTRICT,
    document_id  TEXT NOT NULL REFERENCES documents (id) ON DELETE RESTRICT,
    created_at   TEXT NOT NULL,
    created_by   TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    PRIMARY KEY (risk_id, document_id)
) WITHOUT ROWID;
CREATE INDEX risk_document_links_document ON risk_document_links (document_id, risk_id);
