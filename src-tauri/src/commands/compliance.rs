//! The do-not-call list page and the screening every review goes through (the list and the
//! per-number limits). The rules live in `smartdial_core::compliance`.

use smartdial_core::clock::now_ms;
use smartdial_core::compliance::dnc::{self, DncChange, DncPage, DncSource};
use smartdial_core::compliance::screen::screen_contacts;
use smartdial_core::sheet::ContactList;
use smartdial_core::text::UserError;
use tauri::State;

use crate::commands::blocking;
use crate::state::{lock, AppState};

/// Leaves out the listed and over-limit people of `list`, by the current rules. Every
/// change to the numbers of a list (import, a fixed number) and every send screens again.
pub fn screen(state: &AppState, list: &mut ContactList) -> Result<(), UserError> {
    let rules = state.settings().calling;
    let journal = state.journal()?;
    let j = lock(&journal);
    screen_contacts(&j, list, &rules, now_ms())?;
    Ok(())
}

#[tauri::command]
pub fn dnc_list(
    state: State<'_, AppState>,
    search: Option<String>,
    offset: u32,
    limit: u32,
) -> Result<DncPage, UserError> {
    let journal = state.journal()?;
    let j = lock(&journal);
    Ok(dnc::list(&j, search.as_deref(), offset, limit.min(1000))?)
}

/// Adds numbers typed on the list page, or people picked in the results (`from_results`).
#[tauri::command]
pub fn dnc_add(
    state: State<'_, AppState>,
    numbers: Vec<String>,
    reason: Option<String>,
    from_results: bool,
) -> Result<DncChange, UserError> {
    let journal = state.journal()?;
    let mut j = lock(&journal);
    let source = if from_results {
        DncSource::Results
    } else {
        DncSource::Manual
    };
    let change = dnc::add(
        &mut j,
        numbers.iter().map(String::as_str),
        reason.as_deref(),
        source,
        now_ms(),
    )?;
    tracing::info!(added = change.changed, "do-not-call numbers added");
    Ok(change)
}

#[tauri::command]
pub fn dnc_remove(
    state: State<'_, AppState>,
    numbers: Vec<String>,
) -> Result<DncChange, UserError> {
    let journal = state.journal()?;
    let mut j = lock(&journal);
    let change = dnc::remove(&mut j, numbers.iter().map(String::as_str))?;
    tracing::info!(removed = change.changed, "do-not-call numbers removed");
    Ok(change)
}

/// Reads every number of a sheet onto the list (off the UI thread: sheets can be large).
#[tauri::command]
pub async fn dnc_import(
    state: State<'_, AppState>,
    path: String,
    reason: Option<String>,
) -> Result<DncChange, UserError> {
    let journal = state.journal()?;
    blocking(move || {
        let mut j = lock(&journal);
        let options = smartdial_core::sheet::ImportOptions::default();
        Ok(dnc::import(
            &mut j,
            std::path::Path::new(&path),
            &options,
            reason.as_deref(),
            now_ms(),
        )?)
    })
    .await
}

#[tauri::command]
pub async fn dnc_export(state: State<'_, AppState>, path: String) -> Result<u32, UserError> {
    let journal = state.journal()?;
    let lang = state.settings().lang;
    blocking(move || {
        let j = lock(&journal);
        let n = dnc::export_xlsx(&j, std::path::Path::new(&path), lang)?;
        Ok(u32::try_from(n).unwrap_or(u32::MAX))
    })
    .await
}
