// Generated from the Rust types by `cargo test -p qgp-core --test bindings`. Do not edit.

export type Page<T> = { items: Array<T>; total: number; page: number; pageSize: number; pages: number };
export type FieldCode = "required" | "too_short" | "too_long" | "out_of_range" | "invalid_choice" | "invalid_format" | "in_future" | "before_minimum" | "after_maximum" | "not_found" | "archived_target" | "duplicate" | "inconsistent";
export type FieldError = { field: string, code: FieldCode, message: string, };
export type TransitionRefusal = { record: string, from: string, to: string, allowed: Array<string>, unmetGuards: Array<string>, blockingReferences: Array<string>, };
export type ErrorKind = "validation_failed" | "not_found" | "invalid_transition" | "conflict" | "forbidden" | "archived" | "auth_required" | "auth_failed" | "locked" | "reauth_failed" | "incompatible_database" | "config" | "cancelled" | "disk_full" | "database" | "io" | "internal";
export type ErrorEnvelope = { kind: ErrorKind, message: string, fields?: Array<FieldError>, transition?: TransitionRefusal, until?: string, requestId: string, };
export type Role = "admin" | "manager" | "auditor" | "contributor" | "viewer";
export type UserView = { id: string, displayName: string, email: string, role: Role, jobTitle: string | null, department: string | null, phone: string | null, isActive: boolean, lastSignInAt: string | null, createdAt: string, rowVersion: number, };
export type SetupInput = { displayName: string, email: string, passphrase: string, 
/**
 * The organisation, for reports and the sign-in screen (Settings later).
 */
orgName?: string, 
/**
 * Whether a second person verifies and approves (segregation of duties); `false` for someone who works alone,
 * who could otherwise never close what they record. On when not given.
 */
secondPersonVerifies?: boolean, };
export type SignInInput = { email: string, passphrase: string, };
export type AppStatus = { needsSetup: boolean, version: string, dataDir: string, orgName: string | null, sessionIdleMinutes: number, 
/**
 * The IANA zone every date and time is shown in (domain.md §1.4, §1.12): the configured one, else the
 * computer's; `null` only when the computer's zone has no IANA name (the UI then uses the same system zone).
 */
timeZone: string | null, };
export type Settings = { dueSoonDays: number, coverageWindowMonths: number, sessionIdleMinutes: number, segregationOfDuties: boolean, findingDueDays: FindingDueDays, complaintTargetDays: number, complaintAckDays: number, maxFileBytes: number, orgName: string | null, 
/**
 * IANA zone name; null means the operating system's zone.
 */
timeZone: string | null, };
export type FindingDueDays = { critical: number, high: number, medium: number, low: number, };
export type IdInput = { id: string, };
export type GetInput = { id?: string, reference?: string, };
export type ArchiveInput = { id: string, rowVersion: number, reason?: string, };
export type NoInput = Record<symbol, never>;
export type ArchivedFilter = "exclude" | "only" | "include";
export type SortDirection = "asc" | "desc";
export type ListPaging = { page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type AuditAction = "create" | "update" | "status_change" | "archive" | "restore" | "discard" | "link" | "unlink" | "attach" | "detach" | "sign" | "sign_in" | "sign_in_failed" | "lock" | "export" | "verify_chain" | "integrity_check";
export type Change = { field: string, old: unknown, new: unknown, };
export type AuditEventView = { seq: number, id: string, occurredAt: string, actorId: string, actorName: string, requestId: string, entityType: string, entityId: string, entityReference: string | null, action: string, changes: Array<Change>, reason: string | null, 
/**
 * The changes in words (labels, names, references, local times), one per change; empty where the caller did
 * not ask for words. See [`crate::history_words`].
 */
shown: Array<ShownChange>, };
export type ShownChange = { field: string, old: string | null, new: string | null, };
export type ChainProblem = "hash_mismatch" | "broken_link" | "sequence_gap" | "truncated" | "anchor_mismatch";
export type ChainReport = { ok: boolean, eventsChecked: number, firstBadSeq: number | null, problem: ChainProblem | null, 
/**
 * The newest head recorded beside the backups that this check compared against (seq), if any.
 */
anchorSeq: number | null, 
/**
 * The events missing from the end of the trail, as "41–57", when it was cut off.
 */
missing: string | null, };
export type IncidentType = "injury" | "ill_health" | "near_miss" | "dangerous_occurrence" | "hazard" | "property_damage" | "environmental" | "security" | "quality" | "other";
export type IncidentSeverity = "critical" | "high" | "medium" | "low" | "negligible";
export type IncidentSource = "manual" | "phone" | "email" | "paper";
export type IncidentStatus = "reported" | "under_investigation" | "actions_pending" | "closed";
export type PersonType = "employee" | "contractor" | "agency_worker" | "visitor" | "member_of_public" | "other";
export type RiddorCategory = "death" | "specified_injury" | "over_7_day_incapacitation" | "non_worker_to_hospital" | "occupational_disease" | "dangerous_occurrence" | "gas_incident";
export type RiddorFilter = "reportable" | "not_reportable" | "not_assessed";
export type Person = { name: string, personType: PersonType | null, injured: boolean, injuryNature: string | null, bodyPart: string | null, hospitalised: boolean, daysLost: number | null, };
export type PersonInput = { name?: string, personType?: PersonType, injured?: boolean, injuryNature?: string, bodyPart?: string, hospitalised?: boolean, daysLost?: number, };
export type IncidentFields = { title: string, description: string, incidentType: IncidentType, severity: IncidentSeverity, incidentDate: string, incidentTime: string | null, reportedOnBehalfOf: string | null, location: string | null, department: string | null, witnesses: string | null, immediateActions: string | null, firstAidGiven: boolean, emergencyServicesCalled: boolean, investigatorId: string | null, rootCause: string | null, contributingFactors: string | null, source: IncidentSource, closureNotes: string | null, lessonsLearned: string | null, riddorReportable: boolean | null, riddorCategory: RiddorCategory | null, riddorRationale: string | null, riddorReportedOn: string | null, riddorReference: string | null, riddorDiagnosisDate: string | null, legacyReference: string | null, };
export type IncidentRecord = { id: string, reference: string, status: IncidentStatus, reportedAt: string, investigationStartedAt: string | null, investigationCompletedAt: string | null, closedAt: string | null, closedBy: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, incidentType: IncidentType, severity: IncidentSeverity, incidentDate: string, incidentTime: string | null, reportedOnBehalfOf: string | null, location: string | null, department: string | null, witnesses: string | null, immediateActions: string | null, firstAidGiven: boolean, emergencyServicesCalled: boolean, investigatorId: string | null, rootCause: string | null, contributingFactors: string | null, source: IncidentSource, closureNotes: string | null, lessonsLearned: string | null, riddorReportable: boolean | null, riddorCategory: RiddorCategory | null, riddorRationale: string | null, riddorReportedOn: string | null, riddorReference: string | null, riddorDiagnosisDate: string | null, legacyReference: string | null, };
export type TransitionOption = { to: IncidentStatus, 
/**
 * Input fields the transition requires (`reason`, `closureNotes`).
 */
needs: Array<string>, 
/**
 * Guards not met now; empty when the transition can run.
 */
unmetGuards: Array<string>, };
export type RiddorStatus = { deadline: string | null, overdue: boolean, recordOnly: boolean, };
export type IncidentView = { record: IncidentRecord, people: Array<Person>, riddor: RiddorStatus, investigatorName: string | null, createdByName: string | null, transitions: Array<TransitionOption>, 
/**
 * Risks linked to this incident (§1.7), newest link first.
 */
linkedRisks: Array<LinkedRecord>, };
export type IncidentSummary = { id: string, reference: string, legacyReference: string | null, title: string, incidentType: IncidentType, severity: IncidentSeverity, status: IncidentStatus, incidentDate: string, location: string | null, department: string | null, investigatorId: string | null, investigatorName: string | null, reportedAt: string, riddorReportable: boolean | null, riddorOverdue: boolean, recordOnly: boolean, archivedAt: string | null, };
export type IncidentInput = { title?: string, description?: string, incidentType?: IncidentType, severity?: IncidentSeverity, incidentDate?: string, incidentTime?: string, reportedOnBehalfOf?: string, location?: string, department?: string, witnesses?: string, immediateActions?: string, firstAidGiven?: boolean, emergencyServicesCalled?: boolean, investigatorId?: string, rootCause?: string, contributingFactors?: string, source?: IncidentSource, closureNotes?: string, lessonsLearned?: string, riddorReportable?: boolean, riddorCategory?: RiddorCategory, riddorRationale?: string, riddorReportedOn?: string, riddorReference?: string, riddorDiagnosisDate?: string, legacyReference?: string, people?: Array<PersonInput>, };
export type UpdateIncidentInput = { id: string, rowVersion: number, changes: IncidentInput, };
export type IncidentTransitionInput = { id: string, rowVersion: number, to: IncidentStatus, reason?: string, closureNotes?: string, };
export type IncidentListInput = { status?: Array<IncidentStatus>, incidentType?: Array<IncidentType>, severity?: Array<IncidentSeverity>, department?: Array<string>, investigatorId?: Array<string>, riddor?: Array<RiddorFilter>, recordOnly?: boolean, incidentDateFrom?: string, incidentDateTo?: string, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type ValueCount = { value: string, count: number, };
export type MonthCount = { 
/**
 * `YYYY-MM`.
 */
month: string, total: number, bySeverity: Array<ValueCount>, riddorReportable: number, };
export type IncidentDashboard = { byStatus: Array<ValueCount>, bySeverity: Array<ValueCount>, open: number, riddorOverdue: number, trend: Array<MonthCount>, today: string, };
export type CheckStatus = "ok" | "warn" | "fail";
export type HealthCheck = { id: string, title: string, status: CheckStatus, detail: string, 
/**
 * What the user can do; empty when all is well.
 */
action: string, };
export type AppFacts = { version: string, build: string, os: string, arch: string, };
export type PathFacts = { dataDir: string, database: string, config: string, logs: string, backups: string, };
export type DatabaseFacts = { fileSizeBytes: number, walSizeBytes: number, schemaVersion: number, appliedMigrations: Array<string>, pendingMigrations: Array<string>, integrityCheck: string, foreignKeyViolations: number, journalMode: string, sqliteVersion: string, };
export type StorageFacts = { freeDiskBytes: number | null, logDirWritable: boolean, newestLogFile: string | null, backupCount: number, newestBackup: string | null, newestBackupAgeHours: number | null, };
export type RecordCount = { kind: string, count: number, };
export type HealthReport = { generatedAt: string, overall: CheckStatus, checks: Array<HealthCheck>, app: AppFacts, paths: PathFacts, database: DatabaseFacts, storage: StorageFacts, auditTrail: ChainReport, records: Array<RecordCount>, };
export type SupportBundle = { path: string, files: Array<string>, sizeBytes: number, };
export type BackupKind = "set" | "database";
export type BackupInfo = { path: string, fileName: string, sizeBytes: number, 
/**
 * When the backup was taken (from its name), RFC 3339 UTC.
 */
createdAt: string, kind: BackupKind, };
export type BackupVerification = { path: string, ok: boolean, integrityCheck: string, schemaVersion: number, auditTrail: ChainReport, sha256: string, problems: Array<string>, 
/**
 * When the backup was taken (from its name), if it is one of ours.
 */
createdAt: string | null, 
/**
 * What it holds, so a restore can be judged before anything changes.
 */
records: Array<RecordCount>, 
/**
 * Its audit trail's newest event.
 */
trailHead: number, trailHeadHash: string, kind: BackupKind, 
/**
 * Evidence files in a set (0 for a bare database backup), checked against their hashes.
 */
evidenceFiles: number, evidenceBytes: number, keyFiles: number, 
/**
 * What a restore would still lack but that does not stop it (evidence already missing when it was taken, a
 * bare database backup's evidence and key left on the laptop).
 */
warnings: Array<string>, };
export type BackupPathInput = { path: string, };
export type UnpackedFiles = { 
/**
 * Evidence files written (the rest were already there, identical by their hash).
 */
evidenceWritten: number, 
/**
 * Key files put in place; a different key already there is kept beside it as `replaced-<time>-<name>`.
 */
keysWritten: number, };
export type RestoreOutcome = { restoredFrom: BackupVerification, safetyBackup: BackupInfo, 
/**
 * Evidence files and keys a set put back.
 */
files: UnpackedFiles, 
/**
 * Migrations applied because the backup came from an older version.
 */
migrated: Array<string>, 
/**
 * Newest event before the restore and in the restored database.
 */
headBefore: number, headAfter: number, };
export type RestoreOntoNewInstallationInput = { path: string, 
/**
 * An active administrator in the backup, who restores it.
 */
email: string, passphrase: string, };
export type CreateUserInput = { displayName: string, email: string, role?: Role, jobTitle?: string, department?: string, phone?: string, 
/**
 * The initial passphrase, given to the person to sign in with.
 */
passphrase: string, };
export type SignatureMeaning = "reviewed" | "approved" | "completed" | "verified" | "accepted" | "acknowledged";
export type SignatureView = { id: string, signerId: string, signerName: string, signedAt: string, meaning: SignatureMeaning, entityType: string, entityId: string, entityReference: string | null, contentHash: string, comment: string | null, };
export type ActionSourceType = "finding" | "incident" | "collision" | "complaint" | "risk" | "investigation" | "document_review";
export type ActionType = "containment" | "corrective" | "preventive" | "improvement";
export type ActionPriority = "critical" | "high" | "medium" | "low";
export type ActionStatus = "open" | "in_progress" | "completed" | "verified" | "cancelled";
export type DueDateChange = { old: string, new: string, reason: string, changedBy: string, changedAt: string, };
export type ActionFields = { title: string, description: string, actionType: ActionType, priority: ActionPriority, ownerId: string, dueDate: string, requiresVerification: boolean, verificationDueDate: string | null, completionNotes: string | null, verificationNotes: string | null, legacyReference: string | null, };
export type ActionRecord = { id: string, reference: string, sourceType: ActionSourceType, sourceId: string, sourceReference: string | null, originalDueDate: string, dueDateChanges: Array<DueDateChange>, status: ActionStatus, isEffective: boolean | null, startedAt: string | null, completedAt: string | null, completedBy: string | null, verifiedAt: string | null, verifiedBy: string | null, cancelledAt: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, actionType: ActionType, priority: ActionPriority, ownerId: string, dueDate: string, requiresVerification: boolean, verificationDueDate: string | null, completionNotes: string | null, verificationNotes: string | null, legacyReference: string | null, };
export type ActionTransitionOption = { to: ActionStatus, needs: Array<string>, unmetGuards: Array<string>, 
/**
 * True when the step is a signature (passphrase re-entry).
 */
signature: boolean, };
export type ActionFlags = { terminal: boolean, overdue: boolean, daysOverdue: number, dueSoon: boolean, verificationOverdue: boolean, };
export type ActionView = { record: ActionRecord, ownerName: string | null, flags: ActionFlags, transitions: Array<ActionTransitionOption>, signatures: Array<SignatureView>, };
export type ActionSummary = { id: string, reference: string, title: string, sourceType: ActionSourceType, sourceId: string, sourceReference: string | null, actionType: ActionType, priority: ActionPriority, status: ActionStatus, ownerId: string, ownerName: string | null, dueDate: string, rowVersion: number, requiresVerification: boolean, flags: ActionFlags, archivedAt: string | null, };
export type ActionInput = { sourceType?: ActionSourceType, sourceId?: string, title?: string, description?: string, actionType?: ActionType, priority?: ActionPriority, ownerId?: string, dueDate?: string, requiresVerification?: boolean, verificationDueDate?: string, completionNotes?: string, verificationNotes?: string, legacyReference?: string, };
export type UpdateActionInput = { id: string, rowVersion: number, changes: ActionInput, dueDateChangeReason?: string, };
export type ActionTransitionInput = { id: string, rowVersion: number, to: ActionStatus, reason?: string, completionNotes?: string, verificationNotes?: string, passphrase?: string, comment?: string, };
export type ActionListInput = { status?: Array<ActionStatus>, priority?: Array<ActionPriority>, actionType?: Array<ActionType>, ownerId?: Array<string>, sourceType?: Array<ActionSourceType>, sourceId?: string, dueFrom?: string, dueTo?: string, dueSoon?: boolean, overdue?: boolean, verificationOverdue?: boolean, mine?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type RiskCategory = "strategic" | "operational" | "financial" | "compliance" | "reputational" | "safety" | "environmental" | "information_security";
export type TreatmentStrategy = "mitigate" | "accept" | "transfer" | "avoid" | "exploit";
export type RiskLevel = "very_low" | "low" | "medium" | "high" | "critical";
export type RiskStatus = "identified" | "assessed" | "treating" | "monitoring" | "closed";
export type AssessmentType = "initial" | "periodic" | "triggered" | "post_incident";
export type ControlType = "preventive" | "detective" | "corrective" | "directive";
export type ImplementationStatus = "planned" | "in_progress" | "implemented" | "not_implemented" | "not_applicable";
export type ControlEffectiveness = "effective" | "partially_effective" | "ineffective" | "not_tested";
export type HeatMapBasis = "residual" | "inherent" | "target";
export type RiskFields = { title: string, description: string, category: RiskCategory, subcategory: string | null, department: string | null, cause: string | null, event: string | null, consequence: string | null, ownerId: string | null, treatmentStrategy: TreatmentStrategy, treatmentPlan: string | null, treatmentDueDate: string | null, reviewFrequencyMonths: number, nextReviewDate: string, legacyReference: string | null, };
export type RiskRecord = { id: string, reference: string, likelihood: number, impact: number, score: number, level: RiskLevel, status: RiskStatus, acceptedAt: string | null, acceptedBy: string | null, closedAt: string | null, closedBy: string | null, closureReason: string | null, reopenCount: number, 
/**
 * Inherent and target ratings of the latest assessment (sys), for the heat map's other bases.
 */
inherentLikelihood: number, inherentImpact: number, targetLikelihood: number | null, targetImpact: number | null, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, category: RiskCategory, subcategory: string | null, department: string | null, cause: string | null, event: string | null, consequence: string | null, ownerId: string | null, treatmentStrategy: TreatmentStrategy, treatmentPlan: string | null, treatmentDueDate: string | null, reviewFrequencyMonths: number, nextReviewDate: string, legacyReference: string | null, };
export type Rating = { likelihood: number, impact: number, score: number, level: RiskLevel, };
export type RiskAssessment = { id: string, riskId: string, assessmentDate: string, assessmentType: AssessmentType, inherentLikelihood: number, inherentImpact: number, inherentScore: number, inherentLevel: RiskLevel, residualLikelihood: number, residualImpact: number, residualScore: number, residualLevel: RiskLevel, targetLikelihood: number | null, targetImpact: number | null, targetScore: number | null, targetLevel: RiskLevel | null, notes: string | null, controlEffectivenessNotes: string | null, assessedBy: string, createdAt: string, };
export type RiskControl = { id: string, riskId: string, nextTestDate: string | null, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, title: string, description: string | null, controlType: ControlType, implementationStatus: ImplementationStatus, effectiveness: ControlEffectiveness, ownerId: string | null, testFrequencyMonths: number | null, lastTestedOn: string | null, };
export type RiskControlFields = { title: string, description: string | null, controlType: ControlType, implementationStatus: ImplementationStatus, effectiveness: ControlEffectiveness, ownerId: string | null, testFrequencyMonths: number | null, lastTestedOn: string | null, };
export type RiskFlags = { reviewOverdue: boolean, reviewDueSoon: boolean, treatmentOverdue: boolean, };
export type RiskTransitionOption = { to: RiskStatus, needs: Array<string>, unmetGuards: Array<string>, 
/**
 * True when the step is a signature (passphrase re-entry).
 */
signature: boolean, };
export type LinkedRecord = { entityType: string, id: string, reference: string, title: string, status: string, archived: boolean, linkedAt: string, };
export type RiskView = { record: RiskRecord, ownerName: string | null, colour: string, flags: RiskFlags, 
/**
 * Newest first (assessment date, then recording time).
 */
assessments: Array<RiskAssessment>, controls: Array<RiskControl>, 
/**
 * Incidents, collisions and complaints linked to the risk, newest link first.
 */
linkedRecords: Array<LinkedRecord>, transitions: Array<RiskTransitionOption>, signatures: Array<SignatureView>, };
export type RiskSummary = { id: string, reference: string, title: string, category: RiskCategory, status: RiskStatus, likelihood: number, impact: number, score: number, level: RiskLevel, colour: string, ownerId: string | null, ownerName: string | null, treatmentStrategy: TreatmentStrategy, nextReviewDate: string, flags: RiskFlags, rowVersion: number, archivedAt: string | null, };
export type RiskInput = { title?: string, description?: string, category?: RiskCategory, subcategory?: string, department?: string, cause?: string, event?: string, consequence?: string, ownerId?: string, treatmentStrategy?: TreatmentStrategy, treatmentPlan?: string, treatmentDueDate?: string, reviewFrequencyMonths?: number, nextReviewDate?: string, legacyReference?: string, likelihood?: number, impact?: number, };
export type UpdateRiskInput = { id: string, rowVersion: number, changes: RiskInput, };
export type RiskTransitionInput = { id: string, rowVersion: number, to: RiskStatus, reason?: string, passphrase?: string, comment?: string, };
export type AssessRiskInput = { id: string, rowVersion: number, assessmentDate: string, assessmentType?: AssessmentType, inherentLikelihood: number, inherentImpact: number, residualLikelihood: number, residualImpact: number, targetLikelihood?: number, targetImpact?: number, notes?: string, controlEffectivenessNotes?: string, };
export type RiskControlInput = { title?: string, description?: string, controlType?: ControlType, implementationStatus?: ImplementationStatus, effectiveness?: ControlEffectiveness, ownerId?: string, testFrequencyMonths?: number, lastTestedOn?: string, };
export type AddControlInput = { riskId: string, control: RiskControlInput, };
export type UpdateControlInput = { id: string, rowVersion: number, changes: RiskControlInput, };
export type LinkedType = "incident" | "collision" | "complaint" | "finding" | "audit_run" | "document";
export type RiskLinkInput = { riskId: string, recordType: LinkedType, recordId: string, };
export type RiskListInput = { status?: Array<RiskStatus>, category?: Array<RiskCategory>, level?: Array<RiskLevel>, ownerId?: Array<string>, reviewOverdue?: boolean, reviewDueSoon?: boolean, treatmentOverdue?: boolean, 
/**
 * Only risks currently rated in this cell (by the heat map's basis).
 */
likelihood?: number, impact?: number, basis?: HeatMapBasis, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type HeatMapInput = { basis?: HeatMapBasis, };
export type HeatMapCell = { likelihood: number, impact: number, score: number, level: RiskLevel, colour: string, count: number, };
export type LevelCount = { level: RiskLevel, colour: string, count: number, };
export type HeatMap = { basis: HeatMapBasis, rows: Array<Array<HeatMapCell>>, levels: Array<LevelCount>, total: number, };
export type SubjectType = "incident" | "collision" | "complaint" | "finding";
export type InvestigationStatus = "open" | "in_progress" | "completed" | "closed";
export type FishboneCategory = "people" | "methods" | "equipment" | "materials" | "measurement" | "environment" | "management";
export type TimelineEntry = { date: string | null, time: string | null, description: string, };
export type WhyStep = { step: number, why: string, because: string, evidenceNote: string | null, isRootCause: boolean, };
export type FishboneCause = { id: string, category: FishboneCategory, description: string, parentCauseId: string | null, isContributing: boolean, isRootCause: boolean, };
export type InvestigationFields = { title: string, leadInvestigatorId: string, reviewerId: string | null, team: Array<string>, externalTeam: string | null, scope: string | null, problemStatement: string, timeline: Array<TimelineEntry>, fiveWhys: Array<WhyStep>, fishbone: Array<FishboneCause>, rootCauseSummary: string | null, contributingFactors: string | null, conclusions: string | null, recommendations: string | null, lessonsLearned: string | null, targetCompletionDate: string | null, legacyReference: string | null, };
export type InvestigationRecord = { id: string, reference: string, subjectType: SubjectType, subjectId: string, subjectReference: string | null, status: InvestigationStatus, startedAt: string | null, completedAt: string | null, reviewedAt: string | null, closedAt: string | null, closedBy: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, leadInvestigatorId: string, reviewerId: string | null, team: Array<string>, externalTeam: string | null, scope: string | null, problemStatement: string, timeline: Array<TimelineEntry>, fiveWhys: Array<WhyStep>, fishbone: Array<FishboneCause>, rootCauseSummary: string | null, contributingFactors: string | null, conclusions: string | null, recommendations: string | null, lessonsLearned: string | null, targetCompletionDate: string | null, legacyReference: string | null, };
export type InvestigationTransitionOption = { to: InvestigationStatus, needs: Array<string>, unmetGuards: Array<string>, 
/**
 * True when the step is a signature (passphrase re-entry).
 */
signature: boolean, };
export type NamedUser = { id: string, name: string, };
export type InvestigationView = { record: InvestigationRecord, leadName: string | null, reviewerName: string | null, teamMembers: Array<NamedUser>, overdue: boolean, transitions: Array<InvestigationTransitionOption>, signatures: Array<SignatureView>, };
export type InvestigationSummary = { id: string, reference: string, title: string, subjectType: SubjectType, subjectId: string, subjectReference: string | null, status: InvestigationStatus, leadInvestigatorId: string, leadName: string | null, rootCauseSummary: string | null, targetCompletionDate: string | null, overdue: boolean, createdAt: string, rowVersion: number, archivedAt: string | null, };
export type TimelineEntryInput = { date?: string, time?: string, description?: string, };
export type WhyStepInput = { step?: number, why?: string, because?: string, evidenceNote?: string, isRootCause?: boolean, };
export type FishboneCauseInput = { id?: string, category?: FishboneCategory, description?: string, parentCauseId?: string, isContributing?: boolean, isRootCause?: boolean, };
export type InvestigationInput = { subjectType?: SubjectType, subjectId?: string, title?: string, leadInvestigatorId?: string, reviewerId?: string, team?: Array<string>, externalTeam?: string, scope?: string, problemStatement?: string, timeline?: Array<TimelineEntryInput>, fiveWhys?: Array<WhyStepInput>, fishbone?: Array<FishboneCauseInput>, rootCauseSummary?: string, contributingFactors?: string, conclusions?: string, recommendations?: string, lessonsLearned?: string, targetCompletionDate?: string, legacyReference?: string, };
export type UpdateInvestigationInput = { id: string, rowVersion: number, changes: InvestigationInput, };
export type InvestigationTransitionInput = { id: string, rowVersion: number, to: InvestigationStatus, reason?: string, passphrase?: string, comment?: string, };
export type InvestigationListInput = { status?: Array<InvestigationStatus>, subjectType?: Array<SubjectType>, subjectId?: string, leadInvestigatorId?: Array<string>, overdue?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type GlobalSearchInput = { query: string, limit?: number, };
export type SearchHit = { entityType: string, id: string, reference: string, title: string, status: string, 
/**
 * Lower is better: an exact reference first, then bm25 over reference and title, then other text, newest first.
 */
rank: number, };
export type OwnerActions = { ownerId: string, ownerName: string, overdue: number, };
export type GovernanceDashboard = { heatMap: HeatMap, risksByStatus: Array<ValueCount>, risksReviewOverdue: number, risksReviewDueSoon: number, 
/**
 * The most urgent risks due for review (overdue or within the due-soon window).
 */
risksDueForReview: Array<RiskSummary>, 
/**
 * Non-terminal actions (§7).
 */
actionsOpen: number, actionsOverdue: number, actionsDueSoon: number, actionsVerificationOverdue: number, overdueByPriority: Array<ValueCount>, overdueByOwner: Array<OwnerActions>, myOpenActions: number, investigationsOpen: number, investigationsOverdue: number, complaintsByStatus: Array<ValueCount>, complaintsAcknowledgementOverdue: number, complaintsResolutionOverdue: number, 
/**
 * Mean days from received to acknowledged, and to resolved, over complaints that got there (§15).
 */
complaintsMeanDaysToAcknowledge: number | null, complaintsMeanDaysToResolve: number | null, 
/**
 * Collisions in the trend window (last 12 full months and this month) by severity, and their estimated cost.
 */
collisionsBySeverity: Array<ValueCount>, collisionsCostPence: number, collisionsOpen: number, trendFrom: string, 
/**
 * Documents in force whose review is overdue, or due within the due-soon window (§15 "Reviews due").
 */
documentsReviewOverdue: number, documentsReviewDueSoon: number, dueSoonDays: number, };
export type UserListInput = { 
/**
 * Also list deactivated profiles (the administration page); pickers leave them out.
 */
includeInactive?: boolean, };
export type UserChanges = { displayName?: string, role?: Role, jobTitle?: string, department?: string, phone?: string, };
export type UpdateUserInput = { id: string, rowVersion: number, changes: UserChanges, };
export type UserStateInput = { id: string, reason?: string, };
export type ChangePassphraseInput = { current: string, new: string, };
export type ResetPassphraseInput = { id: string, new: string, reason: string, };
export type ComplaintType = "product" | "service" | "delivery" | "communication" | "billing" | "staff" | "environmental" | "safety" | "other";
export type ComplaintPriority = "critical" | "high" | "medium" | "low";
export type ComplaintSource = "manual" | "email" | "phone" | "letter" | "in_person";
export type ComplaintStatus = "received" | "acknowledged" | "under_investigation" | "resolved" | "closed" | "escalated";
export type ComplaintFields = { title: string, description: string, complainantName: string, complainantEmail: string | null, complainantPhone: string | null, complainantCompany: string | null, complainantAddress: string | null, complaintType: ComplaintType, priority: ComplaintPriority, receivedDate: string, targetResolutionDate: string, relatedReference: string | null, relatedProductService: string | null, ownerId: string | null, department: string | null, investigationNotes: string | null, rootCause: string | null, resolutionSummary: string | null, customerSatisfied: boolean | null, compensationOffered: string | null, source: ComplaintSource, originalEmailSubject: string | null, originalEmailBody: string | null, closureNotes: string | null, legacyReference: string | null, };
export type ComplaintRecord = { id: string, reference: string, acknowledgedDate: string | null, resolvedDate: string | null, escalatedTo: string | null, escalationReason: string | null, escalatedAt: string | null, status: ComplaintStatus, closedAt: string | null, closedBy: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, complainantName: string, complainantEmail: string | null, complainantPhone: string | null, complainantCompany: string | null, complainantAddress: string | null, complaintType: ComplaintType, priority: ComplaintPriority, receivedDate: string, targetResolutionDate: string, relatedReference: string | null, relatedProductService: string | null, ownerId: string | null, department: string | null, investigationNotes: string | null, rootCause: string | null, resolutionSummary: string | null, customerSatisfied: boolean | null, compensationOffered: string | null, source: ComplaintSource, originalEmailSubject: string | null, originalEmailBody: string | null, closureNotes: string | null, legacyReference: string | null, };
export type ComplaintFlags = { acknowledgementOverdue: boolean, resolutionOverdue: boolean, 
/**
 * The date by which it should be acknowledged (received + the acknowledgement window).
 */
acknowledgeBy: string, };
export type ComplaintTransitionOption = { to: ComplaintStatus, needs: Array<string>, unmetGuards: Array<string>, };
export type ComplaintView = { record: ComplaintRecord, ownerName: string | null, flags: ComplaintFlags, transitions: Array<ComplaintTransitionOption>, 
/**
 * Risks linked to this complaint (§1.7).
 */
linkedRisks: Array<LinkedRecord>, };
export type ComplaintSummary = { id: string, reference: string, title: string, complainantName: string, complainantCompany: string | null, complaintType: ComplaintType, priority: ComplaintPriority, status: ComplaintStatus, receivedDate: string, targetResolutionDate: string, ownerId: string | null, ownerName: string | null, flags: ComplaintFlags, rowVersion: number, archivedAt: string | null, };
export type ComplaintInput = { title?: string, description?: string, complainantName?: string, complainantEmail?: string, complainantPhone?: string, complainantCompany?: string, complainantAddress?: string, complaintType?: ComplaintType, priority?: ComplaintPriority, receivedDate?: string, targetResolutionDate?: string, relatedReference?: string, relatedProductService?: string, ownerId?: string, department?: string, investigationNotes?: string, rootCause?: string, resolutionSummary?: string, customerSatisfied?: boolean, compensationOffered?: string, source?: ComplaintSource, originalEmailSubject?: string, originalEmailBody?: string, closureNotes?: string, legacyReference?: string, };
export type UpdateComplaintInput = { id: string, rowVersion: number, changes: ComplaintInput, };
export type ComplaintTransitionInput = { id: string, rowVersion: number, to: ComplaintStatus, reason?: string, resolutionSummary?: string, closureNotes?: string, escalatedTo?: string, escalationReason?: string, };
export type ComplaintListInput = { status?: Array<ComplaintStatus>, complaintType?: Array<ComplaintType>, priority?: Array<ComplaintPriority>, ownerId?: Array<string>, receivedFrom?: string, receivedTo?: string, acknowledgementOverdue?: boolean, resolutionOverdue?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type CollisionSeverity = "fatal" | "serious_injury" | "minor_injury" | "damage_only" | "near_miss";
export type Weather = "clear" | "rain" | "snow" | "fog" | "high_wind" | "ice" | "other";
export type RoadSurface = "dry" | "wet" | "ice" | "snow" | "flood" | "oil_or_mud" | "other";
export type Lighting = "daylight" | "dusk_or_dawn" | "dark_lit" | "dark_unlit";
export type FaultDetermination = "company_fault" | "third_party_fault" | "shared" | "undetermined";
export type CollisionStatus = "reported" | "under_investigation" | "pending_insurance" | "actions_pending" | "closed";
export type ThirdParty = { name: string, contact: string | null, vehicleRegistration: string | null, vehicleMakeModel: string | null, damage: string | null, injured: boolean, injuryDetails: string | null, insurer: string | null, };
export type CollisionFields = { title: string, description: string, location: string, severity: CollisionSeverity, collisionDate: string, collisionTime: string | null, reportedDate: string, roadName: string | null, postcode: string | null, weather: Weather | null, roadSurface: RoadSurface | null, lighting: Lighting | null, vehicleRegistration: string | null, vehicleMakeModel: string | null, vehicleDamage: string | null, driverUserId: string | null, driverName: string | null, driverStatement: string | null, driverInjured: boolean, driverInjuryDetails: string | null, witnesses: string | null, policeAttended: boolean, policeReference: string | null, policeStation: string | null, insuranceNotified: boolean, insuranceReference: string | null, insuranceNotes: string | null, estimatedCost: number | null, investigatorId: string | null, investigationNotes: string | null, rootCause: string | null, faultDetermination: FaultDetermination, closureNotes: string | null, legacyReference: string | null, };
export type CollisionRecord = { id: string, reference: string, thirdPartyRegistrations: string | null, status: CollisionStatus, closedAt: string | null, closedBy: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, location: string, severity: CollisionSeverity, collisionDate: string, collisionTime: string | null, reportedDate: string, roadName: string | null, postcode: string | null, weather: Weather | null, roadSurface: RoadSurface | null, lighting: Lighting | null, vehicleRegistration: string | null, vehicleMakeModel: string | null, vehicleDamage: string | null, driverUserId: string | null, driverName: string | null, driverStatement: string | null, driverInjured: boolean, driverInjuryDetails: string | null, witnesses: string | null, policeAttended: boolean, policeReference: string | null, policeStation: string | null, insuranceNotified: boolean, insuranceReference: string | null, insuranceNotes: string | null, estimatedCost: number | null, investigatorId: string | null, investigationNotes: string | null, rootCause: string | null, faultDetermination: FaultDetermination, closureNotes: string | null, legacyReference: string | null, };
export type CollisionTransitionOption = { to: CollisionStatus, needs: Array<string>, unmetGuards: Array<string>, };
export type CollisionView = { record: CollisionRecord, thirdParties: Array<ThirdParty>, driverDisplay: string | null, investigatorName: string | null, transitions: Array<CollisionTransitionOption>, 
/**
 * Risks linked to this collision (§1.7).
 */
linkedRisks: Array<LinkedRecord>, };
export type CollisionSummary = { id: string, reference: string, title: string, location: string, severity: CollisionSeverity, status: CollisionStatus, collisionDate: string, vehicleRegistration: string | null, driverDisplay: string | null, faultDetermination: FaultDetermination, estimatedCost: number | null, rowVersion: number, archivedAt: string | null, };
export type ThirdPartyInput = { name?: string, contact?: string, vehicleRegistration?: string, vehicleMakeModel?: string, damage?: string, injured?: boolean, injuryDetails?: string, insurer?: string, };
export type CollisionInput = { title?: string, description?: string, location?: string, severity?: CollisionSeverity, collisionDate?: string, collisionTime?: string, reportedDate?: string, roadName?: string, postcode?: string, weather?: Weather, roadSurface?: RoadSurface, lighting?: Lighting, vehicleRegistration?: string, vehicleMakeModel?: string, vehicleDamage?: string, driverUserId?: string, driverName?: string, driverStatement?: string, driverInjured?: boolean, driverInjuryDetails?: string, thirdParties?: Array<ThirdPartyInput>, witnesses?: string, policeAttended?: boolean, policeReference?: string, policeStation?: string, insuranceNotified?: boolean, insuranceReference?: string, insuranceNotes?: string, 
/**
 * Integer pence.
 */
estimatedCost?: number, investigatorId?: string, investigationNotes?: string, rootCause?: string, faultDetermination?: FaultDetermination, closureNotes?: string, legacyReference?: string, };
export type UpdateCollisionInput = { id: string, rowVersion: number, changes: CollisionInput, };
export type CollisionTransitionInput = { id: string, rowVersion: number, to: CollisionStatus, reason?: string, closureNotes?: string, };
export type CollisionListInput = { status?: Array<CollisionStatus>, severity?: Array<CollisionSeverity>, faultDetermination?: Array<FaultDetermination>, driverUserId?: Array<string>, vehicleRegistration?: string, collisionDateFrom?: string, collisionDateTo?: string, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type EvidenceSource = "upload" | "camera" | "scan" | "import" | "derived";
export type EvidenceTarget = "incident" | "risk" | "action" | "investigation" | "complaint" | "collision" | "document_version" | "audit_response" | "finding";
export type EvidenceFile = { id: string, sha256: string, sizeBytes: number, mediaType: string, originalName: string, caption: string | null, capturedAt: string, capturedBy: string, latitude: number | null, longitude: number | null, gpsAccuracyM: number | null, source: EvidenceSource, derivedFromId: string | null, createdAt: string, createdBy: string, };
export type AttachedFile = { file: EvidenceFile, attachedAt: string, attachedByName: string | null, };
export type AttachEvidenceInput = { entityType?: EvidenceTarget, entityId?: string, contentBase64?: string, path?: string, originalName?: string, caption?: string, source?: EvidenceSource, latitude?: number, longitude?: number, gpsAccuracyM?: number, };
export type EvidenceListInput = { entityType: EvidenceTarget, entityId: string, };
export type DetachEvidenceInput = { evidenceId: string, entityType: EvidenceTarget, entityId: string, };
export type IntegrityReport = { filesChecked: number, ok: number, 
/**
 * Metadata whose bytes are gone (SHA-256s).
 */
missing: Array<string>, 
/**
 * Bytes that no longer match their SHA-256.
 */
mismatch: Array<string>, 
/**
 * Stored bytes no metadata refers to.
 */
orphan: Array<string>, };
export type OpenCopyInput = { evidenceId: string, };
export type OpenedCopy = { path: string, };
export type DocumentType = "policy" | "procedure" | "work_instruction" | "sop" | "form" | "template" | "guideline" | "manual" | "record" | "other";
export type Confidentiality = "public" | "internal" | "confidential" | "restricted";
export type DocumentStatus = "draft" | "in_review" | "approved" | "published" | "under_review" | "superseded" | "retired";
export type VersionStatus = "draft" | "in_review" | "approved" | "published" | "superseded";
export type RevisionKind = "major" | "minor";
export type DocumentFields = { title: string, description: string | null, documentType: DocumentType, category: string | null, department: string | null, ownerId: string, defaultApproverId: string | null, confidentiality: Confidentiality, reviewFrequencyMonths: number, acknowledgementRequired: boolean, ackWithinDays: number, legacyReference: string | null, };
export type DocumentRecord = { id: string, reference: string, nextReviewDate: string | null, status: DocumentStatus, supersededById: string | null, reviewStartedAt: string | null, supersededAt: string | null, retiredAt: string | null, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string | null, documentType: DocumentType, category: string | null, department: string | null, ownerId: string, defaultApproverId: string | null, confidentiality: Confidentiality, reviewFrequencyMonths: number, acknowledgementRequired: boolean, ackWithinDays: number, legacyReference: string | null, };
export type DocumentVersion = { id: string, documentId: string, major: number, minor: number, versionLabel: string, changeSummary: string | null, body: string | null, status: VersionStatus, submittedAt: string | null, submittedBy: string | null, approvedAt: string | null, approvedBy: string | null, publishedAt: string | null, effectiveDate: string | null, requiresReacknowledgement: boolean, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, };
export type VersionTransitionOption = { to: VersionStatus, needs: Array<string>, unmetGuards: Array<string>, signature: boolean, };
export type DocumentView = { record: DocumentRecord, tags: Array<string>, ownerName: string | null, 
/**
 * Newest first.
 */
versions: Array<DocumentVersion>, 
/**
 * The version in force, if any.
 */
publishedVersionId: string | null, 
/**
 * The version being prepared (draft, in review or approved), if any.
 */
workingVersionId: string | null, transitions: Array<VersionTransitionOption>, reviewOverdue: boolean, signatures: Array<SignatureView>, 
/**
 * Roles whose active members must acknowledge.
 */
ackRoles: Array<Role>, 
/**
 * People named to acknowledge.
 */
ackUsers: Array<NamedUser>, 
/**
 * Acknowledgements of the version in force.
 */
acknowledgements: Array<AcknowledgementView>, 
/**
 * Periodic reviews, newest first.
 */
reviews: Array<ReviewView>, linkedRisks: Array<LinkedRecord>, 
/**
 * The replacement, when this document is superseded.
 */
supersededBy: DocumentLink | null, 
/**
 * Documents this one replaced.
 */
supersedes: Array<DocumentLink>, };
export type DocumentSummary = { id: string, reference: string, title: string, documentType: DocumentType, status: DocumentStatus, ownerName: string | null, currentVersion: string | null, nextReviewDate: string | null, reviewOverdue: boolean, rowVersion: number, archivedAt: string | null, };
export type DocumentInput = { title?: string, description?: string, documentType?: DocumentType, category?: string, department?: string, tags?: Array<string>, ownerId?: string, defaultApproverId?: string, confidentiality?: Confidentiality, reviewFrequencyMonths?: number, acknowledgementRequired?: boolean, ackWithinDays?: number, legacyReference?: string, ackRoles?: Array<Role>, ackUserIds?: Array<string>, 
/**
 * Create only: the first version's Markdown.
 */
body?: string, };
export type UpdateDocumentInput = { id: string, rowVersion: number, changes: DocumentInput, };
export type VersionChanges = { body?: string, changeSummary?: string, effectiveDate?: string, };
export type EditVersionInput = { versionId: string, rowVersion: number, changes: VersionChanges, };
export type VersionTransitionInput = { versionId: string, rowVersion: number, to: VersionStatus, reason?: string, passphrase?: string, comment?: string, };
export type NewRevisionInput = { id: string, rowVersion: number, kind: RevisionKind, changeSummary: string, };
export type DiscardVersionInput = { versionId: string, rowVersion: number, };
export type RetireDocumentInput = { id: string, rowVersion: number, reason: string, };
export type DocumentListInput = { status?: Array<DocumentStatus>, documentType?: Array<DocumentType>, ownerId?: Array<string>, reviewOverdue?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type TargetInput = { id: string, rowVersion: number, };
export type Discarded = { id: string, reference: string, };
export type Thumbnail = { dataUrl: string | null, };
export type Coverage = "not_applicable" | "nonconforming" | "covered" | "partial" | "not_covered";
export type LinkTarget = "incident" | "collision" | "complaint" | "risk" | "finding" | "audit_run" | "document" | "evidence";
export type EvidenceItem = { entityType: string, id: string, reference: string, title: string, date: string | null, current: boolean, 
/**
 * Listed for context only (incidents, collisions, complaints, runs never make an item current).
 */
contextOnly: boolean, };
export type ComplianceItem = { id: string, number: string, title: string, isControl: boolean, parentId: string | null, level: number, 
/**
 * Its own status from its own evidence.
 */
own: Coverage, 
/**
 * The worst of itself and its children.
 */
coverage: Coverage, 
/**
 * The most telling evidence (current first, then newest), at most 10.
 */
evidence: Array<EvidenceItem>, evidenceTotal: number, currentTotal: number, };
export type ComplianceView = { standardId: string, items: Array<ComplianceItem>, 
/**
 * Covered ÷ applicable leaves × 100 (one place); null when nothing is applicable.
 */
coveragePercent: number | null, counts: Array<ValueCount>, };
export type ComplianceLinkInput = { clauseId?: string, controlId?: string, entityType: LinkTarget, entityId: string, };
export type LinkOutcome = { linked: boolean, };
export type TemplatePassRate = { templateId: string, templateName: string, runs: number, 
/**
 * passed ÷ runs with a result × 100 (one place); null when no run has a result.
 */
passRate: number | null, meanPercentage: number | null, };
export type AuditDashboard = { runsScheduled: number, runsInProgress: number, runsPendingReview: number, runsOverdue: number, runsCompletedInPeriod: number, passRate: number | null, meanPercentage: number | null, byTemplate: Array<TemplatePassRate>, 
/**
 * Findings not closed, by severity (every value, zeros included).
 */
findingsOpenBySeverity: Array<ValueCount>, majorNonconformitiesOver30Days: number, findingsActionOverdue: number, periodFrom: string, };
export type RunStatus = "draft" | "scheduled" | "in_progress" | "pending_review" | "completed" | "cancelled";
export type RunFields = { title: string, location: string | null, locationDetail: string | null, auditee: string | null, leadAuditorId: string, reviewerId: string | null, scheduledDate: string | null, dueDate: string | null, latitude: number | null, longitude: number | null, gpsAccuracyM: number | null, notes: string | null, legacyReference: string | null, };
export type RunRecord = { id: string, reference: string, templateId: string, templateVersionId: string, status: RunStatus, startedAt: string | null, submittedAt: string | null, completedAt: string | null, cancelledAt: string | null, score: string | null, maxScore: string | null, percentage: string | null, passed: boolean | null, followUpOfRunId: string | null, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, location: string | null, locationDetail: string | null, auditee: string | null, leadAuditorId: string, reviewerId: string | null, scheduledDate: string | null, dueDate: string | null, latitude: number | null, longitude: number | null, gpsAccuracyM: number | null, notes: string | null, legacyReference: string | null, };
export type ResponseFile = { evidenceId: string, originalName: string, mediaType: string, sha256: string, };
export type ResponseView = { id: string, questionId: string, answer: unknown, isNa: boolean, note: string | null, answeredAt: string | null, answeredBy: string | null, score: string | null, maxScore: string | null, files: Array<ResponseFile>, rowVersion: number, };
export type RunTransitionOption = { to: RunStatus, needs: Array<string>, unmetGuards: Array<string>, signature: boolean, };
export type RunFinding = { id: string, reference: string, title: string, severity: FindingSeverity, findingType: FindingType, status: string, questionId: string | null, };
export type RunView = { record: RunRecord, templateReference: string, templateName: string, versionNumber: number, settings: VersionSettings, sections: Array<Section>, responses: Array<ResponseView>, 
/**
 * Questions shown under the current answers.
 */
visibleQuestionIds: Array<string>, liveScore: Score, completionProblems: Array<string>, transitions: Array<RunTransitionOption>, findings: Array<RunFinding>, signatures: Array<SignatureView>, leadAuditorName: string | null, reviewerName: string | null, overdue: boolean, 
/**
 * Findings this run re-checks (a follow-up run).
 */
followUpFindings: Array<RunFinding>, linkedRisks: Array<LinkedRecord>, };
export type RunSummary = { id: string, reference: string, title: string, templateName: string, status: RunStatus, location: string | null, leadAuditorName: string | null, scheduledDate: string | null, dueDate: string | null, percentage: string | null, passed: boolean | null, overdue: boolean, rowVersion: number, archivedAt: string | null, };
export type RunInput = { templateId?: string, title?: string, location?: string, locationDetail?: string, auditee?: string, leadAuditorId?: string, reviewerId?: string, scheduledDate?: string, dueDate?: string, latitude?: number, longitude?: number, gpsAccuracyM?: number, notes?: string, legacyReference?: string, 
/**
 * A re-audit: the run whose open findings this one re-checks.
 */
followUpOfRunId?: string, };
export type UpdateRunInput = { id: string, rowVersion: number, changes: RunInput, };
export type AnswerInput = { runId: string, questionId: string, 
/**
 * The answer (option value, list of values, number, text, date, or `{signerName}`); null clears it.
 */
answer?: unknown, isNa?: boolean, note?: string, latitude?: number, longitude?: number, gpsAccuracyM?: number, };
export type RunTransitionInput = { id: string, rowVersion: number, to: RunStatus, reason?: string, passphrase?: string, comment?: string, };
export type RunListInput = { status?: Array<RunStatus>, templateId?: string, leadAuditorId?: string, scheduledFrom?: string, scheduledTo?: string, passed?: boolean, overdue?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type AnswerOutcome = { response: ResponseView, visibleQuestionIds: Array<string>, liveScore: Score, completionProblems: Array<string>, status: RunStatus, runRowVersion: number, };
export type AttachResponseInput = { runId: string, questionId: string, originalName?: string, contentBase64?: string, path?: string, caption?: string, latitude?: number, longitude?: number, gpsAccuracyM?: number, source?: EvidenceSource, };
export type FindingStatus = "open" | "action_planned" | "pending_verification" | "closed" | "deferred";
export type FindingOrigin = "auto" | "manual";
export type FindingFields = { title: string, description: string, findingType: FindingType, severity: FindingSeverity, correctiveActionRequired: boolean, actionDueDate: string | null, legacyReference: string | null, };
export type FindingRecord = { id: string, reference: string, runId: string, questionId: string | null, responseId: string | null, origin: FindingOrigin, status: FindingStatus, deferredUntil: string | null, verificationNotes: string | null, closureNotes: string | null, closedAt: string | null, closedBy: string | null, reopenCount: number, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, title: string, description: string, findingType: FindingType, severity: FindingSeverity, correctiveActionRequired: boolean, actionDueDate: string | null, legacyReference: string | null, };
export type FindingTransitionOption = { to: FindingStatus, needs: Array<string>, unmetGuards: Array<string>, signature: boolean, };
export type FindingView = { record: FindingRecord, runReference: string, runTitle: string, runLocation: string | null, 
/**
 * major nonconformity, minor nonconformity, observation, opportunity for improvement, positive.
 */
grade: string, transitions: Array<FindingTransitionOption>, clauseIds: Array<string>, overdue: boolean, 
/**
 * Deferred, and the date it was deferred to has passed (§6: it stays deferred and says so).
 */
deferralExpired: boolean, 
/**
 * Who closed it (the profile's name), while it is closed.
 */
closedByName: string | null, linkedRisks: Array<LinkedRecord>, signatures: Array<SignatureView>, };
export type FindingSummary = { id: string, reference: string, title: string, findingType: FindingType, severity: FindingSeverity, grade: string, status: FindingStatus, actionDueDate: string | null, overdue: boolean, deferralExpired: boolean, runReference: string, rowVersion: number, archivedAt: string | null, };
export type FindingInput = { runId?: string, title?: string, description?: string, findingType?: FindingType, severity?: FindingSeverity, correctiveActionRequired?: boolean, actionDueDate?: string, legacyReference?: string, clauseIds?: Array<string>, controlIds?: Array<string>, };
export type UpdateFindingInput = { id: string, rowVersion: number, changes: FindingInput, };
export type FindingTransitionInput = { id: string, rowVersion: number, to: FindingStatus, reason?: string, verificationNotes?: string, closureNotes?: string, deferredUntil?: string, passphrase?: string, comment?: string, };
export type FindingListInput = { status?: Array<FindingStatus>, severity?: Array<FindingSeverity>, findingType?: Array<FindingType>, runId?: string, clauseId?: string, overdue?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type AuditType = "inspection" | "audit" | "assessment" | "checklist" | "survey";
export type Frequency = "daily" | "weekly" | "monthly" | "quarterly" | "biannually" | "annually" | "ad_hoc";
export type TemplateVersionStatus = "draft" | "published" | "superseded";
export type ScoringMethod = "percentage" | "points" | "none";
export type QuestionType = "yes_no" | "pass_fail" | "rating" | "number" | "text" | "choice_single" | "choice_multi" | "date" | "photo" | "signature";
export type FindingSeverity = "critical" | "high" | "medium" | "low" | "observation";
export type FindingType = "nonconformity" | "observation" | "opportunity" | "positive";
export type Visibility = "always" | "show_if" | "hide_if";
export type RuleMatch = "all" | "any";
export type LogicOperator = "equals" | "not_equals" | "any_of" | "greater_than" | "less_than" | "is_answered" | "is_not_answered";
export type EvidenceOn = "never" | "always" | "on_finding";
export type QuestionOption = { value: string, label: string, score: number, raisesFinding: boolean, findingSeverity: FindingSeverity, findingType: FindingType, failsRun: boolean, };
export type NumberSpec = { min: number | null, max: number | null, decimals: number, unit: string | null, acceptableMin: number | null, acceptableMax: number | null, outOfRangeSeverity: FindingSeverity, };
export type RatingSpec = { scaleMax: number, findingAtOrBelow: number | null, findingSeverity: FindingSeverity, };
export type LogicRule = { sourceQuestionId: string, operator: LogicOperator, 
/**
 * An option value or a number; a list for `any_of`; absent for the answered tests.
 */
value: string | number | string[] | null, };
export type EvidenceRule = { on: EvidenceOn, minPhotos: number, maxAttachments: number, noteOnFinding: boolean, };
export type Question = { id: string, text: string, helpText: string | null, questionType: QuestionType, required: boolean, allowNa: boolean, weight: number, 
/**
 * Computed (§5): highest option score, sum for multiple choice, the scale for a rating; 0 when unscored.
 */
maxScore: number, options: Array<QuestionOption>, number: NumberSpec | null, rating: RatingSpec | null, textMaxLength: number, multiline: boolean, allowFuture: boolean, visibility: Visibility, ruleMatch: RuleMatch, rules: Array<LogicRule>, evidence: EvidenceRule, clauseIds: Array<string>, controlIds: Array<string>, };
export type Section = { id: string, title: string, description: string | null, questions: Array<Question>, };
export type VersionSettings = { scoringMethod: ScoringMethod, passingScore: number | null, requireReview: boolean, requireGps: boolean, autoCreateFindings: boolean, };
export type VersionContent = { settings: VersionSettings, sections: Array<Section>, };
export type TemplateRecord = { id: string, reference: string, name: string, description: string | null, category: string | null, auditType: AuditType, frequency: Frequency, legacyReference: string | null, createdAt: string, updatedAt: string, createdBy: string, updatedBy: string, rowVersion: number, archivedAt: string | null, archivedBy: string | null, archiveReason: string | null, };
export type TemplateVersionView = { id: string, templateId: string, versionNumber: number, status: TemplateVersionStatus, content: VersionContent, publishedAt: string | null, publishedBy: string | null, questionCount: number, rowVersion: number, };
export type TemplateView = { record: TemplateRecord, versions: Array<TemplateVersionView>, draftVersionId: string | null, publishedVersionId: string | null, 
/**
 * Why the draft cannot be published yet (empty when it can).
 */
publishProblems: Array<string>, standardIds: Array<string>, };
export type TemplateSummary = { id: string, reference: string, name: string, category: string | null, auditType: AuditType, publishedVersion: number | null, hasDraft: boolean, questionCount: number, rowVersion: number, archivedAt: string | null, };
export type TemplateInput = { name?: string, description?: string, category?: string, auditType?: AuditType, frequency?: Frequency, legacyReference?: string, standardIds?: Array<string>, };
export type UpdateTemplateInput = { id: string, rowVersion: number, changes: TemplateInput, };
export type SaveDraftInput = { versionId: string, rowVersion: number, content: unknown, };
export type TemplateVersionInput = { versionId: string, rowVersion: number, };
export type TemplateListInput = { auditType?: Array<AuditType>, category?: string, published?: boolean, page?: number, pageSize?: number, archived?: ArchivedFilter, search?: string, sort?: string, direction?: SortDirection, };
export type DiscardOutcome = { templateId: string, 
/**
 * The draft was the template's only version, so the template went too (its reference stays used).
 */
templateDiscarded: boolean, };
export type Score = { score: number, maxScore: number, percentage: number | null, passed: boolean | null, 
/**
 * Visible questions answered or N/A ÷ visible questions × 100 (two places).
 */
progress: number, visible: number, answered: number, };
export type ControlTheme = "organizational" | "people" | "physical" | "technological";
export type SoaImplementationStatus = "not_started" | "planned" | "partial" | "implemented";
export type MappingRelation = "equivalent" | "related" | "partial";
export type StandardSummary = { id: string, code: string, title: string, edition: string, isBuiltin: boolean, isActive: boolean, clauseCount: number, controlCount: number, rowVersion: number, };
export type ClauseView = { id: string, standardId: string, number: string, title: string, paraphrase: string | null, licensedText: string | null, parentId: string | null, level: number, isBuiltin: boolean, excluded: boolean, exclusionJustification: string | null, rowVersion: number, };
export type ControlView = { id: string, clauseId: string, number: string, title: string, paraphrase: string | null, theme: ControlTheme, };
export type StandardView = { standard: StandardSummary, clauses: Array<ClauseView>, controls: Array<ControlView>, };
export type MappedClause = { clauseId: string, standardCode: string, number: string, title: string, relation: MappingRelation, isBuiltin: boolean, };
export type SoaEntryView = { id: string, controlId: string, controlNumber: string, controlTitle: string, theme: ControlTheme, applicable: boolean, justification: string | null, implementationStatus: SoaImplementationStatus, ownerId: string | null, ownerName: string | null, notes: string | null, lastReviewedOn: string | null, 
/**
 * last_reviewed_on + 12 months has passed (or it was never reviewed).
 */
reviewDue: boolean, rowVersion: number, };
export type SoaView = { standardId: string, entries: Array<SoaEntryView>, approval: SignatureView | null, 
/**
 * Some entry changed after the latest approval was signed.
 */
changedSinceApproval: boolean, 
/**
 * Entries that still need a justification before the SoA can be approved.
 */
missingJustifications: Array<string>, };
export type ClauseChanges = { excluded?: boolean, exclusionJustification?: string, licensedText?: string, };
export type UpdateClauseInput = { id: string, rowVersion: number, changes: ClauseChanges, };
export type SetStandardActiveInput = { id: string, rowVersion: number, isActive: boolean, };
export type SoaChanges = { applicable?: boolean, justification?: string, implementationStatus?: SoaImplementationStatus, ownerId?: string, notes?: string, lastReviewedOn?: string, };
export type UpdateSoaInput = { id: string, rowVersion: number, changes: SoaChanges, };
export type StandardIdInput = { standardId: string, };
export type ApproveSoaInput = { standardId: string, passphrase: string, comment?: string, };
export type ReviewOutcome = "no_change" | "minor_revision" | "major_revision" | "retire";
export type AckStatus = "pending" | "acknowledged";
export type DocumentLink = { id: string, reference: string, title: string, status: DocumentStatus, };
export type AcknowledgementView = { id: string, versionId: string, versionLabel: string, userId: string, userName: string, userActive: boolean, requestedAt: string, status: AckStatus, acknowledgedAt: string | null, signatureId: string | null, 
/**
 * Set when the acknowledgement was carried over from an earlier minor version.
 */
carriedFromLabel: string | null, 
/**
 * Acknowledge by this date (published + ack_within_days).
 */
dueDate: string | null, overdue: boolean, };
export type MyAcknowledgement = { documentId: string, reference: string, title: string, versionId: string, versionLabel: string, requestedAt: string, dueDate: string | null, overdue: boolean, };
export type ReviewView = { id: string, reviewedOn: string, reviewerId: string, reviewerName: string, outcome: ReviewOutcome, notes: string, versionLabel: string | null, signatureId: string | null, createdAt: string, };
export type StartReviewInput = { id: string, rowVersion: number, };
export type RecordReviewInput = { id: string, rowVersion: number, outcome: ReviewOutcome, notes: string, passphrase?: string, comment?: string, 
/**
 * Bring the next review forward (no_change only); never later than the computed date.
 */
nextReviewDate?: string, };
export type SupersedeInput = { id: string, rowVersion: number, replacementId: string, reason: string, };
export type AcknowledgeInput = { versionId: string, passphrase: string, comment?: string, };
export type JobState = "running" | "succeeded" | "failed" | "cancelled";
export type JobView = { jobId: string, command: string, state: JobState, phase: string, done: number, total: number, 
/**
 * The command's output once it succeeded.
 */
result: unknown, 
/**
 * The error once it failed or was cancelled.
 */
error: ErrorEnvelope | null, };
export type StartJobInput = { command: string, input: unknown, };
export type JobIdInput = { jobId: string, };
export type ExportFormat = "csv" | "xlsx";
export type RegisterExportInput = { 
/**
 * incidents, risks, actions, complaints or collisions
 */
register: string, format: ExportFormat, 
/**
 * The list's filter, search, sort and archived choice, exactly as the register screen sends them.
 */
filter: Record<string, unknown> | null, 
/**
 * Where to write (absolute, or relative to the exports folder); default `<register>-<date>.<format>`.
 */
path: string | null, 
/**
 * Names, contact details, statements and injuries (domain.md §1.11); default false.
 */
includePersonalData: boolean | null, 
/**
 * Enumerations as their stored codes (`under_investigation`) for systems that read the file; default false:
 * labels ("Under investigation") as people read them.
 */
codes: boolean | null, };
export type ExportOutcome = { path: string, rows: number, bytes: number, sha256: string, 
/**
 * What the reader should know about the file before handing it on (e.g. characters a report could not print).
 */
warnings: Array<string>, };
export type DatabaseExportInput = { 
/**
 * Where to write (absolute, or relative to the exports folder); default `qgp-database-<date>.json`.
 */
path: string | null, };
export type ReportKind = "audit_run" | "incident" | "incident_summary" | "risk_register" | "actions" | "compliance" | "soa" | "complaints" | "collisions";
export type ReportInput = { kind?: ReportKind, 
/**
 * The audit run, incident or standard the report is about.
 */
id?: string, 
/**
 * Period start (incident summary, complaints, collisions); default twelve months before `to`.
 */
from?: string, 
/**
 * Period end; default today.
 */
to?: string, 
/**
 * Where to write (absolute, or relative to the exports folder).
 */
path?: string, };
export type PackSubject = { "kind": "audit_run", runId: string, } | { "kind": "incidents", incidentIds: Array<string>, } | { "kind": "standard", standardId: string, };
export type CreatePackInput = { subject: PackSubject, 
/**
 * Where to write (absolute, or relative to the exports folder); default `pack-<reference>-<date>.zip`.
 */
path: string | null, };
export type VerifyPackInput = { path: string, };
export type PackVerification = { 
/**
 * True only when the pack is intact and signed by this installation or a key it trusts.
 */
ok: boolean, 
/**
 * The signature is valid for the key in the pack, every listed file is present and unaltered, nothing added.
 */
intact: boolean, signer: SignerVerdict, 
/**
 * The trusted key's label when the signer is a known key.
 */
signerLabel: string | null, path: string, signature: SignatureStatus, 
/**
 * Fingerprint of the key that signed the manifest; compare it with the one on the report cover.
 */
fingerprint: string | null, 
/**
 * Whether that key is this installation's.
 */
signedByThisInstallation: boolean, subjectTitle: string | null, createdAt: string | null, createdBy: string | null, organisation: string | null, files: Array<FileCheck>, 
/**
 * Files in the ZIP that the manifest does not list.
 */
unexpected: Array<string>, 
/**
 * Every problem in words, in the order found.
 */
problems: Array<string>, };
export type FileCheck = { path: string, status: FileStatus, expectedSha256: string, 
/**
 * What the pack holds now (null when missing).
 */
actualSha256: string | null, };
export type FileStatus = "ok" | "altered" | "missing";
export type SignatureStatus = "valid" | "invalid" | "missing";
export type SignerVerdict = "this_installation" | "known_key" | "unknown_signer" | "not_signed";
export type KeyInfo = { 
/**
 * SHA-256 of the public key (SPKI DER), hex in groups of eight.
 */
fingerprint: string, publicKeyPem: string, };
export type TrustedKey = { fingerprint: string, label: string, publicKeyPem: string, createdAt: string, active: boolean, };
export type TrustKeyInput = { publicKeyPem: string, label: string, };
export type DistrustKeyInput = { fingerprint: string, reason: string, };
export type ImportInput = { register?: string, 
/**
 * The file's name (its extension says CSV or XLSX).
 */
fileName?: string, 
/**
 * The file's bytes, base64 (from the app).
 */
contentBase64?: string, 
/**
 * Or a path to read (from the CLI).
 */
path?: string, 
/**
 * File column header → field key ("" leaves a column out). Default: the remembered or suggested mapping.
 */
mapping?: { [key in string]: string }, };
export type ImportOutcome = { register: string, columns: Array<string>, fields: Array<ImportField>, mapping: { [key in string]: string }, rows: number, errors: Array<RowError>, 
/**
 * Worth a look but not refused: a legacy reference repeated within the file (domain.md §1.11).
 */
warnings: Array<RowError>, 
/**
 * True once the records are written (never for a preview, never with errors).
 */
committed: boolean, 
/**
 * References given to the imported records.
 */
references: Array<string>, };
export type ImportField = { key: string, label: string, required: boolean, };
export type RowError = { 
/**
 * Row number as a spreadsheet shows it (the header is row 1).
 */
row: number, 
/**
 * The file column at fault (empty when the problem is the row as a whole).
 */
column: string, message: string, };
export type Branding = { 
/**
 * A `data:` URL of the logo, if one is set.
 */
logo: string | null, logoSha256: string | null, };
export type SetLogoInput = { fileName: string, contentBase64: string, };

/** File extensions evidence may have (`evidence.attach` refuses others). */
export const ATTACHABLE_EXTENSIONS = ["jpg","jpeg","png","gif","webp","heic","heif","tif","tiff","bmp","pdf","txt","csv","rtf","doc","docx","xls","xlsx","ppt","pptx","odt","ods","odp","eml","msg","mp3","m4a","wav","mp4","mov"] as const;

export interface Commands {
  "app.status": { input: NoInput; output: AppStatus };
  "users.setup": { input: SetupInput; output: UserView };
  "users.me": { input: NoInput; output: UserView };
  "users.list": { input: UserListInput; output: Array<UserView> };
  "users.update": { input: UpdateUserInput; output: UserView };
  "users.deactivate": { input: UserStateInput; output: UserView };
  "users.reactivate": { input: UserStateInput; output: UserView };
  "users.change_passphrase": { input: ChangePassphraseInput; output: UserView };
  "users.reset_passphrase": { input: ResetPassphraseInput; output: UserView };
  "settings.get": { input: NoInput; output: Settings };
  "settings.update": { input: Settings; output: Settings };
  "incidents.create": { input: IncidentInput; output: IncidentView };
  "incidents.get": { input: GetInput; output: IncidentView };
  "incidents.update": { input: UpdateIncidentInput; output: IncidentView };
  "incidents.transition": { input: IncidentTransitionInput; output: IncidentView };
  "incidents.archive": { input: ArchiveInput; output: IncidentView };
  "incidents.restore": { input: ArchiveInput; output: IncidentView };
  "incidents.history": { input: IdInput; output: Array<AuditEventView> };
  "incidents.list": { input: IncidentListInput; output: Page<IncidentSummary> };
  "incidents.dashboard": { input: NoInput; output: IncidentDashboard };
  "users.create": { input: CreateUserInput; output: UserView };
  "actions.create": { input: ActionInput; output: ActionView };
  "actions.get": { input: IdInput; output: ActionView };
  "actions.update": { input: UpdateActionInput; output: ActionView };
  "actions.transition": { input: ActionTransitionInput; output: ActionView };
  "actions.archive": { input: ArchiveInput; output: ActionView };
  "actions.restore": { input: ArchiveInput; output: ActionView };
  "actions.history": { input: IdInput; output: Array<AuditEventView> };
  "actions.list": { input: ActionListInput; output: Page<ActionSummary> };
  "audit_trail.verify": { input: NoInput; output: ChainReport };
  "health.report": { input: NoInput; output: HealthReport };
  "health.support_bundle": { input: NoInput; output: SupportBundle };
  "risks.create": { input: RiskInput; output: RiskView };
  "risks.get": { input: GetInput; output: RiskView };
  "risks.update": { input: UpdateRiskInput; output: RiskView };
  "risks.transition": { input: RiskTransitionInput; output: RiskView };
  "risks.assess": { input: AssessRiskInput; output: RiskView };
  "risks.add_control": { input: AddControlInput; output: RiskView };
  "risks.update_control": { input: UpdateControlInput; output: RiskView };
  "risks.link": { input: RiskLinkInput; output: RiskView };
  "risks.unlink": { input: RiskLinkInput; output: RiskView };
  "risks.archive": { input: ArchiveInput; output: RiskView };
  "risks.restore": { input: ArchiveInput; output: RiskView };
  "risks.history": { input: IdInput; output: Array<AuditEventView> };
  "risks.list": { input: RiskListInput; output: Page<RiskSummary> };
  "risks.heat_map": { input: HeatMapInput; output: HeatMap };
  "investigations.create": { input: InvestigationInput; output: InvestigationView };
  "investigations.get": { input: GetInput; output: InvestigationView };
  "investigations.update": { input: UpdateInvestigationInput; output: InvestigationView };
  "investigations.transition": { input: InvestigationTransitionInput; output: InvestigationView };
  "investigations.archive": { input: ArchiveInput; output: InvestigationView };
  "investigations.restore": { input: ArchiveInput; output: InvestigationView };
  "investigations.history": { input: IdInput; output: Array<AuditEventView> };
  "investigations.list": { input: InvestigationListInput; output: Page<InvestigationSummary> };
  "complaints.create": { input: ComplaintInput; output: ComplaintView };
  "complaints.get": { input: GetInput; output: ComplaintView };
  "complaints.update": { input: UpdateComplaintInput; output: ComplaintView };
  "complaints.transition": { input: ComplaintTransitionInput; output: ComplaintView };
  "complaints.archive": { input: ArchiveInput; output: ComplaintView };
  "complaints.restore": { input: ArchiveInput; output: ComplaintView };
  "complaints.history": { input: IdInput; output: Array<AuditEventView> };
  "complaints.list": { input: ComplaintListInput; output: Page<ComplaintSummary> };
  "collisions.create": { input: CollisionInput; output: CollisionView };
  "collisions.get": { input: GetInput; output: CollisionView };
  "collisions.update": { input: UpdateCollisionInput; output: CollisionView };
  "collisions.transition": { input: CollisionTransitionInput; output: CollisionView };
  "collisions.archive": { input: ArchiveInput; output: CollisionView };
  "collisions.restore": { input: ArchiveInput; output: CollisionView };
  "collisions.history": { input: IdInput; output: Array<AuditEventView> };
  "collisions.list": { input: CollisionListInput; output: Page<CollisionSummary> };
  "documents.create": { input: DocumentInput; output: DocumentView };
  "documents.get": { input: GetInput; output: DocumentView };
  "documents.update": { input: UpdateDocumentInput; output: DocumentView };
  "documents.edit_version": { input: EditVersionInput; output: DocumentView };
  "documents.version_transition": { input: VersionTransitionInput; output: DocumentView };
  "documents.new_revision": { input: NewRevisionInput; output: DocumentView };
  "documents.discard_draft": { input: DiscardVersionInput; output: DocumentView };
  "documents.retire": { input: RetireDocumentInput; output: DocumentView };
  "documents.start_review": { input: StartReviewInput; output: DocumentView };
  "documents.record_review": { input: RecordReviewInput; output: DocumentView };
  "documents.supersede": { input: SupersedeInput; output: DocumentView };
  "documents.acknowledge": { input: AcknowledgeInput; output: DocumentView };
  "documents.my_acknowledgements": { input: NoInput; output: Array<MyAcknowledgement> };
  "documents.archive": { input: ArchiveInput; output: DocumentView };
  "documents.restore": { input: ArchiveInput; output: DocumentView };
  "documents.history": { input: IdInput; output: Array<AuditEventView> };
  "documents.list": { input: DocumentListInput; output: Page<DocumentSummary> };
  "templates.create": { input: TemplateInput; output: TemplateView };
  "templates.get": { input: GetInput; output: TemplateView };
  "templates.update": { input: UpdateTemplateInput; output: TemplateView };
  "templates.save_draft": { input: SaveDraftInput; output: TemplateView };
  "templates.publish": { input: TemplateVersionInput; output: TemplateView };
  "templates.new_version": { input: TargetInput; output: TemplateView };
  "templates.clone": { input: IdInput; output: TemplateView };
  "templates.discard_draft": { input: TemplateVersionInput; output: DiscardOutcome };
  "templates.archive": { input: ArchiveInput; output: TemplateView };
  "templates.restore": { input: ArchiveInput; output: TemplateView };
  "templates.history": { input: IdInput; output: Array<AuditEventView> };
  "templates.list": { input: TemplateListInput; output: Page<TemplateSummary> };
  "runs.create": { input: RunInput; output: RunView };
  "runs.get": { input: GetInput; output: RunView };
  "runs.update": { input: UpdateRunInput; output: RunView };
  "runs.answer": { input: AnswerInput; output: AnswerOutcome };
  "runs.attach": { input: AttachResponseInput; output: AnswerOutcome };
  "runs.transition": { input: RunTransitionInput; output: RunView };
  "runs.discard": { input: TargetInput; output: Discarded };
  "runs.archive": { input: ArchiveInput; output: RunView };
  "runs.restore": { input: ArchiveInput; output: RunView };
  "runs.history": { input: IdInput; output: Array<AuditEventView> };
  "runs.list": { input: RunListInput; output: Page<RunSummary> };
  "findings.create": { input: FindingInput; output: FindingView };
  "findings.get": { input: GetInput; output: FindingView };
  "findings.update": { input: UpdateFindingInput; output: FindingView };
  "findings.transition": { input: FindingTransitionInput; output: FindingView };
  "findings.archive": { input: ArchiveInput; output: FindingView };
  "findings.restore": { input: ArchiveInput; output: FindingView };
  "findings.history": { input: IdInput; output: Array<AuditEventView> };
  "findings.list": { input: FindingListInput; output: Page<FindingSummary> };
  "standards.list": { input: NoInput; output: Array<StandardSummary> };
  "standards.get": { input: IdInput; output: StandardView };
  "standards.update_clause": { input: UpdateClauseInput; output: ClauseView };
  "standards.set_active": { input: SetStandardActiveInput; output: StandardSummary };
  "standards.mappings": { input: IdInput; output: Array<MappedClause> };
  "compliance.view": { input: StandardIdInput; output: ComplianceView };
  "compliance.link": { input: ComplianceLinkInput; output: LinkOutcome };
  "compliance.unlink": { input: ComplianceLinkInput; output: LinkOutcome };
  "soa.get": { input: StandardIdInput; output: SoaView };
  "soa.update": { input: UpdateSoaInput; output: SoaView };
  "soa.approve": { input: ApproveSoaInput; output: SoaView };
  "evidence.attach": { input: AttachEvidenceInput; output: AttachedFile };
  "evidence.list": { input: EvidenceListInput; output: Array<AttachedFile> };
  "evidence.detach": { input: DetachEvidenceInput; output: Array<AttachedFile> };
  "evidence.thumbnail": { input: OpenCopyInput; output: Thumbnail };
  "evidence.open_copy": { input: OpenCopyInput; output: OpenedCopy };
  "evidence.integrity_check": { input: NoInput; output: IntegrityReport };
  "search.global": { input: GlobalSearchInput; output: Array<SearchHit> };
  "dashboard.audits": { input: NoInput; output: AuditDashboard };
  "dashboard.governance": { input: NoInput; output: GovernanceDashboard };
  "backup.create": { input: NoInput; output: BackupInfo };
  "backup.list": { input: NoInput; output: Array<BackupInfo> };
  "backup.verify": { input: BackupPathInput; output: BackupVerification };
  "backup.restore": { input: BackupPathInput; output: RestoreOutcome };
  "setup.restore_backup": { input: RestoreOntoNewInstallationInput; output: RestoreOutcome };
  "jobs.start": { input: StartJobInput; output: JobView };
  "jobs.status": { input: JobIdInput; output: JobView };
  "jobs.cancel": { input: JobIdInput; output: JobView };
  "exports.register": { input: RegisterExportInput; output: ExportOutcome };
  "reports.generate": { input: ReportInput; output: ExportOutcome };
  "packs.create": { input: CreatePackInput; output: ExportOutcome };
  "packs.verify": { input: VerifyPackInput; output: PackVerification };
  "keys.installation": { input: NoInput; output: KeyInfo };
  "keys.trusted": { input: NoInput; output: Array<TrustedKey> };
  "keys.trust": { input: TrustKeyInput; output: TrustedKey };
  "keys.distrust": { input: DistrustKeyInput; output: TrustedKey };
  "imports.preview": { input: ImportInput; output: ImportOutcome };
  "imports.run": { input: ImportInput; output: ImportOutcome };
  "branding.get": { input: NoInput; output: Branding };
  "branding.set_logo": { input: SetLogoInput; output: Branding };
  "branding.clear_logo": { input: NoInput; output: Branding };
  "exports.database": { input: DatabaseExportInput; output: ExportOutcome };
}
