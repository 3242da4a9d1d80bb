//! Risk register (domain.md §8): record, assess (append-only history), control, treat, accept (signed), close,
//! archive, restore, list and the heat map.

mod assess;
pub mod links;
pub mod model;
pub mod rules;
pub mod store;

pub use assess::{add_control, assess, update_control};
pub use links::{link, unlink};

use crate::action::{model::ActionSourceType, store as actions};
use crate::audit_trail::{self, AuditAction, AuditEventView, Change, NewEvent};
use crate::authz::{Capability, Role};
use crate::context::{Call, Ctx};
use crate::error::{CoreError, FieldCode, Result};
use crate::lifecycle;
use crate::paging::{choice_list, read_page_request, Page, LIST_KEYS};
use crate::rowmap::to_object;
use crate::signature::{self, SignatureMeaning, Signing};
use crate::validate::{as_object, Choice, Input};
use crate::workflow::{self, stamp};
use model::*;
use rusqlite::{Connection, Transaction};
use serde_json::{json, Map, Value};

pub(crate) const ENTITY: &str = "risk";
const PREFIX: &str = "RSK";

pub(crate) fn label(reference: &str) -> String {
    format!("Risk {reference}")
}

/// Creates a risk and its initial assessment (dated today, inherent = residual = the given rating) inside an
/// open transaction; the building block of `risks.create` and of imports.
pub fn create_in(tx: &Transaction, call: &Call, map: &Map<String, Value>) -> Result<RiskRecord> {
    let actor = call.actor()?;
    let today = call.today();
    let mut v = Input::new(map, &[FIELD_KEYS, &["likelihood", "impact"]].concat());
    let likelihood = v.integer("likelihood", "Likelihood", 1, 5, false).unwrap_or(3);
    let impact = v.integer("impact", "Impact", 1, 5, false).unwrap_or(3);
    let rating_errors = v.errors().iter().filter(|e| e.field == "likelihood" || e.field == "impact").cloned().collect::<Vec<_>>();
    let initial = rules::rating(likelihood, impact);
    let fields = match rules::read_fields(tx, map, today, rules::default_review_months(initial.level), &["likelihood", "impact"]) {
        Ok(f) if rating_errors.is_empty() => f,
        Ok(_) => return Err(CoreError::validation(rating_errors)),
        Err(CoreError::Validation { mut fields, .. }) => {
            fields.extend(rating_errors);
            return Err(CoreError::validation(fields));
        }
        Err(e) => return Err(e),
    };
    let now = call.now_text();
    let record = RiskRecord {
        id: crate::ids::new_id(),
        reference: crate::reference::allocate(tx, PREFIX, &now)?,
        fields,
        likelihood,
        impact,
        score: initial.score,
        level: initial.level,
        status: RiskStatus::Identified,
        accepted_at: None,
        accepted_by: None,
        closed_at: None,
        closed_by: None,
        closure_reason: None,
        reopen_count: 0,
        inherent_likelihood: likelihood,
        inherent_impact: impact,
        target_likelihood: None,
        target_impact: None,
        created_at: now.clone(),
        updated_at: now.clone(),
        created_by: actor.id.clone(),
        updated_by: actor.id.clone(),
        row_version: 1,
        archived_at: None,
        archived_by: None,
        archive_reason: None,
    };
    let assessment = RiskAssessment {
        id: crate::ids::new_id(),
        risk_id: record.id.clone(),
        assessment_date: today.to_string(),
        assessment_type: AssessmentType::Initial,
        inherent_likelihood: likelihood,
        inherent_impact: impact,
        inherent_score: initial.score,
        inherent_level: initial.level,
        residual_likelihood: likelihood,
        residual_impact: impact,
        residual_score: initial.score,
        residual_level: initial.level,
        target_likelihood: None,
        target_impact: None,
        target_score: None,
        target_level: None,
        notes: None,
        control_effectiveness_notes: None,
        assessed_by: actor.id.clone(),
        created_at: now,
    };
    store::insert(tx, &record)?;
    store::insert_assessment(tx, &assessment)?;
    let mut created = to_object(&record.fields)?;
    for (k, val) in [
        ("likelihood", json!(likelihood)),
        ("impact", json!(impact)),
        ("score", json!(initial.score)),
        ("level", json!(initial.level)),
        ("status", json!(record.status)),
        ("initialAssessmentId", json!(assessment.id)),
    ] {
        created.insert(k.into(), val);
    }
    audit_trail::append(
        tx,
        call,
        NewEvent {
            entity_type: ENTITY,
            entity_id: &record.id,
            entity_reference: Some(&record.reference),
            action: AuditAction::Create,
            changes: audit_trail::created_changes(&created),
            reason: None,
        },
    )?;
    Ok(record)
}

