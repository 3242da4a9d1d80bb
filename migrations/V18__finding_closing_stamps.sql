-- Findings get what every reopenable record has (domain.md §1.4): closed_at/closed_by stamped on entering closed and
-- cleared by a reopen, and reopen_count. Findings closed before this version take their stamps from the audit
-- trail (the newest status change to closed), and their reopen count from the changes closed → open it holds.
ALTER TABLE findings ADD COLUMN closed_at TEXT;
ALTER TABLE findings ADD COLUMN closed_by TEXT REFERENCES users (id) ON DELETE RESTRICT;
ALTER TABLE findings ADD COLUMN reopen_count INTEGER NOT NULL DEFAULT 0;

UPDATE findings SET
    closed_at = (SELECT e.occurred_at FROM audit_events e
                 WHERE e.entity_type = 'finding' AND e.entity_id = findings.id AND e.action = 'status_change'
                   AND EXISTS (SELECT 1 FROM json_each(e.changes) c
                               WHERE json_extract(c.value, '$.field') = 'status' AND json_extract(c.value, '$.new') = 'closed')
                 ORDER BY e.seq DESC LIMIT 1),
    closed_by = (SELECT e.actor_id FROM audit_events e
                 WHERE e.entity_type = 'finding' AND e.entity_id = findings.id AND e.action = 'status_change'
                   AND EXISTS (SELECT 1 FROM json_each(e.changes) c
                               WHERE json_extract(c.value, '$.field') = 'status' AND json_extract(c.value, '$.new') = 'closed')
                 ORDER BY e.seq DESC LIMIT 1)
WHERE status = 'closed';

UPDATE findings SET
    reopen_count = (SELECT COUNT(*) FROM audit_events e
                    WHERE e.entity_type = 'finding' AND e.entity_id = findings.id AND e.action = 'status_change'
                      AND EXISTS (SELECT 1 FROM json_each(e.changes) c
                                  WHERE json_extract(c.value, '$.field') = 'status' AND json_extract(c.value, '$.old') = 'closed'));
