//! The small context every use case takes: a database connection and the [`Call`] (who acts, when, under
//! which request id, with which governance settings). No window, no AppHandle: use cases run in tests as-is.

use crate::authz::{Capability, Role};
use crate::clock::{format_instant, today_in, Clock};
use crate::config::Config;
use crate::error::{CoreError, Result};
use crate::paths::AppPaths;
use crate::settings::Settings;
use jiff::{civil::Date, Timestamp};
use rusqlite::{Connection, Transaction};

/// The signed-in profile on whose behalf a command runs.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    pub id: String,
    pub display_name: String,
    pub role: Role,
}

/// One user command: actor, request id, clock, paths and the governance settings in force.
pub struct Call<'a> {
    pub clock: &'a dyn Clock,
    pub paths: &'a AppPaths,
    pub config: &'a Config,
    pub request_id: String,
    pub actor: Option<Actor>,
    pub settings: Settings,
    /// Progress and cancellation of a long command (a no-op handle for short ones).
    pub progress: crate::jobs::Progress,
    /// Set where background jobs can be started (the app and the CLI).
    pub jobs: Option<crate::jobs::JobEnv>,
    now: Timestamp,
}

impl<'a> Call<'a> {
    /// The same call acting as `actor`: the first profile acts within the very call that creates it.
    pub fn acting_as(&self, actor: Actor) -> Call<'a> {
        Call {
            clock: self.clock,
            paths: self.paths,
            config: self.config,
            request_id: self.request_id.clone(),
            actor: Some(actor),
            settings: self.settings.clone(),
            progress: self.progress.clone(),
            jobs: self.jobs.clone(),
            now: self.now,
        }
    }

    /// The acting profile; `auth_required` when nobody is signed in.
    pub fn actor(&self) -> Result<&Actor> {
        self.actor.as_ref().ok_or_else(|| CoreError::AuthRequired("Sign in to do this.".into()))
    }

    /// The actor, if their role grants `capability`; otherwise `forbidden` naming it.
    pub fn require(&self, capability: Capability) -> Result<&Actor> {
        let actor = self.actor()?;
        if actor.role.grants(capability) {
            Ok(actor)
        } else {
            Err(CoreError::Forbidden(format!("Your role ({}) does not allow you to {}.", actor.role.as_str(), capability.describe())))
        }
    }

    /// The instant this command started; one value for every write of the command.
    pub fn now(&self) -> Timestamp {
        self.now
    }

    /// [`Self::now`] in the stored text form.
    pub fn now_text(&self) -> String {
        format_instant(self.now)
    }

    /// Today in the configured time zone.
    pub fn today(&self) -> Date {
        today_in(self.now, &self.settings.zone())
    }

    /// The clock the command runs under (for elapsed-time measurements only).
    pub fn clock(&self) -> &dyn Clock {
        self.clock
    }
}

/// Connection plus call: what a use case receives.
pub struct Ctx<'a> {
    conn: &'a mut Connection,
    pub call: Call<'a>,
}

impl<'a> Ctx<'a> {
    /// A context for one command under `request_id`. Reads the governance settings once.
    pub fn new(
        conn: &'a mut Connection,
        clock: &'a dyn Clock,
        paths: &'a AppPaths,
        config: &'a Config,
        actor: Option<Actor>,
        request_id: String,
    ) -> Result<Self> {
        let settings = Settings::load(conn)?;
        let now = clock.now();
        Ok(Ctx { conn, call: Call { clock, paths, config, request_id, actor, settings, progress: Default::default(), jobs: None, now } })
    }

    /// Read access for queries.
    pub fn conn(&self) -> &Connection {
        self.conn
    }

    /// Write access outside a transaction, for operations SQLite runs as a whole (backup restore).
    pub fn conn_mut(&mut self) -> &mut Connection {
        self.conn
    }

    /// Runs `f` in one IMMEDIATE transaction; commits on `Ok`, rolls back on `Err`.
    pub fn write<T>(&mut self, f: impl FnOnce(&Transaction, &Call) -> Result<T>) -> Result<T> {
        let call = &self.call;
        crate::db::with_tx(self.conn, |tx| f(tx, call))
    }
}

impl Call<'_> {
    /// As [`Self::require`], and for roles that hold the capability on their own records only, the actor
    /// must be one of `involved` (creator, owner, assignee or investigator of the record).
    pub fn require_on(&self, capability: Capability, involved: &[Option<&str>]) -> Result<&Actor> {
        let actor = self.require(capability)?;
        if actor.role.grant(capability) == crate::authz::Grant::OwnRecordsOnly && !involved.iter().flatten().any(|id| *id == actor.id) {
            return Err(CoreError::Forbidden(format!(
                "Your role ({}) allows you to {} only on records you created, own or are assigned to.",
                actor.role.as_str(),
                capability.describe()
            )));
        }
        Ok(actor)
    }
}
