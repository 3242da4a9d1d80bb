//! Documents in force (§13): read-and-acknowledge (audience by role and by name, signed acknowledgements, overdue,
//! newcomers asked, minor versions carrying acknowledgements over), periodic reviews (signed no-change with
//! segregation of duties, revisions, retirement, actions from a review) and superseding by another document.

mod common;

use common::{bad_fields, h, H, PASS};
use qgp_core::error::ErrorKind;
use serde_json::{json, Value};

fn id(v: &Value) -> String {
    v["record"]["id"].as_str().unwrap().to_owned()
}

fn rv(v: &Value) -> i64 {
    v["record"]["rowVersion"].as_i64().unwrap()
}

fn working(v: &Value) -> (String, i64) {
    let wid = v["workingVersionId"].as_str().unwrap().to_owned();
    let ver = v["versions"].as_array().unwrap().iter().find(|x| x["id"] == wid.as_str()).unwrap();
    (wid, ver["rowVersion"].as_i64().unwrap())
}

/// Takes the working version through review, approval (by the manager) and publication today.
fn publish_working(h: &mut H, d: &Value) -> Value {
    let (admin, manager) = (h.admin.clone(), h.manager.clone());
    let step = |h: &mut H, who: &qgp_core::context::Actor, d: &Value, to: &str, extra: Value| {
        let (vid, vrv) = working(d);
        let mut input = json!({"versionId": vid, "rowVersion": vrv, "to": to});
        for (k, val) in extra.as_object().unwrap() {
            input[k] = val.clone();
        }
        h.ok(who, "documents.version_transition", input)
    };
    let d = step(h, &admin, d, "in_review", json!({}));
    let d = step(h, &manager, &d, "approved", json!({"passphrase": PASS}));
    let (vid, vrv) = working(&d);
    let today = today(h);
    let d = h.admin_ok("documents.edit_version", json!({"versionId": vid, "rowVersion": vrv, "changes": {"effectiveDate": today}}));
    step(h, &admin, &d, "published", json!({}))
}

fn published(h: &mut H, title: &str, extra: Value) -> Value {
    let mut input = json!({"title": title, "ownerId": h.admin.id, "body": "Read me."});
    for (k, val) in extra.as_object().unwrap() {
        input[k] = val.clone();
    }
    let d = h.admin_ok("documents.create", input);
    publish_working(h, &d)
}

fn revise(h: &mut H, d: &Value, kind: &str) -> Value {
    let d = h.admin_ok("documents.new_revision", json!({"id": id(d), "rowVersion": rv(d), "kind": kind, "changeSummary": "Tidy"}));
    publish_working(h, &d)
}

/// (user name, status, carried-from label) of the acknowledgements of the version in force.
fn acks(d: &Value) -> Vec<(String, String, Option<String>)> {
    d["acknowledgements"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| {
            (
                a["userName"].as_str().unwrap().to_owned(),
                a["status"].as_str().unwrap().to_owned(),
                a["carriedFromLabel"].as_str().map(str::to_owned),
            )
        })
        .collect()
}

/// Today's date of the harness clock (the zone is UTC).
fn today(h: &H) -> String {
    qgp_core::clock::Clock::now(&*h.clock).to_string()[..10].to_owned()
}

