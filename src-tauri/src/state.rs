//! What the app keeps between commands.

use std::collections::{HashMap, HashSet};
use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

use smartdial_core::campaign::engine::ControlHandle;
use smartdial_core::campaign::journal::Journal;
use smartdial_core::paths::AppPaths;
use smartdial_core::results::CancelToken;
use smartdial_core::settings::Settings;
use smartdial_core::simulator::RunningSimulator;
use smartdial_core::text::UserError;

use crate::commands::sheet::SheetSession;

/// Shared state of the running app, managed by Tauri.
pub struct AppState {
    pub paths: AppPaths,
    /// When the process started, for the first-render figure.
    pub started: std::time::Instant,
    settings: Mutex<Settings>,
    /// The demo's simulator while demo mode is on. A tokio mutex: starting it awaits.
    pub demo: tokio::sync::Mutex<Option<RunningSimulator>>,
    /// The imported sheet and its contacts (the window only sees pages of it).
    pub sheet: Mutex<Option<SheetSession>>,
    /// The journal, or why it could not be opened (shown when a command needs it).
    journal: Result<Arc<Mutex<Journal>>, UserError>,
    /// Control handles of the campaigns sending now.
    pub runs: Mutex<HashMap<i64, ControlHandle>>,
    /// Cancel tokens of the result refreshes running now.
    pub refreshing: Mutex<HashMap<i64, CancelToken>>,
    /// Campaigns whose recordings are being saved now.
    pub archiving: Mutex<HashSet<i64>>,
}

impl AppState {
    pub fn new(paths: AppPaths, started: std::time::Instant) -> Self {
        let settings = Settings::load(&paths.settings_file()).unwrap_or_else(|err| {
            // A damaged settings file must not keep the app from opening: defaults it is,
            // and the Settings page saves a good file again.
            tracing::warn!(code = %err.code, "settings not loaded, using defaults");
            Settings::default()
        });
        let journal = open_journal(&paths);
        AppState {
            paths,
            started,
            settings: Mutex::new(settings),
            demo: tokio::sync::Mutex::new(None),
            sheet: Mutex::new(None),
            journal,
            runs: Mutex::new(HashMap::new()),
            refreshing: Mutex::new(HashMap::new()),
            archiving: Mutex::new(HashSet::new()),
        }
    }

    pub fn settings(&self) -> Settings {
        lock(&self.settings).clone()
    }

    pub fn replace_settings(&self, settings: Settings) {
        *lock(&self.settings) = settings;
    }

    pub fn journal(&self) -> Result<Arc<Mutex<Journal>>, UserError> {
        self.journal.clone()
    }
}

/// Opens the journal and turns batches a crash left `sending` into `unknown`, so they wait
/// for the user's decision instead of being sent again.
fn open_journal(paths: &AppPaths) -> Result<Arc<Mutex<Journal>>, UserError> {
    let now = smartdial_core::clock::now_ms();
    let mut journal = Journal::open(&paths.journal_file(), now).map_err(|e| e.to_user_error())?;
    match journal.recover_interrupted(now) {
        Ok(0) => {}
        Ok(n) => tracing::warn!(
            batches = n,
            "batches interrupted by a crash are now unknown"
        ),
        Err(err) => tracing::error!(%err, "could not recover interrupted batches"),
    }
    Ok(Arc::new(Mutex::new(journal)))
}

/// A poisoned lock only means another command panicked mid-update of plain data; the data
/// is still usable, and refusing every later command would be worse.
pub fn lock<T>(mutex: &Mutex<T>) -> MutexGuard<'_, T> {
    mutex.lock().unwrap_or_else(PoisonError::into_inner)
}
