//! SmartDial's desktop shell: a thin Tauri 2 layer over `smartdial-core`. It holds state,
//! turns IPC commands into core calls and forwards progress as events; no business rule
//! lives here.

mod commands;
mod connection;
pub mod ipc;
mod logging;
mod recording_protocol;
mod rendering;
mod state;

use tauri::Manager;

use crate::state::AppState;

/// Starts the desktop app. Returns when the last window closes.
pub fn run() {
    let started = std::time::Instant::now();
    let compositing = rendering::choose_compositing();
    let paths = smartdial_core::paths::AppPaths::discover();
    // The guard flushes the log file on exit; it must live as long as the app.
    let _log_guard = logging::init(&paths.log_dir);
    tracing::info!(
        version = env!("CARGO_PKG_VERSION"),
        ?compositing,
        "SmartDial starting"
    );

    let result = tauri::Builder::default()
        .plugin(tauri_plugin_dialog::init())
        .plugin(tauri_plugin_opener::init())
        .plugin(tauri_plugin_updater::Builder::new().build())
        .register_asynchronous_uri_scheme_protocol(
            recording_protocol::SCHEME,
            recording_protocol::handle,
        )
        .setup(move |app| {
            app.manage(AppState::new(paths, started));
            // Recordings past the retention setting go at start, off the window's thread.
            let handle = app.handle().clone();
            tauri::async_runtime::spawn_blocking(move || {
                commands::recordings::apply_retention(&handle.state::<AppState>());
            });
            app.manage(commands::updates::PendingUpdate::default());
            // `.ci/start` opens the app straight in demo mode.
            if std::env::var("SMARTDIAL_DEMO").as_deref() == Ok("1") {
                let handle = app.handle().clone();
                tauri::async_runtime::spawn(async move {
                    let state = handle.state::<AppState>();
                    if let Err(err) = commands::demo::ensure_demo(&state).await {
                        tracing::error!(code = %err.code, "demo mode did not start");
                    }
                });
            }
            Ok(())
        })
        .invoke_handler(ipc::invoke_handler())
        .run(tauri::generate_context!());
    if let Err(err) = result {
        tracing::error!(%err, "the window system failed");
        eprintln!("SmartDial could not start its window: {err}");
        std::process::exit(1);
    }
}
