//! Generates the UI's TypeScript types (`ui/src/api/bindings.ts`) from the Rust types, so the UI never keeps
//! its own copy. A test regenerates the file; CI fails when the committed file differs.

use crate::action::model::*;
use crate::api::*;
use crate::audit_trail::{AuditAction, AuditEventView, ChainProblem, ChainReport, Change};
use crate::authz::Role;
use crate::backup::{BackupInfo, BackupVerification};
use crate::collision::model::*;
use crate::commands::{AppStatus, BackupPathInput, RestoreOutcome};
use crate::complaint::model::*;
use crate::dashboard::{GovernanceDashboard, OwnerActions};
use crate::document::model::*;
use crate::error::{ErrorEnvelope, ErrorKind, FieldCode, FieldError, TransitionRefusal};
use crate::evidence::*;
use crate::health::*;
use crate::incident::model::*;
use crate::investigation::model::*;
use crate::paging::{ArchivedFilter, ListPaging, SortDirection};
use crate::risk::model::*;
use crate::search::{GlobalSearchInput, SearchHit};
use crate::settings::{FindingDueDays, Settings};
use crate::signature::{SignatureMeaning, SignatureView};
use crate::standards::model::*;
use crate::user_admin::{ChangePassphraseInput, UpdateUserInput, UserChanges, UserStateInput};
use crate::users::{CreateUserInput, SetupInput, SignInInput, UserListInput, UserView};
use ts_rs::{Config, TS};

/// Our TypeScript settings: 64-bit integers travel as JSON numbers (all our values fit).
pub fn ts_config() -> Config {
    Config::new().with_large_int("number")
}

macro_rules! declarations {
    ($($t:ty),* $(,)?) => {
        vec![$( format!("export {}", <$t as TS>::decl(&ts_config())), )*]
    };
}

