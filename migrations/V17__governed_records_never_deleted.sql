-- Governed records past their draft are archived, cancelled or superseded, never deleted (domain.md §1.5): as the
-- earlier migrations made true for the other registers, the database itself now refuses it for audit runs and their
-- answers, published templates and their versions, and profiles. A draft run and a never-published template draft
-- may still be discarded (§1.5).
CREATE TRIGGER audit_runs_no_delete BEFORE DELETE ON audit_runs WHEN old.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'an audit run past draft is cancelled or archived, never deleted'); END;

CREATE TRIGGER audit_responses_no_delete BEFORE DELETE ON audit_responses
BEGIN SELECT RAISE(ABORT, 'audit answers are never deleted'); END;

CREATE TRIGGER template_versions_no_delete BEFORE DELETE ON template_versions WHEN old.status <> 'draft'
BEGIN SELECT RAISE(ABORT, 'a published template version is superseded, never deleted'); END;

CREATE TRIGGER templates_no_delete BEFORE DELETE ON templates
WHEN EXISTS (SELECT 1 FROM template_versions WHERE template_id = old.id AND status <> 'draft')
BEGIN SELECT RAISE(ABORT, 'a published template is archived, never deleted'); END;

CREATE TRIGGER users_no_delete BEFORE DELETE ON users
BEGIN SELECT RAISE(ABORT, 'profiles are deactivated, never deleted'); END;
