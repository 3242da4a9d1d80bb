//! Tauri command adapters: take state, call one core function, return. `call` routes every named command
//! (`incidents.create`, `health.report`, …) to the same dispatcher `qgp call` uses.
//!
//! Every command that touches the core runs on Tauri's blocking pool, never on the main thread: a synchronous Tauri
//! command runs on the thread that draws the window, so sign-in (Argon2), a backup or a re-hash froze it
//! (docs/decisions/0006-off-the-main-thread.md).

use crate::state::{lock, AppState};
use qgp_core::app::AppCore;
use qgp_core::clock::Clock;
use qgp_core::context::Actor;
use qgp_core::error::{CoreError, ErrorEnvelope};
use qgp_core::session::Session;
use qgp_core::users::UserView;
use serde_json::Value;
use tauri::{AppHandle, Manager, State};

fn unavailable(state: &AppState) -> ErrorEnvelope {
    state.startup_error.clone().unwrap_or_else(|| CoreError::Internal("The app did not start.".into()).into_envelope(""))
}

/// The actor for this command: the session re-reads the profile; an ended session is forgotten.
fn current_actor(state: &AppState, core: &AppCore) -> Result<Option<Actor>, ErrorEnvelope> {
    let mut session = lock(&state.session);
    let Some(s) = session.as_mut() else { return Ok(None) };
    match s.resume(&core.conn, core.clock.now()) {
        Ok(actor) => Ok(Some(actor)),
        Err(e) => {
            let request_id = qgp_core::ids::new_id();
            tracing::info!(request_id = %request_id, reason = %e, "session ended");
            *session = None;
            Err(e.into_envelope(&request_id))
        }
    }
}

/// Runs `work` with the app's state on the blocking pool and waits for it without holding the main thread.
async fn off_main_thread<T: Send + 'static>(
    app: AppHandle,
    work: impl FnOnce(&AppState) -> Result<T, ErrorEnvelope> + Send + 'static,
) -> Result<T, ErrorEnvelope> {
    tauri::async_runtime::spawn_blocking(move || work(&app.state::<AppState>()))
        .await
        .map_err(|e| CoreError::Internal(format!("The command stopped unexpectedly: {e}")).into_envelope(&qgp_core::ids::new_id()))?
}

/// Runs a named core command as the signed-in profile.
fn call_now(state: &AppState, name: &str, input: Value) -> Result<Value, ErrorEnvelope> {
    let core = state.core.as_ref().ok_or_else(|| unavailable(state))?;
    let mut core = lock(core);
    let actor = current_actor(state, &core)?;
    core.invoke(actor, name, input)
}

/// Runs a named core command as the signed-in profile.
#[tauri::command]
pub async fn call(app: AppHandle, name: String, input: Value) -> Result<Value, ErrorEnvelope> {
    off_main_thread(app, move |state| call_now(state, &name, input)).await
}

/// Signs a profile in with its passphrase and returns it.
#[tauri::command]
pub async fn sign_in(app: AppHandle, email: String, passphrase: String) -> Result<UserView, ErrorEnvelope> {
    off_main_thread(app, move |state| {
        let core = state.core.as_ref().ok_or_else(|| unavailable(state))?;
        let mut core = lock(core);
        let request_id = qgp_core::ids::new_id();
        let core = &mut *core;
        let actor = qgp_core::users::sign_in(&mut core.conn, core.clock.as_ref(), &request_id, &email, &passphrase)
            .map_err(|e| e.into_envelope(&request_id))?;
        let user = qgp_core::users::find(&core.conn, &actor.id).map_err(|e| e.into_envelope(&request_id))?;
        *lock(&state.session) = Some(Session::start(&actor, core.clock.now()));
        user.ok_or_else(|| CoreError::NotFound("profile vanished".into()).into_envelope(&request_id))
    })
    .await
}

/// Forgets the signed-in profile (sign out, or the idle lock).
#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    *lock(&state.session) = None;
}

/// The signed-in profile, if any; the window calls it while the user is active, which keeps the session alive.
#[tauri::command]
pub async fn session(app: AppHandle) -> Result<Option<UserView>, ErrorEnvelope> {
    off_main_thread(app, |state| {
        let core = state.core.as_ref().ok_or_else(|| unavailable(state))?;
        let core = lock(core);
        let Ok(Some(actor)) = current_actor(state, &core) else { return Ok(None) };
        qgp_core::users::find(&core.conn, &actor.id).map_err(|e| e.into_envelope(""))
    })
    .await
}

/// Why the app could not start, if it could not (shown full-screen by the UI).
#[tauri::command]
pub fn startup_error(state: State<'_, AppState>) -> Option<ErrorEnvelope> {
    state.startup_error.clone()
}

/// Opens an evidence file with the operating system's default application: the core checks its fingerprint and
/// writes a read-only copy under the attached name; the shell hands that copy to the OS.
#[tauri::command]
pub async fn open_evidence(app: AppHandle, evidence_id: String) -> Result<(), ErrorEnvelope> {
    off_main_thread(app, move |state| {
        let opened = call_now(state, "evidence.open_copy", serde_json::json!({ "evidenceId": evidence_id }))?;
        let path = opened["path"].as_str().unwrap_or_default().to_owned();
        open::that_detached(&path)
            .map_err(|e| CoreError::Io(std::io::Error::new(e.kind(), format!("No application could open {path}: {e}"))).into_envelope(""))
    })
    .await
}

/// Opens a file the app wrote (a report, export or pack) with the default application, or shows its folder; the
/// core refuses any other path, so the webview cannot open arbitrary files or URLs.
#[tauri::command]
pub fn open_output(path: String, folder: bool) -> Result<(), ErrorEnvelope> {
    let target = qgp_core::outfile::openable(&path, folder).map_err(|e| e.into_envelope(&qgp_core::ids::new_id()))?;
    open::that_detached(&target).map_err(|e| {
        CoreError::Io(std::io::Error::new(e.kind(), format!("No application could open {}: {e}", target.display()))).into_envelope("")
    })
}