/// The whole bindings file.
pub fn typescript() -> String {
    let mut out = String::from("// Generated from the Rust types by `cargo test -p qgp-core --test bindings`. Do not edit.\n\n");
    let page = "export type Page<T> = { items: Array<T>; total: number; page: number; pageSize: number; pages: number };".to_owned();
    let decls: Vec<String> = declarations![
        FieldCode,
        FieldError,
        TransitionRefusal,
        ErrorKind,
        ErrorEnvelope,
        Role,
        UserView,
        SetupInput,
        SignInInput,
        AppStatus,
        Settings,
        FindingDueDays,
        IdInput,
        GetInput,
        ArchiveInput,
        NoInput,
        ArchivedFilter,
        SortDirection,
        ListPaging,
        AuditAction,
        Change,
        AuditEventView,
        ChainProblem,
        ChainReport,
        IncidentType,
        IncidentSeverity,
        IncidentSource,
        IncidentStatus,
        PersonType,
        RiddorCategory,
        RiddorFilter,
        Person,
        PersonInput,
        IncidentFields,
        IncidentRecord,
        TransitionOption,
        RiddorStatus,
        IncidentView,
        IncidentSummary,
        IncidentInput,
        UpdateIncidentInput,
        IncidentTransitionInput,
        IncidentListInput,
        ValueCount,
        MonthCount,
        IncidentDashboard,
        CheckStatus,
        HealthCheck,
        AppFacts,
        PathFacts,
        DatabaseFacts,
        StorageFacts,
        RecordCount,
        HealthReport,
        SupportBundle,
        BackupInfo,
        BackupVerification,
        BackupPathInput,
        RestoreOutcome,
        CreateUserInput,
        SignatureMeaning,
        SignatureView,
        ActionSourceType,
        ActionType,
        ActionPriority,
        ActionStatus,
        DueDateChange,
        ActionFields,
        ActionRecord,
        ActionTransitionOption,
        ActionFlags,
        ActionView,
        ActionSummary,
        ActionInput,
        UpdateActionInput,
        ActionTransitionInput,
        ActionListInput,
        RiskCategory,
        TreatmentStrategy,
        RiskLevel,
        RiskStatus,
        AssessmentType,
        ControlType,
        ImplementationStatus,
        ControlEffectiveness,
        HeatMapBasis,
        RiskFields,
        RiskRecord,
        Rating,
        RiskAssessment,
        RiskControl,
        RiskControlFields,
        RiskFlags,
        RiskTransitionOption,
        LinkedRecord,
        RiskView,
        RiskSummary,
        RiskInput,
        UpdateRiskInput,
        RiskTransitionInput,
        AssessRiskInput,
        RiskControlInput,
        AddControlInput,
        UpdateControlInput,
        crate::risk::links::LinkedType,
        RiskLinkInput,
        RiskListInput,
        HeatMapInput,
        HeatMapCell,
        LevelCount,
        HeatMap,
        SubjectType,
        InvestigationStatus,
        FishboneCategory,
        TimelineEntry,
        WhyStep,
        FishboneCause,
        InvestigationFields,
        InvestigationRecord,
        InvestigationTransitionOption,
        NamedUser,
        InvestigationView,
        InvestigationSummary,
        TimelineEntryInput,
        WhyStepInput,
        FishboneCauseInput,
        InvestigationInput,
        UpdateInvestigationInput,
        InvestigationTransitionInput,
        InvestigationListInput,
        GlobalSearchInput,
        SearchHit,
        OwnerActions,
        GovernanceDashboard,
        UserListInput,
        UserChanges,
        UpdateUserInput,
        UserStateInput,
        ChangePassphraseInput,
        ComplaintType,
        ComplaintPriority,
        ComplaintSource,
        ComplaintStatus,
        ComplaintFields,
        ComplaintRecord,
        ComplaintFlags,
        ComplaintTransitionOption,
        ComplaintView,
        ComplaintSummary,
        ComplaintInput,
        UpdateComplaintInput,
        ComplaintTransitionInput,
        ComplaintListInput,
        CollisionSeverity,
        Weather,
        RoadSurface,
        Lighting,
        FaultDetermination,
        CollisionStatus,
        ThirdParty,
        CollisionFields,
        CollisionRecord,
        CollisionTransitionOption,
        CollisionView,
        CollisionSummary,
        ThirdPartyInput,
        CollisionInput,
        UpdateCollisionInput,
        CollisionTransitionInput,
        CollisionListInput,
        EvidenceSource,
        EvidenceTarget,
        EvidenceFile,
        AttachedFile,
        AttachEvidenceInput,
        EvidenceListInput,
        DetachEvidenceInput,
        IntegrityReport,
        OpenCopyInput,
        OpenedCopy,
        DocumentType,
        Confidentiality,
        DocumentStatus,
        VersionStatus,
        RevisionKind,
        DocumentFields,
        DocumentRecord,
        DocumentVersion,
        VersionTransitionOption,
        DocumentView,
        DocumentSummary,
        DocumentInput,
        UpdateDocumentInput,
        VersionChanges,
        EditVersionInput,
        VersionTransitionInput,
        NewRevisionInput,
        RetireDocumentInput,
        DocumentListInput,
        ControlTheme,
        SoaImplementationStatus,
        MappingRelation,
        StandardSummary,
        ClauseView,
        ControlView,
        StandardView,
        MappedClause,
        SoaEntryView,
        SoaView,
        ClauseChanges,
        UpdateClauseInput,
        SetStandardActiveInput,
        SoaChanges,
        UpdateSoaInput,
        StandardIdInput,
        ApproveSoaInput,
        ReviewOutcome,
        AckStatus,
        DocumentLink,
        AcknowledgementView,
        MyAcknowledgement,
        ReviewView,
        StartReviewInput,
        RecordReviewInput,
        SupersedeInput,
        AcknowledgeInput,
    ];
    out.push_str(&page);
    out.push('\n');
    for d in decls {
        // Page<T> is declared once above, generically.
        if d.starts_with("export type Page<") {
            continue;
        }
        out.push_str(&d);
        out.push('\n');
    }
    out.push('\n');
    out.push_str(&crate::commands::typescript_command_map());
    out
}
