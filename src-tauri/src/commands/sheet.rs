//! Import, Map and Review: the sheet stays here in Rust; the window gets previews,
//! summaries and pages, never the whole sheet.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

use serde::{Deserialize, Serialize};
use smartdial_core::sheet::choice::SheetChoice;
use smartdial_core::sheet::contacts::{
    ContactList, ContactPage, ContactSummary, RowFilter, ValidationOptions,
};
use smartdial_core::sheet::mapping::{
    columns, suggest_mapping, ColumnInfo, ColumnMapping, MappingSuggestion, SavedMappings,
};
use smartdial_core::sheet::read::{self, CancelFlag, SheetInfo};
use smartdial_core::sheet::source::{FileFormat, SheetData};
use smartdial_core::sheet::{explain_merged_cells, export, preview, Limits, SheetPreview};
use smartdial_core::text::{Localized, UserError};
use tauri::{AppHandle, Manager, State};

use crate::commands::blocking;
use crate::state::{lock, AppState};
use smartdial_core::error_code::ErrorCode;

/// How many rows the header-row picker shows.
const PREVIEW_ROWS: usize = 12;

/// An imported file, kept while the wizard works on it.
pub struct SheetSession {
    pub path: PathBuf,
    pub sheets: Vec<SheetInfo>,
    pub data: SheetData,
    /// Validated contacts once a mapping was applied.
    pub contacts: Option<ContactList>,
    /// Set when the contacts are a recall of this campaign's people, not a file's.
    pub recall_of: Option<smartdial_core::campaign::model::CampaignSummary>,
}

/// What the Import step shows after a file was read.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct SheetOverview {
    pub file_name: String,
    pub sheets: Vec<SheetInfo>,
    pub preview: SheetPreview,
    /// Which sheet was read and why, and whether it has a usable phone column: without
    /// one the Import step must not go on silently (the preview's notices say so too).
    /// Always present in answers; optional for the UI's fixtures.
    #[ts(optional)]
    #[serde(skip_serializing_if = "Option::is_none")]
    pub choice: Option<SheetChoice>,
}

/// What the Map step starts from: the header row's columns and the suggested mapping.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MappingProposal {
    pub columns: Vec<ColumnInfo>,
    pub suggestion: MappingSuggestion,
}

/// The mapping the user confirmed on the Map step.
#[derive(Debug, Clone, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct MappingChoice {
    /// 1-based header row.
    pub header_row: u32,
    pub mapping: ColumnMapping,
    pub allow_empty_variables: bool,
}

fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_default()
}

fn no_sheet() -> UserError {
    UserError::new(
        ErrorCode::SheetNotImported,
        Localized::new(
            "还没有导入联系人表格",
            "No contact sheet has been imported yet",
        ),
        Localized::new(
            "请先在“导入”步骤选择一个文件。",
            "Choose a file on the Import step first.",
        ),
    )
}

pub fn no_contacts() -> UserError {
    UserError::new(
        ErrorCode::SheetNotMapped,
        Localized::new(
            "还没有确定手机号列",
            "The phone column has not been chosen yet",
        ),
        Localized::new("请先完成“映射”步骤。", "Finish the Map step first."),
    )
}

/// Reads a file (off the UI thread) and shows the sheet that holds the phone numbers (the
/// active one first among those; see `smartdial_core::sheet::choice`).
#[tauri::command]
pub async fn open_sheet(
    state: State<'_, AppState>,
    path: String,
) -> Result<SheetOverview, UserError> {
    let session = read_session(PathBuf::from(path.trim()), None).await?;
    tracing::info!(rows = session.data.grid.height(), "sheet imported");
    let overview = overview(&session);
    *lock(&state.sheet) = Some(session);
    Ok(overview)
}

/// Switches to another sheet of the same file.
#[tauri::command]
pub async fn select_sheet(
    state: State<'_, AppState>,
    sheet: String,
) -> Result<SheetOverview, UserError> {
    let path = lock(&state.sheet)
        .as_ref()
        .map(|s| s.path.clone())
        .ok_or_else(no_sheet)?;
    let session = read_session(path, Some(sheet)).await?;
    let overview = overview(&session);
    *lock(&state.sheet) = Some(session);
    Ok(overview)
}

/// The read in progress, for [`cancel_sheet_read`]. One at a time: a new read cancels the
/// one before it (its result would be thrown away anyway).
static READING: Mutex<Option<CancelFlag>> = Mutex::new(None);

