//! Tauri command adapters: take state, call one core function, return. `call` routes every named command
//! (`incidents.create`, `health.report`, …) to the same dispatcher `qgp call` uses.

use crate::state::AppState;
use qgp_core::error::{CoreError, ErrorEnvelope};
use qgp_core::users::UserView;
use serde_json::Value;
use tauri::State;

fn unavailable(state: &AppState) -> ErrorEnvelope {
    state.startup_error.clone().unwrap_or_else(|| CoreError::Internal("The app did not start.".into()).into_envelope(""))
}

/// Runs a named core command as the signed-in profile.
#[tauri::command]
pub fn call(state: State<'_, AppState>, name: String, input: Value) -> Result<Value, ErrorEnvelope> {
    let core = state.core.as_ref().ok_or_else(|| unavailable(&state))?;
    let actor = state.actor.lock().map_err(|_| CoreError::Internal("session lock poisoned".into()).into_envelope(""))?.clone();
    let mut core = core.lock().map_err(|_| CoreError::Internal("database lock poisoned".into()).into_envelope(""))?;
    core.invoke(actor, &name, input)
}

/// Signs a profile in with its passphrase and returns it.
#[tauri::command]
pub fn sign_in(state: State<'_, AppState>, email: String, passphrase: String) -> Result<UserView, ErrorEnvelope> {
    let core = state.core.as_ref().ok_or_else(|| unavailable(&state))?;
    let mut core = core.lock().map_err(|_| CoreError::Internal("database lock poisoned".into()).into_envelope(""))?;
    let request_id = qgp_core::ids::new_id();
    let core = &mut *core;
    let actor = qgp_core::users::sign_in(&mut core.conn, core.clock.as_ref(), &request_id, &email, &passphrase)
        .map_err(|e| e.into_envelope(&request_id))?;
    let user = qgp_core::users::find(&core.conn, &actor.id).map_err(|e| e.into_envelope(&request_id))?;
    *state.actor.lock().map_err(|_| CoreError::Internal("session lock poisoned".into()).into_envelope(&request_id))? = Some(actor);
    user.ok_or_else(|| CoreError::NotFound("profile vanished".into()).into_envelope(&request_id))
}

/// Forgets the signed-in profile (sign out, or the idle lock).
#[tauri::command]
pub fn sign_out(state: State<'_, AppState>) {
    if let Ok(mut actor) = state.actor.lock() {
        *actor = None;
    }
}

/// The signed-in profile, if any.
#[tauri::command]
pub fn session(state: State<'_, AppState>) -> Result<Option<UserView>, ErrorEnvelope> {
    let Some(actor) = state.actor.lock().ok().and_then(|a| a.clone()) else { return Ok(None) };
    let core = state.core.as_ref().ok_or_else(|| unavailable(&state))?;
    let core = core.lock().map_err(|_| CoreError::Internal("database lock poisoned".into()).into_envelope(""))?;
    qgp_core::users::find(&core.conn, &actor.id).map_err(|e| e.into_envelope(""))
}

/// Why the app could not start, if it could not (shown full-screen by the UI).
#[tauri::command]
pub fn startup_error(state: State<'_, AppState>) -> Option<ErrorEnvelope> {
    state.startup_error.clone()
}

/// Opens an evidence file with the operating system's default application: the core checks its fingerprint and
/// writes a read-only copy under the attached name; the shell hands that copy to the OS.
#[tauri::command]
pub fn open_evidence(state: State<'_, AppState>, evidence_id: String) -> Result<(), ErrorEnvelope> {
    let opened = call(state, "evidence.open_copy".into(), serde_json::json!({ "evidenceId": evidence_id }))?;
    let path = opened["path"].as_str().unwrap_or_default().to_owned();
    open::that_detached(&path)
        .map_err(|e| CoreError::Io(std::io::Error::new(e.kind(), format!("No application could open {path}: {e}"))).into_envelope(""))
}

/// Opens a file the app wrote (a report, export or pack) with the default application, or shows its folder.
#[tauri::command]
pub fn open_output(path: String, folder: bool) -> Result<(), ErrorEnvelope> {
    let file = std::path::PathBuf::from(&path);
    let target = if folder { file.parent().map(|p| p.to_path_buf()).unwrap_or(file) } else { file };
    open::that_detached(&target).map_err(|e| {
        CoreError::Io(std::io::Error::new(e.kind(), format!("No application could open {}: {e}", target.display()))).into_envelope("")
    })
}