#[test]
fn named_people_and_roles_acknowledge_the_version_in_force_with_a_signature() {
    let mut h = h();
    let (admin, auditor, contributor, viewer) = (h.admin.clone(), h.auditor.clone(), h.contributor.clone(), h.viewer.clone());
    let e = h
        .call(&admin, "documents.create", json!({"title": "Code of conduct", "ownerId": admin.id, "acknowledgementRequired": true}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["ackRoles"], "acknowledgement needs someone to ask");
    let e = h
        .call(&admin, "documents.create", json!({"title": "x", "ownerId": admin.id, "ackRoles": ["boss"], "ackUserIds": ["nobody"]}))
        .unwrap_err();
    let mut fields = bad_fields(&e);
    fields.sort();
    assert_eq!(fields, ["ackRoles[0]", "ackUserIds[0]"]);
    let d = published(
        &mut h,
        "Code of conduct",
        json!({"acknowledgementRequired": true, "ackRoles": ["contributor"], "ackUserIds": [auditor.id], "ackWithinDays": 7}),
    );
    assert_eq!(d["ackRoles"], json!(["contributor"]));
    assert_eq!(d["ackUsers"][0]["name"], "Aud Auditor");
    assert_eq!(acks(&d), [("Aud Auditor".into(), "pending".into(), None), ("Cora Contributor".into(), "pending".into(), None)]);
    assert_eq!(d["acknowledgements"][0]["dueDate"], "2026-12-03", "published today + 7 days");
    let history = h.admin_ok("documents.history", json!({"id": id(&d)}));
    assert!(history.to_string().contains("acknowledgements requested"));
    let version = d["publishedVersionId"].as_str().unwrap().to_owned();

    let e = h.call(&viewer, "documents.acknowledge", json!({"versionId": version, "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "not asked: {}", e.message);
    let e = h.call(&contributor, "documents.acknowledge", json!({"versionId": version})).unwrap_err();
    assert_eq!(bad_fields(&e), ["passphrase"]);
    let e = h.call(&contributor, "documents.acknowledge", json!({"versionId": version, "passphrase": "not my passphrase"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    assert_eq!(h.ok(&contributor, "documents.my_acknowledgements", json!({})).as_array().unwrap().len(), 1);
    let d = h.ok(&contributor, "documents.acknowledge", json!({"versionId": version, "passphrase": PASS, "comment": "Read"}));
    assert_eq!(acks(&d)[1], ("Cora Contributor".into(), "acknowledged".into(), None));
    let sig = d["signatures"].as_array().unwrap().iter().find(|s| s["meaning"] == "acknowledged").unwrap();
    assert_eq!(sig["signerId"], contributor.id.as_str());
    assert_eq!(d["acknowledgements"][1]["signatureId"], sig["id"]);
    let e = h.call(&contributor, "documents.acknowledge", json!({"versionId": version, "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "acknowledged once");
    assert!(h.ok(&contributor, "documents.my_acknowledgements", json!({})).as_array().unwrap().is_empty());
    // Given acknowledgements are final and no acknowledgement row is ever deleted.
    assert!(h.core.conn.execute("UPDATE document_acknowledgements SET status = 'pending', acknowledged_at = NULL", []).is_err());
    assert!(h.core.conn.execute("DELETE FROM document_acknowledgements", []).is_err());

    // Overdue after the period.
    h.clock.set("2026-12-04T09:00:00Z");
    let mine = h.ok(&auditor, "documents.my_acknowledgements", json!({}));
    assert_eq!((mine[0]["versionLabel"].as_str(), mine[0]["overdue"].as_bool()), (Some("1.0"), Some(true)));
    let d = h.admin_ok("documents.get", json!({"id": id(&d)}));
    assert_eq!(d["acknowledgements"][0]["overdue"], true);
    assert_eq!(d["acknowledgements"][1]["overdue"], false, "given in time");

    // Someone who joins an ack role later is asked then, with the full period from the request.
    let newcomer = h.admin_ok(
        "users.create",
        json!({"displayName": "Nia Newcomer", "email": "nia@example.com", "role": "contributor", "passphrase": PASS}),
    );
    let d = h.admin_ok("documents.get", json!({"id": id(&d)}));
    let nia = d["acknowledgements"].as_array().unwrap().iter().find(|a| a["userName"] == "Nia Newcomer").unwrap();
    assert_eq!(
        (nia["status"].as_str(), nia["dueDate"].as_str(), nia["overdue"].as_bool()),
        (Some("pending"), Some("2026-12-11"), Some(false))
    );
    // A viewer promoted into the role is asked too.
    let v = h.admin_ok("users.list", json!({})).as_array().unwrap().iter().find(|u| u["id"] == viewer.id.as_str()).unwrap().clone();
    h.admin_ok("users.update", json!({"id": viewer.id, "rowVersion": v["rowVersion"], "changes": {"role": "contributor"}}));
    let d = h.admin_ok("documents.get", json!({"id": id(&d)}));
    assert_eq!(d["acknowledgements"].as_array().unwrap().len(), 4);
    assert!(newcomer["id"].is_string());
}

#[test]
fn a_minor_version_carries_acknowledgements_over_and_a_major_one_asks_again() {
    let mut h = h();
    let (auditor, contributor) = (h.auditor.clone(), h.contributor.clone());
    let d =
        published(&mut h, "Data protection policy", json!({"acknowledgementRequired": true, "ackUserIds": [auditor.id, contributor.id]}));
    let v1 = d["publishedVersionId"].as_str().unwrap().to_owned();
    h.ok(&contributor, "documents.acknowledge", json!({"versionId": v1, "passphrase": PASS}));
    let d = h.admin_ok("documents.get", json!({"id": id(&d)}));
    let d = revise(&mut h, &d, "minor");
    assert_eq!(d["versions"][0]["versionLabel"], "1.1");
    assert_eq!(
        acks(&d),
        [("Aud Auditor".into(), "pending".into(), None), ("Cora Contributor".into(), "acknowledged".into(), Some("1.0".into()))]
    );
    // The old version's pending request is moot: only the version in force is acknowledged.
    let e = h.call(&auditor, "documents.acknowledge", json!({"versionId": v1, "passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let d = revise(&mut h, &d, "minor");
    assert_eq!(acks(&d)[1].2.as_deref(), Some("1.0"), "carried from the version actually acknowledged");
    let d = revise(&mut h, &d, "major");
    assert_eq!(d["versions"][0]["versionLabel"], "2.0");
    assert!(acks(&d).iter().all(|a| a.1 == "pending"), "a major version is acknowledged afresh");
}

#[test]
fn a_periodic_review_is_signed_by_someone_other_than_the_owner_and_restarts_the_clock() {
    let mut h = h();
    let (admin, manager, viewer, auditor) = (h.admin.clone(), h.manager.clone(), h.viewer.clone(), h.auditor.clone());
    let d = published(&mut h, "Environmental policy", json!({"reviewFrequencyMonths": 12}));
    assert_eq!(d["record"]["nextReviewDate"], "2027-11-26");
    let e = h.call(&viewer, "documents.start_review", json!({"id": id(&d), "rowVersion": rv(&d)})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden);
    let e = h.call(&auditor, "documents.start_review", json!({"id": id(&d), "rowVersion": rv(&d)})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Forbidden, "recording a review is authoring");
    let e = h
        .call(
            &admin,
            "documents.record_review",
            json!({"id": id(&d), "rowVersion": rv(&d), "outcome": "no_change", "notes": "Fine", "passphrase": PASS}),
        )
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict, "start the review first");
    h.clock.set("2027-10-01T10:00:00Z");
    let d = h.admin_ok("documents.start_review", json!({"id": id(&d), "rowVersion": rv(&d)}));
    assert_eq!(d["record"]["status"], "under_review");
    assert!(d["record"]["reviewStartedAt"].is_string());
    let review = |h: &mut H, who: &qgp_core::context::Actor, d: &Value, extra: Value| {
        let mut input = json!({"id": id(d), "rowVersion": rv(d), "outcome": "no_change", "notes": "Still accurate"});
        for (k, val) in extra.as_object().unwrap() {
            input[k] = val.clone();
        }
        h.call(who, "documents.record_review", input)
    };
    let e = review(&mut h, &admin, &d, json!({"passphrase": PASS})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition, "the owner does not sign their own document's review");
    let refusal = e.transition.as_ref().unwrap();
    assert!(refusal.unmet_guards[0].starts_with("Segregation of duties: the document's owner"), "{refusal:?}");
    let e = review(&mut h, &manager, &d, json!({})).unwrap_err();
    assert_eq!(bad_fields(&e), ["passphrase"]);
    let e = review(&mut h, &manager, &d, json!({"notes": "", "passphrase": PASS})).unwrap_err();
    assert_eq!(bad_fields(&e), ["notes"]);
    let e = review(&mut h, &manager, &d, json!({"passphrase": PASS, "nextReviewDate": "2029-01-01"})).unwrap_err();
    assert_eq!(bad_fields(&e), ["nextReviewDate"], "brought forward, never pushed later");
    assert_eq!(h.count("SELECT COUNT(*) FROM document_reviews"), 0, "nothing written by a refused review");
    let e = review(&mut h, &manager, &d, json!({"passphrase": "wrong passphrase"})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ReauthFailed);
    let d = review(&mut h, &manager, &d, json!({"passphrase": PASS})).unwrap();
    assert_eq!(d["record"]["status"], "published");
    assert_eq!(d["record"]["nextReviewDate"], "2028-10-01", "today + 12 months");
    let r = &d["reviews"][0];
    assert_eq!(
        (r["outcome"].as_str(), r["reviewerName"].as_str(), r["reviewedOn"].as_str()),
        (Some("no_change"), Some("Max Manager"), Some("2027-10-01"))
    );
    let sig = d["signatures"].as_array().unwrap().iter().find(|s| s["meaning"] == "reviewed").unwrap();
    assert_eq!(r["signatureId"], sig["id"]);
    assert!(h.core.conn.execute("UPDATE document_reviews SET notes = 'x'", []).is_err(), "a review is append-only");

    // A review that calls for a revision opens it; the document is published again when the revision is.
    let d = h.admin_ok("documents.start_review", json!({"id": id(&d), "rowVersion": rv(&d)}));
    let d = review(&mut h, &admin, &d, json!({"outcome": "major_revision", "notes": "New site"})).unwrap();
    assert_eq!(d["record"]["status"], "under_review");
    assert_eq!(d["versions"][0]["versionLabel"], "2.0");
    assert_eq!(d["versions"][0]["changeSummary"], "Periodic review: New site");
    // An action from the review keeps the document from being archived while it is open.
    let review_id = d["reviews"][0]["id"].as_str().unwrap().to_owned();
    let action = h.admin_ok(
        "actions.create",
        json!({"sourceType": "document_review", "sourceId": review_id, "title": "Brief the new site", "description": "Brief every driver", "ownerId": manager.id, "dueDate": "2027-12-01"}),
    );
    assert_eq!(action["record"]["sourceReference"], d["record"]["reference"]);
    let e = h.call(&admin, "documents.archive", json!({"id": id(&d), "rowVersion": rv(&d), "reason": "x"})).unwrap_err();
    assert!(e.message.contains(action["record"]["reference"].as_str().unwrap()), "{}", e.message);
    let d = publish_working(&mut h, &d);
    assert_eq!(d["record"]["status"], "published");
    assert_eq!(d["record"]["nextReviewDate"], "2028-10-01");
}

#[test]
fn a_document_leaves_force_by_retirement_or_by_being_superseded() {
    let mut h = h();
    let admin = h.admin.clone();
    let old = published(&mut h, "Old driving policy", json!({}));
    let new = published(&mut h, "Fleet safety policy", json!({}));
    let draft = h.admin_ok("documents.create", json!({"title": "Draft", "ownerId": admin.id}));
    let sup = |h: &mut H, d: &Value, replacement: &str, reason: &str| {
        h.call(&admin, "documents.supersede", json!({"id": id(d), "rowVersion": rv(d), "replacementId": replacement, "reason": reason}))
    };
    assert_eq!(bad_fields(&sup(&mut h, &old, &id(&old), "x").unwrap_err()), ["replacementId"], "not itself");
    assert_eq!(bad_fields(&sup(&mut h, &old, "nothing", "x").unwrap_err()), ["replacementId"]);
    assert_eq!(bad_fields(&sup(&mut h, &old, &id(&new), "").unwrap_err()), ["reason"]);
    let e = sup(&mut h, &draft, &id(&new), "x").unwrap_err();
    assert_eq!(e.kind, ErrorKind::InvalidTransition, "only a document in force is superseded");
    let d = sup(&mut h, &old, &id(&new), "Merged into the fleet policy").unwrap();
    assert_eq!(d["record"]["status"], "superseded");
    assert_eq!(d["supersededBy"]["reference"], new["record"]["reference"]);
    assert!(d["record"]["supersededAt"].is_string());
    let n = h.admin_ok("documents.get", json!({"id": id(&new)}));
    assert_eq!(n["supersedes"][0]["reference"], old["record"]["reference"]);
    assert_eq!(n["record"]["rowVersion"], new["record"]["rowVersion"], "the replacement itself is unchanged");
    assert!(h.admin_ok("documents.history", json!({"id": id(&new)})).to_string().contains("supersedes"));
    // A superseded document is read-only and cannot replace another.
    let e = h.call(&admin, "documents.update", json!({"id": id(&d), "rowVersion": rv(&d), "changes": {"title": "y"}})).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let e = h
        .call(&admin, "documents.new_revision", json!({"id": id(&d), "rowVersion": rv(&d), "kind": "minor", "changeSummary": "x"}))
        .unwrap_err();
    assert_eq!(e.kind, ErrorKind::Conflict);
    let third = published(&mut h, "Third", json!({}));
    assert_eq!(bad_fields(&sup(&mut h, &third, &id(&d), "x").unwrap_err()), ["replacementId"]);
    // A review can end in retirement, with its notes as the reason.
    let n = h.admin_ok("documents.start_review", json!({"id": id(&n), "rowVersion": rv(&n)}));
    let n = h.admin_ok("documents.record_review", json!({"id": id(&n), "rowVersion": rv(&n), "outcome": "retire", "notes": "Fleet sold"}));
    assert_eq!(n["record"]["status"], "retired");
    assert_eq!(n["reviews"][0]["outcome"], "retire");
    let history = h.admin_ok("documents.history", json!({"id": id(&n)}));
    assert_eq!(history[0]["reason"], "Fleet sold");
}

#[test]
fn a_record_whose_owner_left_can_still_be_edited_but_not_given_to_someone_deactivated() {
    let mut h = h();
    let (admin, manager, auditor) = (h.admin.clone(), h.manager.clone(), h.auditor.clone());
    let d = h.admin_ok(
        "documents.create",
        json!({"title": "Site rules", "ownerId": manager.id, "acknowledgementRequired": true, "ackUserIds": [auditor.id]}),
    );
    let risk = h.admin_ok("risks.create", json!({"title": "Falls", "description": "From height", "ownerId": auditor.id}));
    h.admin_ok("users.deactivate", json!({"id": manager.id, "reason": "Left"}));
    h.admin_ok("users.deactivate", json!({"id": auditor.id, "reason": "Left"}));
    // Fixing the title keeps the departed owner and the departed reader on the list.
    let d = h.admin_ok("documents.update", json!({"id": id(&d), "rowVersion": rv(&d), "changes": {"title": "Site safety rules"}}));
    assert_eq!(d["record"]["ownerId"], manager.id.as_str());
    assert_eq!(d["ackUsers"][0]["id"], auditor.id.as_str());
    // Naming a deactivated profile afresh is refused.
    let d2 = h.admin_ok("documents.create", json!({"title": "Other", "ownerId": admin.id}));
    let e = h.call(&admin, "documents.update", json!({"id": id(&d2), "rowVersion": rv(&d2), "changes": {"ownerId": manager.id, "acknowledgementRequired": true, "ackUserIds": [auditor.id]}})).unwrap_err();
    let fields = bad_fields(&e);
    assert!(fields.contains(&"ownerId".to_owned()) && fields.contains(&"ackUserIds[0]".to_owned()), "{fields:?}");
    // The same holds for the other registers: a risk keeps its departed owner through an edit, not a new one.
    let rid = risk["record"]["id"].as_str().unwrap();
    let risk = h.admin_ok(
        "risks.update",
        json!({"id": rid, "rowVersion": risk["record"]["rowVersion"], "changes": {"title": "Falls from height"}}),
    );
    assert_eq!(risk["record"]["ownerId"], auditor.id.as_str());
    let e = h
        .call(&admin, "risks.update", json!({"id": rid, "rowVersion": risk["record"]["rowVersion"], "changes": {"ownerId": manager.id}}))
        .unwrap_err();
    assert_eq!(bad_fields(&e), ["ownerId"]);
}
