-- Audit and inspection templates (domain.md §4). A version's content (sections, questions, options, logic and
-- evidence rules) is one validated JSON document; a published version never changes again.

CREATE TABLE templates (
    id                TEXT PRIMARY KEY,
    reference         TEXT NOT NULL UNIQUE,
    legacy_reference  TEXT,
    name              TEXT NOT NULL,
    description       TEXT,
    category          TEXT,
    audit_type        TEXT NOT NULL CHECK (audit_type IN ('inspection','audit','assessment','checklist','survey')),
    frequency         TEXT NOT NULL CHECK (frequency IN ('daily','weekly','monthly','quarterly','biannually','annually','ad_hoc')),
    created_at        TEXT NOT NULL,
    updated_at        TEXT NOT NULL,
    created_by        TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by        TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version       INTEGER NOT NULL DEFAULT 1,
    archived_at       TEXT,
    archived_by       TEXT REFERENCES users (id) ON DELETE RESTRICT,
    archive_reason    TEXT
);
CREATE INDEX templates_live_name ON templates (name COLLATE NOCASE, id) WHERE archived_at IS NULL;

CREATE TABLE template_versions (
    id              TEXT PRIMARY KEY,
    template_id     TEXT NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,
    version_number  INTEGER NOT NULL CHECK (version_number >= 1),
    status          TEXT NOT NULL CHECK (status IN ('draft','published','superseded')),
    content         TEXT NOT NULL,
    question_count  INTEGER NOT NULL DEFAULT 0,
    published_at    TEXT,
    published_by    TEXT REFERENCES users (id) ON DELETE RESTRICT,
    created_at      TEXT NOT NULL,
    updated_at      TEXT NOT NULL,
    created_by      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    updated_by      TEXT NOT NULL REFERENCES users (id) ON DELETE RESTRICT,
    row_version     INTEGER NOT NULL DEFAULT 1,
    UNIQUE (template_id, version_number)
);
-- At most one draft and one published version per template.
CREATE UNIQUE INDEX template_versions_one_draft ON template_versions (template_id) WHERE status = 'draft';
CREATE UNIQUE INDEX template_versions_one_published ON template_versions (template_id) WHERE status = 'published';
-- Publishing freezes the content; only a never-published draft may be discarded.
CREATE TRIGGER template_versions_frozen BEFORE UPDATE OF content ON template_versions
WHEN old.status <> 'draft' AND new.content IS NOT old.content
BEGIN SELECT RAISE(ABORT, 'a published template version cannot change'); END;
CREATE TRIGGER template_versions_keep_published BEFORE DELETE ON template_versions
WHEN old.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'only a never-published draft version can be discarded'); END;

-- Template ↔ standard (§1.7).
CREATE TABLE template_standards (
    template_id  TEXT NOT NULL REFERENCES templates (id) ON DELETE RESTRICT,
    standard_id  TEXT NOT NULL REFERENCES standards (id) ON DELETE RESTRICT,
    PRIMARY KEY (template_id, standard_id)
) WITHOUT ROWID;

CREATE VIRTUAL TABLE templates_fts USING fts5 (
    reference, name, description, category,
    content = 'templates', content_rowid = 'rowid', tokenize = 'unicode61 remove_diacritics 2'
);
CREATE TRIGGER templates_fts_insert AFTER INSERT ON templates BEGIN
    INSERT INTO templates_fts (rowid, reference, name, description, category)
    VALUES (new.rowid, new.reference, new.name, new.description, new.category);
END;
CREATE TRIGGER templates_fts_update AFTER UPDATE OF reference, name, description, category ON templates BEGIN
    INSERT INTO templates_fts (templates_fts, rowid, reference, name, description, category)
    VALUES ('delete', old.rowid, old.reference, old.name, old.description, old.category);
    INSERT INTO templates_fts (rowid, reference, name, description, category)
    VALUES (new.rowid, new.reference, new.name, new.description, new.category);
END;
CREATE TRIGGER templates_fts_delete AFTER DELETE ON templates BEGIN
    INSERT INTO templates_fts (templates_fts, rowid, reference, name, description, category)
    VALUES ('delete', old.rowid, old.reference, old.name, old.description, old.category);
END;
