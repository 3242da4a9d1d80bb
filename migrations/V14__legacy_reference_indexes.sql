-- An import checks every incoming legacy reference against its register (domain.md §1.11): without an index each
-- check read the whole table, so importing 50,000 risks took minutes. Partial: only rows that came from another
-- system carry one.
CREATE INDEX incidents_legacy_reference ON incidents (legacy_reference) WHERE legacy_reference IS NOT NULL;
CREATE INDEX risks_legacy_reference ON risks (legacy_reference) WHERE legacy_reference IS NOT NULL;
CREATE INDEX actions_legacy_reference ON actions (legacy_reference) WHERE legacy_reference IS NOT NULL;
CREATE INDEX complaints_legacy_reference ON complaints (legacy_reference) WHERE legacy_reference IS NOT NULL;
CREATE INDEX collisions_legacy_reference ON collisions (legacy_reference) WHERE legacy_reference IS NOT NULL;
