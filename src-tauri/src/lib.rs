//! The Tauri shell: opens the core at start, keeps the signed-in profile, and exposes thin command adapters.
//! All domain logic lives in qgp-core; nothing here touches SQL or business rules.

mod commands;
mod state;

use qgp_core::paths::AppPaths;
use state::AppState;

/// `--data-dir DIR` from the command line, if given.
fn data_dir_arg() -> Option<std::path::PathBuf> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == "--data-dir").and_then(|i| args.get(i + 1)).map(std::path::PathBuf::from)
}

/// A second launch on the same data directory: the first window comes forward instead of a second one opening.
fn bring_forward(app: &tauri::AppHandle) {
    use tauri::Manager;
    if let Some(window) = app.get_webview_window("main") {
        let _ = window.unminimize();
        let _ = window.show();
        let _ = window.set_focus();
    }
    tracing::info!("a second launch on this data directory brought the window forward");
}

/// Starts the desktop app.
pub fn run() {
    let paths = AppPaths::resolve(data_dir_arg().as_deref());
    let instance = qgp_core::instance::instance_name(&paths);
    let state = AppState::start(paths);
    tauri::Builder::default()
        // First among the plugins, so a second launch hands over before anything else starts.
        .plugin(tauri_plugin_single_instance::Builder::new().dbus_id(instance).callback(|app, _args, _cwd| bring_forward(app)).build())
        .plugin(tauri_plugin_dialog::init())
        .manage(state)
        .invoke_handler(tauri::generate_handler![
            commands::call,
            commands::sign_in,
            commands::sign_out,
            commands::session,
            commands::startup_error,
            commands::open_evidence,
            commands::open_output
        ])
        .run(tauri::generate_context!())
        .expect("the QGP Desktop window could not be opened");
}