/// `risks.create`: records a risk in status `identified` with the next RSK reference and its initial assessment.
pub fn create(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    ctx.call.require(Capability::CreateRisks)?;
    let map = as_object(&input)?.clone();
    let record = ctx.write(|tx, call| create_in(tx, call, &map))?;
    view(ctx.conn(), &ctx.call, record)
}

pub(crate) fn load(conn: &Connection, id: &str) -> Result<RiskRecord> {
    store::find(conn, id)?.ok_or_else(|| CoreError::NotFound(format!("No risk has the id {id}.")))
}

/// Who is "involved" for contributors' own-record rights.
pub(crate) fn involved(record: &RiskRecord) -> [Option<&str>; 2] {
    [Some(record.created_by.as_str()), record.fields.owner_id.as_deref()]
}

/// Refuses writes to archived, stale or closed risks.
pub(crate) fn check_writable(record: &RiskRecord, quoted_version: i64) -> Result<()> {
    let name = label(&record.reference);
    workflow::check_not_archived(&name, record.archived_at.as_deref())?;
    workflow::check_row_version(&name, record.row_version, quoted_version)?;
    if record.status == RiskStatus::Closed {
        return Err(CoreError::Conflict(format!("{name} is closed and read-only. Reopen it to change it.")));
    }
    Ok(())
}

/// Guards about who may take a step, shown on hover and enforced as `forbidden`.
fn actor_guards(record: &RiskRecord, from: RiskStatus, to: RiskStatus, call: &Call) -> Vec<String> {
    let Ok(actor) = call.actor() else { return vec!["Sign in first.".into()] };
    let mut out = Vec::new();
    if rules::is_acceptance(from, to) {
        if !matches!(actor.role, Role::Admin | Role::Manager) {
            out.push("Only a manager or an administrator can accept a risk.".into());
        } else if call.settings.segregation_of_duties && record.fields.owner_id.as_deref() == Some(actor.id.as_str()) {
            out.push(crate::settings::segregation_refusal("the risk's owner cannot accept it."));
        }
    } else if (to == RiskStatus::Closed || from == RiskStatus::Closed) && !actor.role.grants(Capability::CloseReopen) {
        out.push("Your role cannot close or reopen risks.".into());
    }
    out
}

pub(crate) fn view(conn: &Connection, call: &Call, record: RiskRecord) -> Result<RiskView> {
    let owner_name = match record.fields.owner_id.as_deref() {
        Some(id) => crate::users::find(conn, id)?.map(|u| u.display_name),
        None => None,
    };
    let transitions = if record.archived_at.is_some() {
        Vec::new()
    } else {
        let open = actions::open_references(conn, ActionSourceType::Risk, &record.id)?;
        rules::allowed_targets(record.status)
            .iter()
            .map(|to| {
                let mut unmet = rules::unmet_guards(record.status, *to, &record.fields, &open);
                unmet.extend(actor_guards(&record, record.status, *to, call));
                RiskTransitionOption {
                    to: *to,
                    needs: rules::needs(record.status, *to).iter().map(|s| (*s).to_owned()).collect(),
                    unmet_guards: unmet,
                    signature: rules::is_acceptance(record.status, *to),
                }
            })
            .collect()
    };
    Ok(RiskView {
        owner_name,
        colour: rules::colour(record.level).to_owned(),
        flags: rules::flags(&record, call.today(), call.settings.due_soon_days),
        assessments: store::assessments(conn, &record.id)?,
        controls: store::controls(conn, &record.id)?,
        linked_records: links::linked_records(conn, &record.id)?,
        transitions,
        signatures: signature::list_for(conn, ENTITY, &record.id)?,
        record,
    })
}