fn reading() -> std::sync::MutexGuard<'static, Option<CancelFlag>> {
    READING
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Stops the file read in progress, if any; its `open_sheet`/`select_sheet` then fails with
/// `sheet.cancelled` and the previous sheet stays.
#[tauri::command]
pub fn cancel_sheet_read() {
    if let Some(flag) = reading().take() {
        flag.store(true, Ordering::Relaxed);
        tracing::info!("sheet read cancelled");
    }
}

/// Reads one sheet of a file (the one with phone numbers when `sheet` is `None`) on a blocking
/// thread, so a big file never freezes the window; [`cancel_sheet_read`] stops it.
async fn read_session(path: PathBuf, sheet: Option<String>) -> Result<SheetSession, UserError> {
    let flag: CancelFlag = Arc::new(AtomicBool::new(false));
    if let Some(previous) = reading().replace(flag.clone()) {
        previous.store(true, Ordering::Relaxed);
    }
    let mine = flag.clone();
    let result = blocking(move || {
        let mut workbook = read::open_cancellable(&path, Limits::default(), Some(flag))
            .map_err(|e| e.to_user_error())?;
        let sheets = workbook.sheets().to_vec();
        let data = workbook
            .read_sheet(sheet.as_deref())
            .map_err(|e| e.to_user_error())?;
        Ok(SheetSession {
            path,
            sheets,
            data,
            contacts: None,
            recall_of: None,
        })
    })
    .await;
    let mut current = reading();
    if current.as_ref().is_some_and(|f| Arc::ptr_eq(f, &mine)) {
        *current = None;
    }
    if let Err(e) = &result {
        // The code only: a message can quote the file.
        tracing::warn!(code = %e.code, "sheet not read");
    }
    result
}

fn overview(session: &SheetSession) -> SheetOverview {
    SheetOverview {
        file_name: file_name(&session.path),
        sheets: session.sheets.clone(),
        preview: preview(&session.data, PREVIEW_ROWS),
        choice: session.data.choice.clone(),
    }
}

/// Columns of the chosen header row and the proposed mapping (saved one first).
#[tauri::command]
pub fn propose_mapping(
    state: State<'_, AppState>,
    header_row: u32,
    variables: Vec<String>,
) -> Result<MappingProposal, UserError> {
    let guard = lock(&state.sheet);
    let session = guard.as_ref().ok_or_else(no_sheet)?;
    let row0 = header_row_index(session, header_row)?;
    let saved = SavedMappings::load(&state.paths.mappings_file()).unwrap_or_default();
    let grid = &session.data.grid;
    Ok(MappingProposal {
        columns: columns(grid, row0),
        suggestion: suggest_mapping(grid, row0, &variables, Some(&saved)),
    })
}

/// The variable name the mapping step adds (trimmed), or why it cannot be added: the rule
/// lives in the core (`sheet::variables`), not in the form.
#[tauri::command]
pub fn check_variable(name: String, existing: Vec<String>) -> Result<String, UserError> {
    smartdial_core::sheet::variables::check_new_variable(&name, &existing)
}

fn header_row_index(session: &SheetSession, header_row: u32) -> Result<usize, UserError> {
    session
        .data
        .header_row_index(header_row as usize)
        .map_err(|e| e.to_user_error())
}

/// Validates every row with the confirmed mapping, remembers the mapping for sheets with
/// the same header, and returns the review counts.
#[tauri::command]
pub async fn apply_mapping(
    state: State<'_, AppState>,
    choice: MappingChoice,
) -> Result<ContactSummary, UserError> {
    let settings = state.settings();
    let (data, row0, path) = {
        let guard = lock(&state.sheet);
        let session = guard.as_ref().ok_or_else(no_sheet)?;
        (
            session.data.clone(),
            header_row_index(session, choice.header_row)?,
            session.path.clone(),
        )
    };
    let mut options = ValidationOptions {
        allow_empty_variables: choice.allow_empty_variables,
        ..ValidationOptions::default()
    };
    options.phone.mobile_only = settings.mobile_only;
    let mapping = choice.mapping.clone();
    let mappings_file = state.paths.mappings_file();
    let list = blocking(move || {
        let sheet_name = data.sheet.clone();
        let format = data.format;
        let mut list = ContactList::validate(data, row0, mapping.clone(), options)
            .map_err(|e| e.to_user_error())?;
        explain_empty_cells(&path, format, &sheet_name, &mut list);
        let mut saved = SavedMappings::load(&mappings_file).unwrap_or_default();
        saved.remember(&list.sheet().grid, row0, &mapping);
        if let Err(err) = saved.save(&mappings_file) {
            // Remembering is a convenience: the import itself succeeded.
            tracing::warn!(%err, "could not save the column mapping");
        }
        Ok(list)
    })
    .await?;
    let mut list = list;
    crate::commands::compliance::screen(&state, &mut list)?;
    let summary = list.summary();
    if let Some(session) = lock(&state.sheet).as_mut() {
        session.contacts = Some(list);
    }
    Ok(summary)
}

