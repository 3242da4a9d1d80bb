-- Column mappings remembered per register for imports (issue 6): file header → field key, as JSON.
CREATE TABLE import_mappings (
    register    TEXT PRIMARY KEY,
    mapping     TEXT NOT NULL,
    updated_at  TEXT NOT NULL,
    updated_by  TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT
);
