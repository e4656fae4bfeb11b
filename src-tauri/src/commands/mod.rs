//! IPC commands, one module per screen of the wizard. Each converts transport types to core
//! calls; errors cross as `UserError { code, message, hint }`.

use smartdial_core::error_code::ErrorCode;
use smartdial_core::text::{Localized, UserError};

pub mod app;
pub mod campaign;
pub mod compliance;
pub mod demo;
pub mod guide;
pub mod profiles;
pub mod recall;
pub mod recordings;
pub mod results;
pub mod settings;
pub mod sheet;
pub mod templates;
pub mod updates;

/// A background task died (a bug, not a user's doing).
pub fn background_failed() -> UserError {
    UserError::new(
        ErrorCode::Internal,
        Localized::new("后台任务意外中断", "A background task stopped unexpectedly"),
        Localized::new(
            "请重试;如果问题反复出现,请把日志文件夹里的文件发给技术支持。",
            "Try again; if it keeps happening, send the files in the log folder to support.",
        ),
    )
}

/// Runs blocking work (files, the keychain, big sheets) off the async runtime and the UI
/// thread; a panic in it becomes [`background_failed`].
pub async fn blocking<T: Send + 'static>(
    f: impl FnOnce() -> Result<T, UserError> + Send + 'static,
) -> Result<T, UserError> {
    tauri::async_runtime::spawn_blocking(f)
        .await
        .map_err(|_| background_failed())?
}
