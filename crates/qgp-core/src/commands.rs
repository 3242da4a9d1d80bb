//! The command surface: every operation the UI performs is a named command `<module>.<verb>` with JSON input
//! and output. The app and `qgp call` both go through [`dispatch`], so both get the same validation,
//! transactions, audit trail and logging.

use crate::action::model::*;
use crate::api::{ArchiveInput, GetInput, IdInput, NoInput, TargetInput};
use crate::audit::model::*;
use crate::audit::{AnswerOutcome, AttachResponseInput};
use crate::audit_trail::{AuditEventView, ChainReport};
use crate::authz::Capability;
use crate::backup::{BackupInfo, BackupVerification};
use crate::collision::model::*;
use crate::complaint::model::*;
use crate::context::Ctx;
use crate::dashboard::GovernanceDashboard;
use crate::document::model::*;
use crate::error::{CoreError, FieldCode, Result};
use crate::evidence::{
    AttachEvidenceInput, AttachedFile, DetachEvidenceInput, EvidenceListInput, IntegrityReport, OpenCopyInput, OpenedCopy,
};
use crate::finding::model::*;
use crate::health::{HealthReport, SupportBundle};
use crate::incident::{self, model::*};
use crate::investigation::model::*;
use crate::paging::Page;
use crate::risk::model::*;
use crate::search::{GlobalSearchInput, SearchHit};
use crate::settings::Settings;
use crate::standards::model::*;
use crate::template::model::*;
use crate::template::{DiscardOutcome, SaveDraftInput, TemplateInput, TemplateListInput, TemplateVersionInput, UpdateTemplateInput};
use crate::user_admin::{ChangePassphraseInput, ResetPassphraseInput, UpdateUserInput, UserStateInput};
use crate::users::{CreateUserInput, SetupInput, UserListInput, UserView};
use crate::validate::{as_object, Input};
use serde::{Deserialize, Serialize};
use serde_json::Value;
use ts_rs::TS;

/// Commands that run without a signed-in profile.
pub const PUBLIC_COMMANDS: &[&str] = &["users.setup", "setup.restore_backup", "health.report", "app.status", "packs.verify"];

/// What the app needs to know before anyone signs in.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct AppStatus {
    pub needs_setup: bool,
    pub version: String,
    pub data_dir: String,
    pub org_name: Option<String>,
    pub session_idle_minutes: u32,
    /// The IANA zone every date and time is shown in (domain.md §1.4, §1.12): the configured one, else the
    /// computer's; `null` only when the computer's zone has no IANA name (the UI then uses the same system zone).
    pub time_zone: Option<String>,
}

fn app_status(ctx: &mut Ctx, _input: Value) -> Result<AppStatus> {
    Ok(AppStatus {
        needs_setup: crate::users::needs_setup(ctx.conn())?,
        version: env!("CARGO_PKG_VERSION").into(),
        data_dir: ctx.call.paths.data_dir.display().to_string(),
        org_name: ctx.call.settings.org_name.clone(),
        session_idle_minutes: ctx.call.settings.session_idle_minutes,
        time_zone: ctx.call.settings.zone().iana_name().map(str::to_owned),
    })
}

/// Input of `backup.verify` and `backup.restore`.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct BackupPathInput {
    pub path: String,
}

fn backup_create(ctx: &mut Ctx, _input: Value) -> Result<BackupInfo> {
    ctx.call.require(Capability::AdministerSystem)?;
    let now = ctx.call.now_text();
    let taken = crate::backup::create(ctx.conn(), ctx.call.paths, ctx.call.config.backup_retention, &now, &ctx.call.progress)?;
    crate::trail_anchor::record(ctx.conn(), ctx.call.paths, &now, false);
    crate::backup::copy_off_if_configured(&taken, ctx.call.config, &ctx.call.paths.backup_dir);
    Ok(taken)
}

fn backup_list(ctx: &mut Ctx, _input: Value) -> Result<Vec<BackupInfo>> {
    ctx.call.require(Capability::AdministerSystem)?;
    crate::backup::list(&ctx.call.paths.backup_dir)
}

