//! Typed errors of the core and the one envelope in which they cross to the UI and the CLI.
//!
//! Kinds and field codes are the closed sets of domain.md §1.9; the UI switches on `kind`, never on text.

use serde::Serialize;
use ts_rs::TS;

/// Why one input field was refused (domain.md §1.9 field codes).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum FieldCode {
    Required,
    TooShort,
    TooLong,
    OutOfRange,
    InvalidChoice,
    InvalidFormat,
    InFuture,
    BeforeMinimum,
    AfterMaximum,
    NotFound,
    ArchivedTarget,
    Duplicate,
    Inconsistent,
}

/// One bad field: its camelCase API name (`people[1].name` for list items), a code and a plain-English message.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct FieldError {
    pub field: String,
    pub code: FieldCode,
    pub message: String,
}

/// Details of a refused status change (domain.md §1.6).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct TransitionRefusal {
    pub record: String,
    pub from: String,
    pub to: String,
    pub allowed: Vec<String>,
    pub unmet_guards: Vec<String>,
    pub blocking_references: Vec<String>,
}

/// Every error the core can return. Each variant maps to one envelope `kind`.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    #[error("{message}")]
    Validation { message: String, fields: Vec<FieldError> },
    #[error("{0}")]
    NotFound(String),
    #[error("{message}")]
    InvalidTransition { message: String, refusal: Box<TransitionRefusal> },
    #[error("{0}")]
    Conflict(String),
    #[error("{0}")]
    Forbidden(String),
    #[error("{0}")]
    Archived(String),
    #[error("{0}")]
    AuthRequired(String),
    #[error("{0}")]
    AuthFailed(String),
    #[error("{message}")]
    Locked { message: String, until: String },
    #[error("{0}")]
    ReauthFailed(String),
    #[error("{0}")]
    IncompatibleDatabase(String),
    #[error("{0}")]
    Config(String),
    #[error("{0}")]
    Cancelled(String),
    #[error(transparent)]
    Database(#[from] rusqlite::Error),
    #[error(transparent)]
    Io(#[from] std::io::Error),
    #[error("{0}")]
    Internal(String),
}

/// Result type of the core.
pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// The closed set of error kinds the UI and scripts switch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, TS)]
#[serde(rename_all = "snake_case")]
pub enum ErrorKind {
    ValidationFailed,
    NotFound,
    InvalidTransition,
    Conflict,
    Forbidden,
    Archived,
    AuthRequired,
    AuthFailed,
    Locked,
    ReauthFailed,
    IncompatibleDatabase,
    Config,
    Cancelled,
    DiskFull,
    Database,
    Io,
    Internal,
}

/// The single shape in which every error leaves the core: `{kind, message, fields?, requestId, …}`.
#[derive(Debug, Clone, Serialize, TS)]
#[serde(rename_all = "camelCase")]
pub struct ErrorEnvelope {
    pub kind: ErrorKind,
    pub message: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub fields: Option<Vec<FieldError>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub transition: Option<TransitionRefusal>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub until: Option<String>,
    pub request_id: String,
}

impl CoreError {
    /// A validation error from a list of field errors; the message summarises them.
    pub fn validation(fields: Vec<FieldError>) -> Self {
        let message = match fields.as_slice() {
            [one] => one.message.clone(),
            many => {
                format!("{} fields need attention: {}", many.len(), many.iter().map(|f| f.message.as_str()).collect::<Vec<_>>().join("; "))
            }
        };
        CoreError::Validation { message, fields }
    }

    /// One-field validation error.
    pub fn field(field: &str, code: FieldCode, message: impl Into<String>) -> Self {
        Self::validation(vec![FieldError { field: field.to_owned(), code, message: message.into() }])
    }

    /// The envelope kind of this error.
    pub fn kind(&self) -> ErrorKind {
        match self {
            CoreError::Validation { .. } => ErrorKind::ValidationFailed,
            CoreError::NotFound(_) => ErrorKind::NotFound,
            CoreError::InvalidTransition { .. } => ErrorKind::InvalidTransition,
            CoreError::Conflict(_) => ErrorKind::Conflict,
            CoreError::Forbidden(_) => ErrorKind::Forbidden,
            CoreError::Archived(_) => ErrorKind::Archived,
            CoreError::AuthRequired(_) => ErrorKind::AuthRequired,
            CoreError::AuthFailed(_) => ErrorKind::AuthFailed,
            CoreError::Locked { .. } => ErrorKind::Locked,
            CoreError::ReauthFailed(_) => ErrorKind::ReauthFailed,
            CoreError::IncompatibleDatabase(_) => ErrorKind::IncompatibleDatabase,
            CoreError::Config(_) => ErrorKind::Config,
            CoreError::Cancelled(_) => ErrorKind::Cancelled,
            CoreError::Database(e) if is_disk_full(e) => ErrorKind::DiskFull,
            CoreError::Database(_) => ErrorKind::Database,
            CoreError::Io(e) if e.kind() == std::io::ErrorKind::StorageFull => ErrorKind::DiskFull,
            CoreError::Io(_) => ErrorKind::Io,
            CoreError::Internal(_) => ErrorKind::Internal,
        }
    }

    /// Wraps the error for the UI or the CLI with the request id of the command that failed.
    pub fn into_envelope(self, request_id: &str) -> ErrorEnvelope {
        let kind = self.kind();
        let message = match kind {
            ErrorKind::DiskFull => "The disk is full, so nothing was saved. Free some space and try again.".to_owned(),
            ErrorKind::Database => format!("The database could not complete the operation ({self}). Nothing was saved."),
            _ => self.to_string(),
        };
        let (fields, transition, until) = match self {
            CoreError::Validation { fields, .. } => (Some(fields), None, None),
            CoreError::InvalidTransition { refusal, .. } => (None, Some(*refusal), None),
            CoreError::Locked { until, .. } => (None, None, Some(until)),
            _ => (None, None, None),
        };
        ErrorEnvelope { kind, message, fields, transition, until, request_id: request_id.to_owned() }
    }
}

fn is_disk_full(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.code == rusqlite::ErrorCode::DiskFull)
}

impl From<refinery::Error> for CoreError {
    fn from(e: refinery::Error) -> Self {
        CoreError::Internal(format!("migration failed: {e}"))
    }
}

impl From<serde_json::Error> for CoreError {
    fn from(e: serde_json::Error) -> Self {
        CoreError::Internal(format!("JSON: {e}"))
    }
}
