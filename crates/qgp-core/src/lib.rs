//! QGP Desktop core: the domain (domain.md), its storage in SQLite and every use case, shared by the desktop
//! shell and the `qgp` command-line tool. Nothing here depends on Tauri or a window.

pub mod action;
pub mod api;
pub mod app;
pub mod audit;
pub mod audit_trail;
pub mod authz;
pub mod auto_backup;
pub mod backup;
pub mod backup_restore;
pub mod backup_set;
pub mod bindings;
pub mod branding;
pub mod clock;
pub mod collision;
pub mod commands;
pub mod complaint;
pub mod config;
pub mod context;
pub mod dashboard;
pub mod db;
pub mod document;
pub mod error;
pub mod evidence;
pub mod export;
pub mod finding;
pub mod health;
pub mod history_words;
pub mod ids;
pub mod import;
pub mod incident;
pub mod instance;
pub mod investigation;
pub mod involvement;
pub mod jobs;
pub mod keyring;
pub mod lifecycle;
pub mod logging;
pub mod outfile;
pub mod pack;
pub mod paging;
pub mod paths;
pub mod photo_meta;
pub mod reference;
pub mod report;
pub mod restore_json;
pub mod risk;
pub mod rowmap;
pub mod search;
pub mod session;
pub mod settings;
pub mod signature;
pub mod sqlfilter;
pub mod standards;
pub mod template;
pub mod thumbnail;
pub mod trail_anchor;
#[cfg(test)]
mod transition_tables;
pub mod user_admin;
pub mod users;
pub mod validate;
pub mod workflow;

pub use app::AppCore;
pub use error::{CoreError, ErrorEnvelope, Result};

#[doc(hidden)]
pub use inventory;