fn read_path(input: &Value) -> Result<std::path::PathBuf> {
    let map = as_object(input)?;
    let mut v = Input::new(map, &["path"]);
    let path = v.text("path", "Backup file", 1, 4096, true);
    v.finish()?;
    let path = std::path::PathBuf::from(path.unwrap_or_default());
    if path.as_os_str().is_empty() {
        return Err(CoreError::field("path", FieldCode::Required, "Backup file is required"));
    }
    Ok(path)
}

fn backup_verify(ctx: &mut Ctx, input: Value) -> Result<BackupVerification> {
    ctx.call.require(Capability::AdministerSystem)?;
    crate::backup::verify_in(&read_path(&input)?, &ctx.call.paths.backup_dir)
}

fn backup_restore(ctx: &mut Ctx, input: Value) -> Result<crate::backup::RestoreOutcome> {
    ctx.call.require(Capability::AdministerSystem)?;
    let path = read_path(&input)?;
    crate::backup::restore_use_case(ctx, &path)
}

macro_rules! commands {
    ($( $name:literal => $func:path : $input:ty => $output:ty ),* $(,)?) => {
        /// Runs the command `name` with its JSON input.
        pub fn dispatch(ctx: &mut Ctx, name: &str, input: Value) -> Result<Value> {
            if !PUBLIC_COMMANDS.contains(&name) {
                ctx.call.actor()?;
            }
            match name {
                $( $name => Ok(serde_json::to_value($func(ctx, input)?)?), )*
                _ => Err(CoreError::NotFound(format!("There is no command '{name}'. `qgp call --list` lists them."))),
            }
        }

        /// Every command name, in declaration order.
        pub const COMMAND_NAMES: &[&str] = &[$($name),*];

        /// TypeScript: the `Commands` map from command name to input and output types.
        pub fn typescript_command_map() -> String {
            let mut out = String::from("export interface Commands {\n");
            $( out.push_str(&format!("  \"{}\": {{ input: {}; output: {} }};\n", $name, <$input as TS>::name(&crate::bindings::ts_config()), <$output as TS>::name(&crate::bindings::ts_config()))); )*
            out.push_str("}\n");
            out
        }

    };
}