/// Empty phone or variable cells in a workbook are often the lower cells of a merged
/// range (only its first cell holds the value); the review says so. Finding the merged
/// ranges of an .xlsx is a second pass over the file, so it happens only when there are
/// empty cells to explain, and only for formats whose merged cells can be listed.
fn explain_empty_cells(path: &Path, format: FileFormat, sheet: &str, list: &mut ContactList) {
    if !format.lists_merged_cells() || !list.has_empty_mapped_cells() {
        return;
    }
    match read::open(path, Limits::default()) {
        Ok(mut workbook) => explain_merged_cells(&mut workbook, sheet, list),
        // The notice only explains; the review is complete without it.
        Err(err) => tracing::warn!(
            code = %err.to_user_error().code,
            "could not reopen the sheet to look for merged cells"
        ),
    }
}

fn with_contacts<T>(
    state: &AppState,
    f: impl FnOnce(&mut ContactList) -> Result<T, UserError>,
) -> Result<T, UserError> {
    let mut guard = lock(&state.sheet);
    let list = guard
        .as_mut()
        .and_then(|s| s.contacts.as_mut())
        .ok_or_else(no_contacts)?;
    f(list)
}

#[tauri::command]
pub fn contact_summary(state: State<'_, AppState>) -> Result<ContactSummary, UserError> {
    with_contacts(&state, |list| Ok(list.summary()))
}

/// One page of the review table (the table is virtualized; it asks as it scrolls).
#[tauri::command]
pub fn contact_page(
    state: State<'_, AppState>,
    offset: u32,
    limit: u32,
    only_problems: bool,
) -> Result<ContactPage, UserError> {
    let limit = limit.min(1000) as usize;
    with_contacts(&state, |list| {
        Ok(list.page(offset as usize, limit, RowFilter { only_problems }))
    })
}

/// Corrects one phone number by hand; the row is validated again.
#[tauri::command]
pub fn fix_number(
    state: State<'_, AppState>,
    row: u32,
    text: String,
) -> Result<ContactSummary, UserError> {
    with_contacts(&state, |list| {
        list.fix_number(row, &text).map_err(|e| e.to_user_error())?;
        // The corrected number may be on the list or over its limits.
        crate::commands::compliance::screen(&state, list)?;
        Ok(list.summary())
    })
}

/// Leaves a row out (or takes it back in).
#[tauri::command]
pub fn exclude_row(
    state: State<'_, AppState>,
    row: u32,
    excluded: bool,
) -> Result<ContactSummary, UserError> {
    with_contacts(&state, |list| {
        list.set_excluded(row, excluded)
            .map_err(|e| e.to_user_error())?;
        Ok(list.summary())
    })
}

/// Leaves out every row whose problem blocks sending, in one click.
#[tauri::command]
pub fn exclude_blocking_rows(state: State<'_, AppState>) -> Result<ContactSummary, UserError> {
    with_contacts(&state, |list| {
        list.exclude_blocking_rows();
        Ok(list.summary())
    })
}

/// Writes the problem rows to an .xlsx the user can fix in Excel. Off the UI thread: a
/// big sheet's problems take a second or more to write.
#[tauri::command]
pub async fn export_problems(app: AppHandle, path: String) -> Result<u32, UserError> {
    blocking(move || {
        let state = app.state::<AppState>();
        let lang = state.settings().lang;
        with_contacts(&state, |list| {
            export::write_problems(list, Path::new(&path), lang)
                .map(|n| n as u32)
                .map_err(|e| e.to_user_error())
        })
    })
    .await
}

/// Writes the contact-sheet template (手机号 + example variables).
#[tauri::command]
pub fn save_template(path: String) -> Result<(), UserError> {
    export::write_template(Path::new(&path)).map_err(|e| e.to_user_error())
}

#[cfg(test)]
mod tests {
    use super::*;
    use smartdial_core::sheet::choice::ChoiceReason;
    use smartdial_core::sheet::{from_sheet, ImportOptions};

