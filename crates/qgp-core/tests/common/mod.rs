//! Shared harness for the command-path tests: a temporary database, a movable clock, and one profile per role
//! with a real passphrase (signatures re-check it).
#![allow(dead_code)]

use qgp_core::app::AppCore;
use qgp_core::authz::Role;
use qgp_core::clock::FixedClock;
use qgp_core::config::Config;
use qgp_core::context::Actor;
use qgp_core::error::ErrorEnvelope;
use qgp_core::paths::AppPaths;
use serde_json::{json, Value};
use std::sync::Arc;

pub const PASS: &str = "correct horse battery";

pub struct H {
    pub core: AppCore,
    pub clock: Arc<FixedClock>,
    pub admin: Actor,
    pub manager: Actor,
    pub auditor: Actor,
    pub contributor: Actor,
    pub viewer: Actor,
    _dir: tempfile::TempDir,
}

fn actor_from(view: &Value, role: Role) -> Actor {
    Actor { id: view["id"].as_str().unwrap().into(), display_name: view["displayName"].as_str().unwrap().into(), role }
}

/// A fresh installation at 2026-11-26 12:00 UTC (time zone UTC) with an admin, manager, auditor, contributor and viewer.
pub fn h() -> H {
    let dir = tempfile::tempdir().unwrap();
    let clock = Arc::new(FixedClock::at("2026-11-26T12:00:00Z"));
    let mut core = AppCore::open_with(AppPaths::under(dir.path()), Config::default(), Box::new(clock.clone())).unwrap();
    core.conn.execute("INSERT INTO settings (key, value, updated_at) VALUES ('timeZone', '\"UTC\"', 'x')", []).unwrap();
    let admin =
        core.invoke(None, "users.setup", json!({"displayName": "Ada Admin", "email": "ada@example.com", "passphrase": PASS})).unwrap();
    let admin = actor_from(&admin, Role::Admin);
    let mut make = |name: &str, role: Role| {
        let email = format!("{}@example.com", name.split(' ').next().unwrap().to_lowercase());
        let v = core
            .invoke(
                Some(admin.clone()),
                "users.create",
                json!({"displayName": name, "email": email, "role": role.as_str(), "passphrase": PASS}),
            )
            .unwrap();
        actor_from(&v, role)
    };
    let manager = make("Max Manager", Role::Manager);
    let auditor = make("Aud Auditor", Role::Auditor);
    let contributor = make("Cora Contributor", Role::Contributor);
    let viewer = make("Vic Viewer", Role::Viewer);
    H { core, clock, admin, manager, auditor, contributor, viewer, _dir: dir }
}

impl H {
    pub fn call(&mut self, who: &Actor, name: &str, input: Value) -> Result<Value, ErrorEnvelope> {
        self.core.invoke(Some(who.clone()), name, input)
    }
    pub fn ok(&mut self, who: &Actor, name: &str, input: Value) -> Value {
        self.call(who, name, input).unwrap_or_else(|e| panic!("{name}: {e:?}"))
    }
    pub fn admin_ok(&mut self, name: &str, input: Value) -> Value {
        let admin = self.admin.clone();
        self.ok(&admin, name, input)
    }
    pub fn count(&self, sql: &str) -> i64 {
        self.core.conn.query_row(sql, [], |r| r.get(0)).unwrap()
    }
    pub fn incident(&mut self) -> Value {
        self.admin_ok(
            "incidents.create",
            json!({"title": "Forklift hit racking", "description": "Aisle 4", "incidentDate": "2026-11-20", "severity": "high"}),
        )
    }
    /// Raises an action from a record, owned by `owner`.
    pub fn action(&mut self, source_type: &str, source_id: &str, owner: &str) -> Value {
        self.admin_ok(
            "actions.create",
            json!({"sourceType": source_type, "sourceId": source_id, "title": "Fix it", "description": "Properly",
                   "ownerId": owner, "dueDate": "2026-12-10"}),
        )
    }
    /// A published template of `n` optional text questions and a run of it in progress, led by `lead`:
    /// (run id, question ids in order).
    pub fn text_run(&mut self, n: usize, lead: &str) -> (String, Vec<String>) {
        let t = self.admin_ok("templates.create", json!({"name": "Walk-round"}));
        let questions: Vec<String> = (0..n).map(|_| qgp_core::ids::new_id()).collect();
        let content = json!({"sections": [{"title": "All", "questions": questions.iter().enumerate()
            .map(|(i, id)| json!({"id": id, "text": format!("Observation {i}"), "questionType": "text", "required": false}))
            .collect::<Vec<_>>()}]});
        let vid = t["draftVersionId"].as_str().unwrap().to_owned();
        self.admin_ok("templates.save_draft", json!({"versionId": vid, "rowVersion": 1, "content": content}));
        self.admin_ok("templates.publish", json!({"versionId": vid, "rowVersion": 2}));
        let run = self.admin_ok("runs.create", json!({"templateId": t["record"]["id"], "leadAuditorId": lead}));
        let run_id = run["record"]["id"].as_str().unwrap().to_owned();
        self.admin_ok("runs.transition", json!({"id": run_id, "rowVersion": 1, "to": "in_progress"}));
        (run_id, questions)
    }
    /// Completes an action (as admin) and verifies it (as manager), so it is terminal.
    pub fn finish_action(&mut self, action: &Value) {
        let id = action["record"]["id"].as_str().unwrap().to_owned();
        let v = self.admin_ok(
            "actions.transition",
            json!({"id": id, "rowVersion": action["record"]["rowVersion"], "to": "completed", "completionNotes": "Done"}),
        );
        let manager = self.manager.clone();
        self.ok(
            &manager,
            "actions.transition",
            json!({"id": id, "rowVersion": v["record"]["rowVersion"], "to": "verified", "verificationNotes": "Checked", "passphrase": PASS}),
        );
    }
}

/// The field names of a validation error.
pub fn bad_fields(e: &ErrorEnvelope) -> Vec<String> {
    e.fields.as_ref().map(|f| f.iter().map(|x| x.field.clone()).collect()).unwrap_or_default()
}

/// A property-test runner drawing the same cases every run (CI must not pass or fail by luck);
/// `QGP_FUZZ_EXPLORE=1` draws new ones.
pub fn fuzz_runner(config: proptest::test_runner::Config) -> proptest::test_runner::TestRunner {
    use proptest::test_runner::{TestRng, TestRunner};
    if std::env::var_os("QGP_FUZZ_EXPLORE").is_some() {
        TestRunner::new(config)
    } else {
        let algorithm = config.rng_algorithm;
        TestRunner::new_with_rng(config, TestRng::deterministic_rng(algorithm))
    }
}