/// `risks.get`: one risk by `id` or `reference`, readable even when archived.
pub fn get(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    let id = lifecycle::read_get::<RiskRecord>(ctx, &input, store::id_by_reference)?;
    let record = load(ctx.conn(), &id)?;
    view(ctx.conn(), &ctx.call, record)
}

/// Date of the latest assessment (the base of the next review date).
pub(crate) fn latest_assessment_date(conn: &Connection, record: &RiskRecord) -> Result<jiff::civil::Date> {
    let date: Option<String> = store::assessments(conn, &record.id)?.first().map(|a| a.assessment_date.clone());
    Ok(date.and_then(|d| d.parse().ok()).unwrap_or_else(|| jiff::civil::date(1970, 1, 1)))
}

/// `risks.update`: `{id, rowVersion, changes}`. Likelihood and impact change only through assessments. Changing
/// the review frequency recomputes the next review date unless a (brought-forward) date is given with it.
pub fn update(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let (id, row_version, changes) = crate::lifecycle::read_update(as_object(&input)?, &[])?;
    for key in ["likelihood", "impact"] {
        if changes.contains_key(key) {
            return Err(CoreError::field(key, FieldCode::InvalidFormat, "Likelihood and impact change only by recording an assessment"));
        }
    }
    let current = load(ctx.conn(), &id)?;
    ctx.call.require_on(Capability::EditRecords, &involved(&current))?;
    check_writable(&current, row_version)?;
    let mut merged = to_object(&current.fields)?;
    if changes.contains_key("reviewFrequencyMonths") && !changes.contains_key("nextReviewDate") {
        merged.remove("nextReviewDate");
    }
    for (k, val) in changes {
        merged.insert(k, val);
    }
    let latest = latest_assessment_date(ctx.conn(), &current)?;
    let fields = crate::validate::keeping(&current.fields, || {
        rules::read_fields(ctx.conn(), &merged, latest, current.fields.review_frequency_months, &[])
    })?;
    let diff = audit_trail::diff_changes(&to_object(&current.fields)?, &to_object(&fields)?);
    if diff.is_empty() {
        return view(ctx.conn(), &ctx.call, current);
    }
    let record = ctx.write(|tx, call| {
        let mut record = current.clone();
        record.fields = fields;
        lifecycle::save(tx, call, &mut record, AuditAction::Update, diff, None)?;
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.transition`: `{id, rowVersion, to, reason?, passphrase?, comment?}` along the §8 table. Accepting a
/// risk (assessed → monitoring) is a signature `accepted` by a manager or administrator other than the owner.
pub fn transition(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    // Roles without any write right are refused before their input is judged.
    ctx.call.require(Capability::EditRecords)?;
    let map = as_object(&input)?;
    let keys = ["id", "rowVersion", "to", "reason", "passphrase", "comment"];
    let mut v = Input::new(map, &keys);
    let (id, row_version) = workflow::read_target(&mut v);
    let to = v.required_choice::<RiskStatus>("to", "Target status");
    let reason = v.text("reason", "Reason", 1, 1000, false);
    let comment = v.text("comment", "Comment", 0, 1000, false);
    // The passphrase is never trimmed, normalised here, logged or stored.
    let passphrase = map.get("passphrase").and_then(Value::as_str).map(str::to_owned);
    v.finish()?;
    let (Some(id), Some(row_version), Some(to)) = (id, row_version, to) else {
        return Err(CoreError::Internal("validated fields missing".into()));
    };
    let current = load(ctx.conn(), &id)?;
    let from = current.status;
    let name = label(&current.reference);
    let capability = if to == RiskStatus::Closed || from == RiskStatus::Closed {
        Capability::CloseReopen
    } else if rules::is_acceptance(from, to) {
        Capability::ApproveDocuments
    } else {
        Capability::EditRecords
    };
    ctx.call.require_on(capability, &involved(&current))?;
    workflow::check_not_archived(&name, current.archived_at.as_deref())?;
    workflow::check_row_version(&name, current.row_version, row_version)?;
    let allowed: Vec<&str> = rules::allowed_targets(from).iter().map(|s| s.as_str()).collect();
    if !rules::allowed_targets(from).contains(&to) {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, Vec::new(), Vec::new()));
    }
    if let Some(why) = actor_guards(&current, from, to, &ctx.call).into_iter().next() {
        return Err(CoreError::Forbidden(why));
    }
    let has_passphrase = passphrase.as_deref().is_some_and(|p| !p.is_empty());
    workflow::missing_needs(rules::needs(from, to), &[("reason", reason.is_some()), ("passphrase", has_passphrase)])?;
    let open = actions::open_references(ctx.conn(), ActionSourceType::Risk, &current.id)?;
    let unmet = rules::unmet_guards(from, to, &current.fields, &open);
    if !unmet.is_empty() {
        return Err(workflow::refuse(&name, from.as_str(), to.as_str(), &allowed, unmet, open));
    }
    let accepting = rules::is_acceptance(from, to);
    if accepting {
        signature::reauthenticate(ctx, passphrase.as_deref().unwrap_or(""))?;
    }
    let record = ctx.write(|tx, call| {
        let actor_id = call.actor()?.id.clone();
        let now = call.now_text();
        let mut record = current.clone();
        let mut changes = vec![Change::new("status", json!(from), json!(to))];
        if accepting {
            stamp(&mut changes, "accepted_at", &mut record.accepted_at, Some(now.clone()));
            stamp(&mut changes, "accepted_by", &mut record.accepted_by, Some(actor_id.clone()));
        }
        if to == RiskStatus::Closed {
            stamp(&mut changes, "closed_at", &mut record.closed_at, Some(now.clone()));
            stamp(&mut changes, "closed_by", &mut record.closed_by, Some(actor_id.clone()));
            stamp(&mut changes, "closure_reason", &mut record.closure_reason, reason.clone());
        }
        if from == RiskStatus::Closed {
            stamp(&mut changes, "closed_at", &mut record.closed_at, None);
            stamp(&mut changes, "closed_by", &mut record.closed_by, None);
            stamp(&mut changes, "closure_reason", &mut record.closure_reason, None);
            let reopened = record.reopen_count + 1;
            stamp(&mut changes, "reopen_count", &mut record.reopen_count, reopened);
        }
        record.status = to;
        lifecycle::save(tx, call, &mut record, AuditAction::StatusChange, changes, reason.as_deref())?;
        if accepting {
            // The signature covers the risk as accepted: its rating, strategy and plan at this moment.
            let signed = serde_json::to_value(&record)?;
            signature::sign(
                tx,
                call,
                Signing {
                    meaning: SignatureMeaning::Accepted,
                    entity_type: ENTITY,
                    entity_id: &record.id,
                    entity_reference: Some(&record.reference),
                    record: &signed,
                    files: &[],
                    comment: comment.as_deref(),
                },
            )?;
        }
        Ok(record)
    })?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.archive`: `{id, rowVersion, reason}`; refused while actions raised from the risk are open.
pub fn archive(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    let record = lifecycle::archive(ctx, &input, load, |conn, r| actions::open_references(conn, ActionSourceType::Risk, &r.id))?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.restore`: `{id, rowVersion, reason?}`.
pub fn restore(ctx: &mut Ctx, input: Value) -> Result<RiskView> {
    let record = lifecycle::restore(ctx, &input, load)?;
    view(ctx.conn(), &ctx.call, record)
}

/// `risks.history`: the risk's events, newest first.
pub fn history(ctx: &mut Ctx, input: Value) -> Result<Vec<AuditEventView>> {
    lifecycle::history::<RiskRecord>(ctx, &input, load)
}

const FILTER_KEYS: &[&str] =
    &["status", "category", "level", "ownerId", "reviewOverdue", "reviewDueSoon", "treatmentOverdue", "likelihood", "impact", "basis"];

/// `risks.list`: the register, score first, with review and treatment flags computed now.
pub fn list(ctx: &mut Ctx, input: Value) -> Result<Page<RiskSummary>> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let known: Vec<&str> = LIST_KEYS.iter().chain(FILTER_KEYS).copied().collect();
    let mut v = Input::new(map, &known);
    let page = read_page_request(&mut v, store::SORTS);
    let owner_ids = crate::paging::id_list(&mut v, "ownerId", "Owner");
    let likelihood = v.integer("likelihood", "Likelihood", 1, 5, false);
    let impact = v.integer("impact", "Impact", 1, 5, false);
    let basis = v.choice("basis", "Basis", Some(HeatMapBasis::Residual)).unwrap_or(HeatMapBasis::Residual);
    if likelihood.is_some() != impact.is_some() {
        v.error(
            if likelihood.is_none() { "likelihood" } else { "impact" },
            FieldCode::Required,
            "A heat-map cell needs both likelihood and impact",
        );
    }
    let filter = store::RiskFilter {
        statuses: choice_list(&mut v, "status", "Status"),
        categories: choice_list(&mut v, "category", "Category"),
        levels: choice_list(&mut v, "level", "Level"),
        owner_ids,
        review_overdue: v.tri_state("reviewOverdue", "Review overdue"),
        review_due_soon: v.tri_state("reviewDueSoon", "Review due soon"),
        treatment_overdue: v.tri_state("treatmentOverdue", "Treatment overdue"),
        cell: likelihood.zip(impact).map(|(l, i)| (l, i, basis)),
    };
    v.finish()?;
    let today = ctx.call.today();
    let days = ctx.call.settings.due_soon_days;
    let soon = today.checked_add(jiff::Span::new().days(i64::from(days))).unwrap_or(today);
    let (rows, total) = store::list(ctx.conn(), &filter, &page, &today.to_string(), &soon.to_string())?;
    let items = rows.into_iter().map(|(r, owner_name)| summary(r, owner_name, today, days)).collect();
    Ok(Page::new(items, total, &page))
}

/// One register row of a stored risk.
pub fn summary(r: RiskRecord, owner_name: Option<String>, today: jiff::civil::Date, due_soon_days: u32) -> RiskSummary {
    RiskSummary {
        flags: rules::flags(&r, today, due_soon_days),
        colour: rules::colour(r.level).to_owned(),
        id: r.id,
        reference: r.reference,
        title: r.fields.title,
        category: r.fields.category,
        status: r.status,
        likelihood: r.likelihood,
        impact: r.impact,
        score: r.score,
        level: r.level,
        owner_id: r.fields.owner_id,
        owner_name,
        treatment_strategy: r.fields.treatment_strategy,
        next_review_date: r.fields.next_review_date,
        row_version: r.row_version,
        archived_at: r.archived_at,
    }
}

/// Builds the heat map from per-cell counts: likelihood 5 on top, impact 1..5 left to right.
pub fn heat_map_of(basis: HeatMapBasis, counts: &[(i64, i64, i64)]) -> HeatMap {
    let count = |l: i64, i: i64| counts.iter().find(|c| c.0 == l && c.1 == i).map_or(0, |c| c.2);
    let rows: Vec<Vec<HeatMapCell>> = (1..=5)
        .rev()
        .map(|l| {
            (1..=5)
                .map(|i| {
                    let r = rules::rating(l, i);
                    HeatMapCell {
                        likelihood: l,
                        impact: i,
                        score: r.score,
                        level: r.level,
                        colour: rules::colour(r.level).into(),
                        count: count(l, i),
                    }
                })
                .collect()
        })
        .collect();
    let levels = RiskLevel::VALUES
        .iter()
        .filter_map(|s| RiskLevel::parse(s))
        .map(|level| LevelCount {
            level,
            colour: rules::colour(level).into(),
            count: rows.iter().flatten().filter(|c| c.level == level).map(|c| c.count).sum(),
        })
        .collect();
    let total = counts.iter().map(|c| c.2).sum();
    HeatMap { basis, rows, levels, total }
}

/// `risks.heat_map`: counts of live risks per cell on the residual (current), inherent or target rating.
pub fn heat_map(ctx: &mut Ctx, input: Value) -> Result<HeatMap> {
    ctx.call.require(Capability::ViewRecords)?;
    let empty = Map::new();
    let map = if input.is_null() { &empty } else { as_object(&input)? };
    let mut v = Input::new(map, &["basis"]);
    let basis = v.choice("basis", "Basis", Some(HeatMapBasis::Residual)).unwrap_or(HeatMapBasis::Residual);
    v.finish()?;
    Ok(heat_map_of(basis, &store::cell_counts(ctx.conn(), basis)?))
}

crate::governed!(RiskRecord, "risks", "risk", "Risk");