    /// A sheet whose 公司 cells B2:B3 are merged: row 3's company reads as empty.
    fn merged_sheet(dir: &Path) -> PathBuf {
        let path = dir.join("merged.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet();
        ws.write_string(0, 0, "手机号").expect("header");
        ws.write_string(0, 1, "公司").expect("header");
        ws.write_string(1, 0, "13800138000").expect("phone");
        ws.write_string(2, 0, "13900139000").expect("phone");
        ws.merge_range(1, 1, 2, 1, "阿里", &rust_xlsxwriter::Format::new())
            .expect("merge");
        wb.save(&path).expect("save");
        path
    }

    fn validated(path: &Path) -> (FileFormat, String, ContactList) {
        let data = read::open(path, Limits::default())
            .expect("open")
            .read_sheet(None)
            .expect("sheet");
        let (format, sheet) = (data.format, data.sheet.clone());
        let options = ImportOptions {
            variables: vec![("公司".into(), None)],
            ..ImportOptions::default()
        };
        let list = from_sheet(data, &options, None).expect("valid").contacts;
        (format, sheet, list)
    }

    fn notice_codes(list: &ContactList) -> Vec<String> {
        list.summary().notices.into_iter().map(|n| n.code).collect()
    }

    #[test]
    fn empty_cells_under_a_merged_range_are_explained() {
        let dir = tempfile::tempdir().expect("dir");
        let path = merged_sheet(dir.path());
        let (format, sheet, mut list) = validated(&path);
        assert!(!notice_codes(&list).contains(&"sheet.merged_cells".to_owned()));
        explain_empty_cells(&path, format, &sheet, &mut list);
        let summary = list.summary();
        let notice = summary
            .notices
            .iter()
            .find(|n| n.code == "sheet.merged_cells")
            .expect("merged-cells notice");
        assert!(notice.message.en.contains("B2:B3"), "{:?}", notice.message);
    }

    #[test]
    fn a_file_that_went_away_leaves_the_review_as_it_was() {
        let dir = tempfile::tempdir().expect("dir");
        let path = merged_sheet(dir.path());
        let (format, sheet, mut list) = validated(&path);
        let before = notice_codes(&list);
        std::fs::remove_file(&path).expect("remove");
        explain_empty_cells(&path, format, &sheet, &mut list);
        assert_eq!(notice_codes(&list), before);
    }

    #[test]
    fn a_file_opens_on_the_sheet_with_the_phone_numbers_and_says_why() {
        let dir = tempfile::tempdir().expect("dir");
        let path = dir.path().join("book.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("说明").expect("name");
        ws.write_string(0, 0, "客户名单在第二张表").expect("text");
        let ws = wb.add_worksheet().set_name("客户名单").expect("name");
        ws.write_string(0, 0, "手机号").expect("header");
        ws.write_string(1, 0, "13800138000").expect("phone");
        wb.save(&path).expect("save");

        let session =
            tauri::async_runtime::block_on(read_session(path.clone(), None)).expect("read");
        let shown = overview(&session);
        assert_eq!(shown.preview.sheet, "客户名单");
        let choice = shown.choice.expect("choice");
        assert_eq!(choice.reason, ChoiceReason::HasPhones);
        assert!(choice.has_phone_column);
        assert!(shown
            .preview
            .notices
            .iter()
            .any(|n| n.code == "sheet.chosen"));

        // Switching to the instructions sheet is allowed but never silent.
        let session =
            tauri::async_runtime::block_on(read_session(path, Some("说明".into()))).expect("read");
        let shown = overview(&session);
        let choice = shown.choice.expect("choice");
        assert_eq!(
            (choice.reason, choice.has_phone_column),
            (ChoiceReason::Named, false)
        );
        assert!(shown
            .preview
            .notices
            .iter()
            .any(|n| n.code == "sheet.no_phone_column"));
    }

    #[test]
    fn a_read_in_progress_stops_when_cancelled() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("big.csv");
        let mut text = String::from("手机号\n");
        for i in 0..1_000_000u64 {
            text.push_str(&(13_800_000_000 + i).to_string());
            text.push('\n');
        }
        std::fs::write(&path, text).expect("write");
        let read = tauri::async_runtime::spawn(read_session(path, None));
        // Cancel as soon as the read has registered itself.
        let started = std::time::Instant::now();
        while reading().is_none() {
            assert!(started.elapsed().as_secs() < 10, "the read never started");
            std::thread::sleep(std::time::Duration::from_millis(1));
        }
        cancel_sheet_read();
        let result = tauri::async_runtime::block_on(read).expect("join");
        assert_eq!(
            result.err().map(|e| e.code),
            Some(ErrorCode::SheetCancelled)
        );
        assert!(reading().is_none(), "a finished read leaves no flag behind");
    }
}