commands! {
    "app.status" => app_status: NoInput => AppStatus,
    "users.setup" => crate::users::setup: SetupInput => UserView,
    "users.me" => crate::users::me: NoInput => UserView,
    "users.list" => crate::users::list: UserListInput => Vec<UserView>,
    "users.update" => crate::user_admin::update: UpdateUserInput => UserView,
    "users.deactivate" => crate::user_admin::deactivate: UserStateInput => UserView,
    "users.reactivate" => crate::user_admin::reactivate: UserStateInput => UserView,
    "users.change_passphrase" => crate::user_admin::change_passphrase: ChangePassphraseInput => UserView,
    "users.reset_passphrase" => crate::user_admin::reset_passphrase: ResetPassphraseInput => UserView,
    "settings.get" => crate::settings::get: NoInput => Settings,
    "settings.update" => crate::settings::update: Settings => Settings,
    "incidents.create" => incident::create: IncidentInput => IncidentView,
    "incidents.get" => incident::get: GetInput => IncidentView,
    "incidents.update" => incident::update: UpdateIncidentInput => IncidentView,
    "incidents.transition" => incident::transition: IncidentTransitionInput => IncidentView,
    "incidents.archive" => incident::archive: ArchiveInput => IncidentView,
    "incidents.restore" => incident::restore: ArchiveInput => IncidentView,
    "incidents.history" => incident::history: IdInput => Vec<AuditEventView>,
    "incidents.list" => incident::list: IncidentListInput => Page<IncidentSummary>,
    "incidents.dashboard" => incident::dashboard: NoInput => IncidentDashboard,
    "users.create" => crate::users::create: CreateUserInput => UserView,
    "actions.create" => crate::action::create: ActionInput => ActionView,
    "actions.get" => crate::action::get: IdInput => ActionView,
    "actions.update" => crate::action::update: UpdateActionInput => ActionView,
    "actions.transition" => crate::action::transition: ActionTransitionInput => ActionView,
    "actions.archive" => crate::action::archive: ArchiveInput => ActionView,
    "actions.restore" => crate::action::restore: ArchiveInput => ActionView,
    "actions.history" => crate::action::history: IdInput => Vec<AuditEventView>,
    "actions.list" => crate::action::list: ActionListInput => Page<ActionSummary>,
    "audit_trail.verify" => crate::audit_trail::verify_and_record: NoInput => ChainReport,
    "health.report" => crate::health::report: NoInput => HealthReport,
    "health.support_bundle" => crate::health::support_bundle: NoInput => SupportBundle,
    "risks.create" => crate::risk::create: RiskInput => RiskView,
    "risks.get" => crate::risk::get: GetInput => RiskView,
    "risks.update" => crate::risk::update: UpdateRiskInput => RiskView,
    "risks.transition" => crate::risk::transition: RiskTransitionInput => RiskView,
    "risks.assess" => crate::risk::assess: AssessRiskInput => RiskView,
    "risks.add_control" => crate::risk::add_control: AddControlInput => RiskView,
    "risks.update_control" => crate::risk::update_control: UpdateControlInput => RiskView,
    "risks.link" => crate::risk::link: RiskLinkInput => RiskView,
    "risks.unlink" => crate::risk::unlink: RiskLinkInput => RiskView,
    "risks.archive" => crate::risk::archive: ArchiveInput => RiskView,
    "risks.restore" => crate::risk::restore: ArchiveInput => RiskView,
    "risks.history" => crate::risk::history: IdInput => Vec<AuditEventView>,
    "risks.list" => crate::risk::list: RiskListInput => Page<RiskSummary>,
    "risks.heat_map" => crate::risk::heat_map: HeatMapInput => HeatMap,
    "investigations.create" => crate::investigation::create: InvestigationInput => InvestigationView,
    "investigations.get" => crate::investigation::get: GetInput => InvestigationView,
    "investigations.update" => crate::investigation::update: UpdateInvestigationInput => InvestigationView,
    "investigations.transition" => crate::investigation::transition: InvestigationTransitionInput => InvestigationView,
    "investigations.archive" => crate::investigation::archive: ArchiveInput => InvestigationView,
    "investigations.restore" => crate::investigation::restore: ArchiveInput => InvestigationView,
    "investigations.history" => crate::investigation::history: IdInput => Vec<AuditEventView>,
    "investigations.list" => crate::investigation::list: InvestigationListInput => Page<InvestigationSummary>,
    "complaints.create" => crate::complaint::create: ComplaintInput => ComplaintView,
    "complaints.get" => crate::complaint::get: GetInput => ComplaintView,
    "complaints.update" => crate::complaint::update: UpdateComplaintInput => ComplaintView,
    "complaints.transition" => crate::complaint::transition: ComplaintTransitionInput => ComplaintView,
    "complaints.archive" => crate::complaint::archive: ArchiveInput => ComplaintView,
    "complaints.restore" => crate::complaint::restore: ArchiveInput => ComplaintView,
    "complaints.history" => crate::complaint::history: IdInput => Vec<AuditEventView>,
    "complaints.list" => crate::complaint::list: ComplaintListInput => Page<ComplaintSummary>,
    "collisions.create" => crate::collision::create: CollisionInput => CollisionView,
    "collisions.get" => crate::collision::get: GetInput => CollisionView,
    "collisions.update" => crate::collision::update: UpdateCollisionInput => CollisionView,
    "collisions.transition" => crate::collision::transition: CollisionTransitionInput => CollisionView,
    "collisions.archive" => crate::collision::archive: ArchiveInput => CollisionView,
    "collisions.restore" => crate::collision::restore: ArchiveInput => CollisionView,
    "collisions.history" => crate::collision::history: IdInput => Vec<AuditEventView>,
    "collisions.list" => crate::collision::list: CollisionListInput => Page<CollisionSummary>,
    "documents.create" => crate::document::create: DocumentInput => DocumentView,
    "documents.get" => crate::document::get: GetInput => DocumentView,
    "documents.update" => crate::document::update: UpdateDocumentInput => DocumentView,
    "documents.edit_version" => crate::document::edit_version: EditVersionInput => DocumentView,
    "documents.version_transition" => crate::document::version_transition: VersionTransitionInput => DocumentView,
    "documents.new_revision" => crate::document::new_revision: NewRevisionInput => DocumentView,
    "documents.discard_draft" => crate::document::discard_draft: DiscardVersionInput => DocumentView,
    "documents.retire" => crate::document::retire: RetireDocumentInput => DocumentView,
    "documents.start_review" => crate::document::start_review: StartReviewInput => DocumentView,
    "documents.record_review" => crate::document::record_review: RecordReviewInput => DocumentView,
    "documents.supersede" => crate::document::supersede: SupersedeInput => DocumentView,
    "documents.acknowledge" => crate::document::acknowledge: AcknowledgeInput => DocumentView,
    "documents.my_acknowledgements" => crate::document::my_acknowledgements: NoInput => Vec<MyAcknowledgement>,
    "documents.archive" => crate::document::archive: ArchiveInput => DocumentView,
    "documents.restore" => crate::document::restore: ArchiveInput => DocumentView,
    "documents.history" => crate::document::history: IdInput => Vec<AuditEventView>,
    "documents.list" => crate::document::list: DocumentListInput => Page<DocumentSummary>,
    "templates.create" => crate::template::create: TemplateInput => TemplateView,
    "templates.get" => crate::template::get: GetInput => TemplateView,
    "templates.update" => crate::template::update: UpdateTemplateInput => TemplateView,
    "templates.save_draft" => crate::template::save_draft: SaveDraftInput => TemplateView,
    "templates.publish" => crate::template::publish: TemplateVersionInput => TemplateView,
    "templates.new_version" => crate::template::new_version: TargetInput => TemplateView,
    "templates.clone" => crate::template::clone: IdInput => TemplateView,
    "templates.discard_draft" => crate::template::discard_draft: TemplateVersionInput => DiscardOutcome,
    "templates.archive" => crate::template::archive: ArchiveInput => TemplateView,
    "templates.restore" => crate::template::restore: ArchiveInput => TemplateView,
    "templates.history" => crate::template::history: IdInput => Vec<AuditEventView>,
    "templates.list" => crate::template::list: TemplateListInput => Page<TemplateSummary>,
    "runs.create" => crate::audit::create: RunInput => RunView,
    "runs.get" => crate::audit::get: GetInput => RunView,
    "runs.update" => crate::audit::update: UpdateRunInput => RunView,
    "runs.answer" => crate::audit::answer: AnswerInput => AnswerOutcome,
    "runs.attach" => crate::audit::attach: AttachResponseInput => AnswerOutcome,
    "runs.transition" => crate::audit::transition: RunTransitionInput => RunView,
    "runs.discard" => crate::audit::discard: TargetInput => crate::api::Discarded,
    "runs.archive" => crate::audit::archive: ArchiveInput => RunView,
    "runs.restore" => crate::audit::restore: ArchiveInput => RunView,
    "runs.history" => crate::audit::history: IdInput => Vec<AuditEventView>,
    "runs.list" => crate::audit::list: RunListInput => Page<RunSummary>,
    "findings.create" => crate::finding::create: FindingInput => FindingView,
    "findings.get" => crate::finding::get: GetInput => FindingView,
    "findings.update" => crate::finding::update: UpdateFindingInput => FindingView,
    "findings.transition" => crate::finding::transition: FindingTransitionInput => FindingView,
    "findings.archive" => crate::finding::archive: ArchiveInput => FindingView,
    "findings.restore" => crate::finding::restore: ArchiveInput => FindingView,
    "findings.history" => crate::finding::history: IdInput => Vec<AuditEventView>,
    "findings.list" => crate::finding::list: FindingListInput => Page<FindingSummary>,
    "standards.list" => crate::standards::list: NoInput => Vec<StandardSummary>,
    "standards.get" => crate::standards::get: IdInput => StandardView,
    "standards.update_clause" => crate::standards::update_clause: UpdateClauseInput => ClauseView,
    "standards.set_active" => crate::standards::set_active: SetStandardActiveInput => StandardSummary,
    "standards.mappings" => crate::standards::mappings: IdInput => Vec<MappedClause>,
    "compliance.view" => crate::standards::compliance::view: StandardIdInput => crate::standards::compliance::ComplianceView,
    "compliance.link" => crate::standards::compliance::link: crate::standards::compliance::ComplianceLinkInput => crate::standards::compliance::LinkOutcome,
    "compliance.unlink" => crate::standards::compliance::unlink: crate::standards::compliance::ComplianceLinkInput => crate::standards::compliance::LinkOutcome,
    "soa.get" => crate::standards::get_soa: StandardIdInput => SoaView,
    "soa.update" => crate::standards::update_soa: UpdateSoaInput => SoaView,
    "soa.approve" => crate::standards::approve_soa: ApproveSoaInput => SoaView,
    "evidence.attach" => crate::evidence::attach: AttachEvidenceInput => AttachedFile,
    "evidence.list" => crate::evidence::list: EvidenceListInput => Vec<AttachedFile>,
    "evidence.detach" => crate::evidence::detach: DetachEvidenceInput => Vec<AttachedFile>,
    "evidence.thumbnail" => crate::evidence::thumbnail: OpenCopyInput => crate::evidence::Thumbnail,
    "evidence.open_copy" => crate::evidence::open_copy: OpenCopyInput => OpenedCopy,
    "evidence.integrity_check" => crate::evidence::integrity_check: NoInput => IntegrityReport,
    "search.global" => crate::search::global: GlobalSearchInput => Vec<SearchHit>,
    "dashboard.audits" => crate::audit::dashboard::audits: NoInput => crate::audit::dashboard::AuditDashboard,
    "dashboard.governance" => crate::dashboard::governance: NoInput => GovernanceDashboard,
    "backup.create" => backup_create: NoInput => BackupInfo,
    "backup.list" => backup_list: NoInput => Vec<BackupInfo>,
    "backup.verify" => backup_verify: BackupPathInput => BackupVerification,
    "backup.restore" => backup_restore: BackupPathInput => crate::backup::RestoreOutcome,
    "setup.restore_backup" => crate::backup_restore::restore_onto_new_installation: crate::backup_restore::RestoreOntoNewInstallationInput => crate::backup::RestoreOutcome,
    "jobs.start" => crate::jobs::start: crate::jobs::StartJobInput => crate::jobs::JobView,
    "jobs.status" => crate::jobs::status: crate::jobs::JobIdInput => crate::jobs::JobView,
    "jobs.cancel" => crate::jobs::cancel: crate::jobs::JobIdInput => crate::jobs::JobView,
    "exports.register" => crate::export::register: crate::export::RegisterExportInput => crate::export::ExportOutcome,
    "reports.generate" => crate::report::generate: crate::report::ReportInput => crate::export::ExportOutcome,
    "packs.create" => crate::pack::create: crate::pack::CreatePackInput => crate::export::ExportOutcome,
    "packs.verify" => crate::pack::verify::verify: crate::pack::verify::VerifyPackInput => crate::pack::verify::PackVerification,
    "keys.installation" => crate::pack::key::installation: NoInput => crate::pack::key::KeyInfo,
    "keys.trusted" => crate::pack::trust::list: NoInput => Vec<crate::pack::trust::TrustedKey>,
    "keys.trust" => crate::pack::trust::trust: crate::pack::trust::TrustKeyInput => crate::pack::trust::TrustedKey,
    "keys.distrust" => crate::pack::trust::distrust: crate::pack::trust::DistrustKeyInput => crate::pack::trust::TrustedKey,
    "imports.preview" => crate::import::preview: crate::import::ImportInput => crate::import::ImportOutcome,
    "imports.run" => crate::import::run: crate::import::ImportInput => crate::import::ImportOutcome,
    "branding.get" => crate::branding::get: NoInput => crate::branding::Branding,
    "branding.set_logo" => crate::branding::set_logo: crate::branding::SetLogoInput => crate::branding::Branding,
    "branding.clear_logo" => crate::branding::clear_logo: NoInput => crate::branding::Branding,
    "exports.database" => crate::export::database::export: crate::export::database::DatabaseExportInput => crate::export::ExportOutcome,
}
