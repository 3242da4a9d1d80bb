//! Roles and the permission table of domain.md §2, enforced by the backend on every command.
//!
//! `O` entries (contributors acting on records they created, own, are assigned to or investigate) are checked
//! per record with [`Call::require_on`](crate::context::Call::require_on).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// A profile's role.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS, Default)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Admin,
    Manager,
    Auditor,
    #[default]
    Contributor,
    Viewer,
}

/// What a command needs (rows of the §2 table).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Capability {
    ViewRecords,
    CreateIncidents,
    CreateRisks,
    CreateActions,
    EditRecords,
    CloseReopen,
    /// Create and conduct audit runs, raise findings, author templates.
    ConductAudits,
    AuthorDocuments,
    ApproveDocuments,
    ReviewAndVerify,
    AcknowledgeDocuments,
    ArchiveRestore,
    ExportData,
    StandardsLibrary,
    AdministerSystem,
}

/// How far a role holds a capability.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Grant {
    Yes,
    OwnRecordsOnly,
    No,
}

impl Role {
    /// Every role, most powerful first.
    pub const ALL: [Role; 5] = [Role::Admin, Role::Manager, Role::Auditor, Role::Contributor, Role::Viewer];

    /// The stored snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Manager => "manager",
            Role::Auditor => "auditor",
            Role::Contributor => "contributor",
            Role::Viewer => "viewer",
        }
    }

    /// Parses a stored role name.
    pub fn parse(s: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == s)
    }

    /// The §2 table.
    pub fn grant(self, capability: Capability) -> Grant {
        use Capability as C;
        use Grant::{No, OwnRecordsOnly as O, Yes};
        use Role::*;
        match (capability, self) {
            (C::ViewRecords | C::AcknowledgeDocuments, _) => Yes,
            (C::CreateIncidents, Viewer) => No,
            (C::CreateIncidents, _) => Yes,
            (C::CreateRisks | C::CloseReopen | C::ReviewAndVerify | C::ExportData | C::ConductAudits, Admin | Manager | Auditor) => Yes,
            (C::CreateActions | C::EditRecords, Admin | Manager | Auditor) => Yes,
            (C::CreateActions | C::EditRecords, Contributor) => O,
            (C::AuthorDocuments | C::ApproveDocuments | C::ArchiveRestore | C::StandardsLibrary, Admin | Manager) => Yes,
            (C::AdministerSystem, Admin) => Yes,
            _ => No,
        }
    }

    /// True when the role holds the capability at all (fully or on own records).
    pub fn grants(self, capability: Capability) -> bool {
        self.grant(capability) != Grant::No
    }
}

impl Capability {
    /// Plain-English phrase for error messages: "Your role does not allow you to …".
    pub fn describe(self) -> &'static str {
        match self {
            Capability::ViewRecords => "view records",
            Capability::CreateIncidents => "record incidents, collisions, complaints or evidence",
            Capability::CreateRisks => "create risks or investigations",
            Capability::CreateActions => "create actions",
            Capability::EditRecords => "edit records or move them through their workflow",
            Capability::CloseReopen => "close or reopen records",
            Capability::ConductAudits => "author audit templates, conduct audits or raise findings",
            Capability::AuthorDocuments => "author documents",
            Capability::ApproveDocuments => "approve documents or accept risks",
            Capability::ReviewAndVerify => "review audits, verify actions or approve investigations",
            Capability::AcknowledgeDocuments => "acknowledge documents",
            Capability::ArchiveRestore => "archive or restore records",
            Capability::ExportData => "export data and evidence",
            Capability::StandardsLibrary => "manage the standards library or the SoA",
            Capability::AdministerSystem => "administer users, settings, chain verification or integrity checks",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn permission_table_matches_domain_section_2() {
        use Capability as C;
        // (capability, [admin, manager, auditor, contributor, viewer]) with Y/O/-.
        let table: [(C, &str); 14] = [
            (C::ViewRecords, "YYYYY"),
            (C::CreateIncidents, "YYYY-"),
            (C::CreateRisks, "YYY--"),
            (C::CreateActions, "YYYO-"),
            (C::EditRecords, "YYYO-"),
            (C::CloseReopen, "YYY--"),
            (C::AuthorDocuments, "YY---"),
            (C::ApproveDocuments, "YY---"),
            (C::ReviewAndVerify, "YYY--"),
            (C::AcknowledgeDocuments, "YYYYY"),
            (C::ArchiveRestore, "YY---"),
            (C::ExportData, "YYY--"),
            (C::StandardsLibrary, "YY---"),
            (C::AdministerSystem, "Y----"),
        ];
        for (cap, row) in table {
            for (role, expected) in Role::ALL.into_iter().zip(row.chars()) {
                let want = match expected {
                    'Y' => Grant::Yes,
                    'O' => Grant::OwnRecordsOnly,
                    _ => Grant::No,
                };
                assert_eq!(role.grant(cap), want, "{cap:?} for {role:?}");
            }
        }
    }
}
