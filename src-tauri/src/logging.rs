//! Logs go to a daily-rotated file in the OS log folder (a marketer never sees a console);
//! the last week is kept.

use std::path::Path;

use tracing_appender::non_blocking::WorkerGuard;
use tracing_appender::rolling::{RollingFileAppender, Rotation};
use tracing_subscriber::EnvFilter;

const KEEP_LOG_FILES: usize = 7;

/// Installs the global subscriber. Returns `None` when the log folder cannot be created:
/// the app still runs, just without a log file.
pub fn init(log_dir: &Path) -> Option<WorkerGuard> {
    if let Err(err) = std::fs::create_dir_all(log_dir) {
        eprintln!(
            "SmartDial: cannot create the log folder {}: {err}",
            log_dir.display()
        );
        return None;
    }
    let appender = RollingFileAppender::builder()
        .rotation(Rotation::DAILY)
        .filename_prefix("smartdial")
        .filename_suffix("log")
        .max_log_files(KEEP_LOG_FILES)
        .build(log_dir);
    let appender = match appender {
        Ok(appender) => appender,
        Err(err) => {
            eprintln!(
                "SmartDial: cannot open a log file in {}: {err}",
                log_dir.display()
            );
            return None;
        }
    };
    let (writer, guard) = tracing_appender::non_blocking(appender);
    let filter = EnvFilter::try_from_env("SMARTDIAL_LOG")
        // The updater plugin logs every failed check (offline, no release yet) as an error;
        // `commands::updates` logs the outcome of each check and install itself.
        .unwrap_or_else(|_| EnvFilter::new("info,tao=warn,wry=warn,tauri_plugin_updater=off"));
    let _ = tracing_subscriber::fmt()
        .with_env_filter(filter)
        .with_writer(writer)
        .with_ansi(false)
        .try_init();
    Some(guard)
}
