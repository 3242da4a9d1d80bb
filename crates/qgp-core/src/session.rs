//! The signed-in session a window holds between commands. The shell keeps only this; every command asks it for
//! the actor, which is read afresh from the database, so a role changed or a profile deactivated by an
//! administrator takes effect at the very next command (it was the role read at sign-in until sign-out), and a
//! session left idle past the setting ends in the backend too, not only on screen.

use crate::context::Actor;
use crate::error::{CoreError, Result};
use crate::settings::Settings;
use jiff::{SignedDuration, Timestamp};
use rusqlite::Connection;

/// Grace beyond the idle setting: the window's own idle lock fires at the setting and first lets saves under way
/// finish (up to ten seconds); those must still find the session.
const GRACE: SignedDuration = SignedDuration::from_secs(60);

/// One signed-in profile and when it last did something.
#[derive(Debug, Clone)]
pub struct Session {
    user_id: String,
    started: Timestamp,
    last_active: Timestamp,
}

impl Session {
    /// A session for the profile that has just signed in.
    pub fn start(actor: &Actor, now: Timestamp) -> Session {
        Session { user_id: actor.id.clone(), started: now, last_active: now }
    }

    /// The actor for a command at `now`, as the database has the profile now (name, role, active), and marks the
    /// session active. `auth_required` once the profile is deactivated, the database has been restored from a backup
    /// since sign-in, or the session has been idle longer than the `session_idle_minutes` setting; the caller then
    /// forgets the session.
    pub fn resume(&mut self, conn: &Connection, now: Timestamp) -> Result<Actor> {
        let idle_minutes = Settings::load(conn)?.session_idle_minutes;
        let limit = SignedDuration::from_mins(i64::from(idle_minutes)) + GRACE;
        if now.duration_since(self.last_active) > limit {
            return Err(CoreError::AuthRequired(format!(
                "Your session ended after {idle_minutes} minutes without activity. Sign in again; unsaved forms are kept."
            )));
        }
        if crate::backup::last_restored_at(conn)?.is_some_and(|at| at >= self.started) {
            return Err(CoreError::AuthRequired(
                "The database was restored from a backup, so everyone was signed out. Sign in again.".into(),
            ));
        }
        let actor = crate::users::actor(conn, &self.user_id)?.ok_or_else(|| {
            CoreError::AuthRequired("Your profile has been deactivated by an administrator, so you were signed out.".into())
        })?;
        self.last_active = now;
        Ok(actor)
    }
}
