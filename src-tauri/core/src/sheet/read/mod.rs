//! Opening a contact file: the format is decided from the content (a CSV renamed .xlsx is
//! read as CSV, with a notice), sheets are listed with their hidden flags, and one sheet is
//! read into a [`SheetData`] under the caps of [`Limits`].

#[cfg(any(test, feature = "corpus"))]
pub mod hostile;
mod package;
pub mod text;
mod xls_guard;
mod xml_scan;

#[cfg(test)]
mod corpus_tests;

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;

use calamine::{Data, DataRef, Ods, Reader, SheetVisible, Xls, Xlsb, Xlsx, XlsxError};

/// Set to stop a read in progress (the desktop's cancel button); the read then fails with
/// [`SheetError::Cancelled`]. Checked between chunks and every few thousand cells.
pub type CancelFlag = Arc<AtomicBool>;

/// Cells between two looks at the cancel flag.
const CANCEL_EVERY_CELLS: usize = 1 << 16;

/// Rows of each sheet looked at to find the one with phone numbers: enough for the header
/// search and the phone-column sample ([`super::choice::phone_evidence`]).
const PROBE_ROWS: usize = 300;
use serde::{Deserialize, Serialize};

use super::error::SheetError;
use super::grid::{CapReached, CellInput, GridBuilder};
use super::limits::{Limit, Limits};
pub use super::source::FileFormat;
use super::source::{MergedRange, Notice, SheetData};

/// A sheet in the workbook, as the sheet picker shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SheetInfo {
    pub name: String,
    /// Hidden or "very hidden" in Excel: usually not the one to import.
    pub hidden: bool,
}

type Rs = BufReader<File>;

enum Inner {
    Xlsx(Box<Xlsx<Rs>>),
    Xlsb(Box<Xlsb<Rs>>),
    Xls(Box<Xls<Rs>>),
    Ods(Box<Ods<Rs>>),
    Text { text: String, delimiter: u8 },
}

/// An opened contact file.
pub struct Workbook {
    file: PathBuf,
    format: FileFormat,
    sheets: Vec<SheetInfo>,
    /// The sheet Excel showed when the file was saved (.xlsx only).
    active: Option<String>,
    notices: Vec<Notice>,
    limits: Limits,
    cancel: Option<CancelFlag>,
    inner: Inner,
}

impl std::fmt::Debug for Workbook {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Workbook")
            .field("file", &self.file)
            .field("format", &self.format)
            .field("sheets", &self.sheets)
            .finish_non_exhaustive()
    }
}

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const ZIP_EMPTY: &[u8] = b"PK\x05\x06";
const CFB_MAGIC: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn extension(file: &Path) -> String {
    file.extension()
        .map(|e| e.to_string_lossy().to_ascii_lowercase())
        .unwrap_or_default()
}

fn corrupt(file: &Path, detail: impl std::fmt::Display) -> SheetError {
    SheetError::Corrupt {
        file: file.to_path_buf(),
        detail: detail.to_string(),
    }
}

fn too_large(
    file: &Path,
    sheet: Option<&str>,
    row: Option<usize>,
    column: Option<usize>,
    limit: Limit,
    cap: u64,
) -> SheetError {
    SheetError::TooLarge {
        file: file.to_path_buf(),
        sheet: sheet.map(str::to_string),
        row,
        column,
        limit,
        cap,
    }
}

fn extension_notice(file: &Path, actual: FileFormat) -> Option<Notice> {
    let ext = extension(file);
    let expected = match ext.as_str() {
        "xlsx" | "xlsm" => FileFormat::Xlsx,
        "xlsb" => FileFormat::Xlsb,
        "xls" => FileFormat::Xls,
        "ods" => FileFormat::Ods,
        "csv" | "txt" | "tsv" => FileFormat::Text,
        _ => return None,
    };
    if expected == actual {
        return None;
    }
    let what = match actual {
        FileFormat::Xlsx => "Excel (.xlsx)",
        FileFormat::Xlsb => "Excel (.xlsb)",
        FileFormat::Xls => "Excel 97-2003 (.xls)",
        FileFormat::Ods => "OpenDocument (.ods)",
        FileFormat::Text => "CSV/text",
    };
    Some(Notice::new(
        "sheet.extension_mismatch",
        format!("文件扩展名是 .{ext}，但内容是 {what}；已按实际内容读取"),
        format!("The file is named .{ext} but holds {what}; it was read by its content"),
    ))
}

fn visible(v: SheetVisible) -> bool {
    v == SheetVisible::Visible
}

fn open_reader(file: &Path) -> Result<Rs, SheetError> {
    File::open(file)
        .map(BufReader::new)
        .map_err(|e| SheetError::from_io(file, e))
}

/// Opens a contact file and lists its sheets.
pub fn open(file: &Path, limits: Limits) -> Result<Workbook, SheetError> {
    open_cancellable(file, limits, None)
}

/// [`open`], stopped early (with [`SheetError::Cancelled`]) once `cancel` is set; the flag
/// also stops [`Workbook::read_sheet`].
pub fn open_cancellable(
    file: &Path,
    limits: Limits,
    cancel: Option<CancelFlag>,
) -> Result<Workbook, SheetError> {
    let meta = std::fs::metadata(file).map_err(|e| SheetError::from_io(file, e))?;
    if meta.is_dir() {
        return Err(SheetError::NotASpreadsheet {
            file: file.to_path_buf(),
        });
    }
    if meta.len() == 0 {
        return Err(SheetError::EmptyFile {
            file: file.to_path_buf(),
        });
    }
    if meta.len() > limits.max_file_bytes {
        return Err(too_large(
            file,
            None,
            None,
            None,
            Limit::FileBytes,
            limits.max_file_bytes,
        ));
    }
    let flag = cancel.as_deref();
    let mut head = [0u8; 8];
    let n = {
        let mut f = File::open(file).map_err(|e| SheetError::from_io(file, e))?;
        read_up_to(&mut f, &mut head).map_err(|e| SheetError::from_io(file, e))?
    };
    let head = &head[..n];
    let mut notices = Vec::new();
    let mut active = None;
    let (format, inner, sheets) = if head.starts_with(ZIP_MAGIC) || head.starts_with(ZIP_EMPTY) {
        let package::Inspected { format, active_tab } = package::inspect(file, &limits, flag)?;
        let rs = open_reader(file)?;
        match format {
            FileFormat::Xlsb => {
                let wb = Xlsb::new(rs).map_err(|e| corrupt(file, e))?;
                let sheets = list(wb.sheets_metadata());
                (format, Inner::Xlsb(Box::new(wb)), sheets)
            }
            FileFormat::Ods => {
                let wb = Ods::new(rs).map_err(|e| corrupt(file, e))?;
                let sheets = list(wb.sheets_metadata());
                (format, Inner::Ods(Box::new(wb)), sheets)
            }
            _ => {
                let wb = Xlsx::new(rs).map_err(|e| match e {
                    XlsxError::Password => SheetError::Encrypted {
                        file: file.to_path_buf(),
                    },
                    e => corrupt(file, e),
                })?;
                // `activeTab` counts every sheet, chart sheets too: the same list calamine keeps.
                active = active_tab
                    .and_then(|i| wb.sheets_metadata().get(i))
                    .filter(|s| matches!(s.typ, calamine::SheetType::WorkSheet))
                    .map(|s| s.name.clone());
                let sheets = list(wb.sheets_metadata());
                (FileFormat::Xlsx, Inner::Xlsx(Box::new(wb)), sheets)
            }
        }
    } else if head.starts_with(CFB_MAGIC) {
        // An encrypted .xlsx is an OLE container with an EncryptedPackage stream (the guard
        // says so). Anything else in an OLE container should be an .xls.
        xls_guard::inspect(file, &limits, flag)?;
        let wb = Xls::new(open_reader(file)?).map_err(|e| match e {
            calamine::XlsError::Password => SheetError::Encrypted {
                file: file.to_path_buf(),
            },
            e => corrupt(file, e),
        })?;
        let sheets = list(wb.sheets_metadata());
        (FileFormat::Xls, Inner::Xls(Box::new(wb)), sheets)
    } else {
        let bytes = std::fs::read(file).map_err(|e| SheetError::from_io(file, e))?;
        let (text, _encoding) = text::decode(file, bytes)?;
        if let Some(line) = text::first_long_line(&text, limits.max_line_bytes) {
            return Err(too_large(
                file,
                None,
                Some(line),
                None,
                Limit::LineBytes,
                limits.max_line_bytes,
            ));
        }
        if text::looks_binary(&text) {
            return Err(SheetError::NotASpreadsheet {
                file: file.to_path_buf(),
            });
        }
        if text.trim().is_empty() {
            return Err(SheetError::EmptyFile {
                file: file.to_path_buf(),
            });
        }
        let delimiter = text::sniff_delimiter(&text);
        let name = file
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_else(|| "Sheet1".into());
        (
            FileFormat::Text,
            Inner::Text { text, delimiter },
            vec![SheetInfo {
                name,
                hidden: false,
            }],
        )
    };
    if let Some(n) = extension_notice(file, format) {
        notices.push(n);
    }
    if excel_lock_file(file).is_some() {
        notices.push(Notice::new(
            "sheet.open_in_excel",
            "这个文件似乎正在 Excel 中打开：读取的是上次保存的内容，未保存的修改不会包含在内",
            "This file seems to be open in Excel: what was last saved is read; unsaved changes are not included",
        ));
    }
    if sheets.is_empty() {
        return Err(SheetError::NoSheets {
            file: file.to_path_buf(),
        });
    }
    Ok(Workbook {
        file: file.to_path_buf(),
        format,
        sheets,
        active,
        notices,
        limits,
        cancel,
        inner,
    })
}

/// Excel's owner file beside an open workbook: `~$` + the name, or `~$` replacing the first
/// two characters of longer names.
fn excel_lock_file(file: &Path) -> Option<PathBuf> {
    let dir = file.parent()?;
    let name = file.file_name()?.to_string_lossy().into_owned();
    let short: String = name.chars().skip(2).collect();
    [format!("~${name}"), format!("~${short}")]
        .into_iter()
        .map(|n| dir.join(n))
        .find(|p| p.is_file())
}

fn read_up_to(f: &mut File, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut n = 0;
    while n < buf.len() {
        match f.read(&mut buf[n..])? {
            0 => break,
            k => n += k,
        }
    }
    Ok(n)
}

fn list(sheets: &[calamine::Sheet]) -> Vec<SheetInfo> {
    sheets
        .iter()
        .filter(|s| matches!(s.typ, calamine::SheetType::WorkSheet))
        .map(|s| SheetInfo {
            name: s.name.clone(),
            hidden: !visible(s.visible),
        })
        .collect()
}

fn datetime_text(dt: &calamine::ExcelDateTime) -> String {
    match dt.as_datetime() {
        Some(d) => {
            if d.time() == chrono::NaiveTime::MIN {
                d.format("%Y-%m-%d").to_string()
            } else {
                d.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        None => dt.as_f64().to_string(),
    }
}

fn push_data(
    b: &mut GridBuilder,
    row: usize,
    col: usize,
    value: &DataRef<'_>,
) -> Result<(), CapReached> {
    match value {
        DataRef::Int(i) => b.push(row, col, CellInput::Int(*i)),
        DataRef::Float(f) => b.push(row, col, CellInput::Number(*f)),
        DataRef::String(s) => b.push(row, col, CellInput::Text(s)),
        DataRef::SharedString(s) => b.push(row, col, CellInput::Text(s)),
        DataRef::Bool(v) => b.push(row, col, CellInput::Bool(*v)),
        DataRef::DateTime(dt) => b.push(row, col, CellInput::Date(&datetime_text(dt))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => b.push(row, col, CellInput::Date(s)),
        DataRef::Error(e) => b.push(row, col, CellInput::Error(&e.to_string())),
        DataRef::Empty => Ok(()),
    }
}

fn push_owned(b: &mut GridBuilder, row: usize, col: usize, value: &Data) -> Result<(), CapReached> {
    match value {
        Data::Int(i) => b.push(row, col, CellInput::Int(*i)),
        Data::Float(f) => b.push(row, col, CellInput::Number(*f)),
        Data::String(s) => b.push(row, col, CellInput::Text(s)),
        Data::Bool(v) => b.push(row, col, CellInput::Bool(*v)),
        Data::DateTime(dt) => b.push(row, col, CellInput::Date(&datetime_text(dt))),
        Data::DateTimeIso(s) | Data::DurationIso(s) => b.push(row, col, CellInput::Date(s)),
        Data::Error(e) => b.push(row, col, CellInput::Error(&e.to_string())),
        Data::Empty => Ok(()),
    }
}

impl Workbook {
    /// The file's format, from its content.
    pub fn format(&self) -> FileFormat {
        self.format
    }

    /// The worksheets, in workbook order.
    pub fn sheets(&self) -> &[SheetInfo] {
        &self.sheets
    }

    /// Notices found while opening (e.g. the extension did not match the content).
    pub fn notices(&self) -> &[Notice] {
        &self.notices
    }

    /// The sheet Excel showed when the file was saved, if it is a visible worksheet
    /// (.xlsx only; other formats do not say).
    pub fn active_sheet(&self) -> Option<&str> {
        let active = self.active.as_deref()?;
        self.sheets
            .iter()
            .any(|s| s.name == active && !s.hidden)
            .then_some(active)
    }

    /// The sheet shown when none holds phone numbers: the active one, else the first
    /// visible one.
    pub fn default_sheet(&self) -> Option<&str> {
        self.active_sheet().or_else(|| {
            self.sheets
                .iter()
                .find(|s| !s.hidden)
                .or_else(|| self.sheets.first())
                .map(|s| s.name.as_str())
        })
    }

    /// The sheets [`Workbook::read_sheet`] looks at when none is named, in the order it
    /// prefers them: the active sheet, then the visible ones in workbook order (every
    /// sheet when all are hidden).
    fn candidates(&self) -> Vec<String> {
        let visible: Vec<&SheetInfo> = self.sheets.iter().filter(|s| !s.hidden).collect();
        let pool: Vec<&str> = if visible.is_empty() {
            self.sheets.iter().map(|s| s.name.as_str()).collect()
        } else {
            visible.iter().map(|s| s.name.as_str()).collect()
        };
        let first = self.default_sheet();
        first
            .into_iter()
            .chain(pool.into_iter().filter(|n| Some(*n) != first))
            .map(str::to_string)
            .collect()
    }

    /// Reads one sheet: by name, or, with `None`, the one that holds phone numbers (the
    /// active sheet first among those, then the first; see [`super::choice`]). The sheet
    /// carries its [`SheetData::choice`] and a notice saying which sheet and why, or that
    /// it holds no phone numbers.
    pub fn read_sheet(&mut self, name: Option<&str>) -> Result<SheetData, SheetError> {
        use super::choice::{attach, phone_evidence, ChoiceReason, PhoneEvidence};
        if let Some(n) = name {
            let name = self
                .sheets
                .iter()
                .find(|s| s.name == n)
                .or_else(|| {
                    self.sheets
                        .iter()
                        .find(|s| s.name.trim().eq_ignore_ascii_case(n.trim()))
                })
                .map(|s| s.name.clone())
                .ok_or_else(|| SheetError::SheetNotFound {
                    file: self.file.clone(),
                    sheet: n.to_string(),
                    available: self.sheets.iter().map(|s| s.name.clone()).collect(),
                })?;
            let (mut data, _) = self.read_named(name, None)?;
            attach(&mut data, ChoiceReason::Named, 1);
            return Ok(data);
        }
        let candidates = self.candidates();
        let only = candidates.len() == 1;
        let active = self.active_sheet().map(str::to_string);
        // Sheets are judged by their first rows (a big sheet of other data before the
        // contacts costs little), then the chosen one is read whole. Without a sheet of
        // numbers, the first sheet with a phone header is shown (its rows say what is wrong
        // with them), else the first readable candidate; a sheet that fails to read is
        // reported only then (the numbers may have been on it).
        let head = (!only).then_some(PROBE_ROWS);
        let mut shown: Option<(PhoneEvidence, SheetData, bool)> = None;
        let mut failed: Option<SheetError> = None;
        for name in candidates.iter() {
            match self.read_named(name.clone(), head) {
                Ok((data, complete)) => {
                    let evidence = phone_evidence(&data.grid);
                    if evidence == PhoneEvidence::Numbers {
                        let mut data = if complete {
                            data
                        } else {
                            self.read_named(name.clone(), None)?.0
                        };
                        let reason = if only {
                            ChoiceReason::OnlySheet
                        } else if active.as_deref() == Some(name.as_str()) {
                            ChoiceReason::Active
                        } else {
                            ChoiceReason::HasPhones
                        };
                        attach(&mut data, reason, candidates.len());
                        return Ok(data);
                    }
                    if shown.as_ref().is_none_or(|(best, _, _)| evidence > *best) {
                        shown = Some((evidence, data, complete));
                    }
                }
                Err(e @ SheetError::Cancelled { .. }) => return Err(e),
                Err(e) => {
                    failed.get_or_insert(e);
                }
            }
        }
        if let Some(e) = failed {
            return Err(e);
        }
        let (_, data, complete) = shown.ok_or_else(|| SheetError::NoSheets {
            file: self.file.clone(),
        })?;
        let mut data = if complete {
            data
        } else {
            self.read_named(data.sheet, None)?.0
        };
        let reason = if only {
            ChoiceReason::OnlySheet
        } else {
            ChoiceReason::NoSheetHasPhones
        };
        attach(&mut data, reason, candidates.len());
        Ok(data)
    }

    /// Reads the sheet called exactly `name`, or only its first `head` rows; says whether
    /// the whole sheet was read.
    fn read_named(
        &mut self,
        name: String,
        head: Option<usize>,
    ) -> Result<(SheetData, bool), SheetError> {
        let beyond = |r: u32| head.is_some_and(|h| r as usize >= h);
        let mut complete = true;
        let file = self.file.clone();
        let too_large =
            |e: CapReached| too_large(&file, Some(&name), Some(e.row), e.column, e.limit, e.cap);
        let cancel = self.cancel.clone();
        let cancelled = || SheetError::Cancelled { file: file.clone() };
        let mut seen = 0usize;
        let mut tick = || {
            seen += 1;
            seen % CANCEL_EVERY_CELLS != 0
                || !cancel.as_deref().is_some_and(|c| c.load(Ordering::Relaxed))
        };
        let sheet_corrupt = |e: &dyn std::fmt::Display| SheetError::Corrupt {
            file: file.clone(),
            detail: format!("sheet \"{name}\": {e}"),
        };
        let mut b = GridBuilder::new(self.limits);
        let mut merged = Vec::new();
        match &mut self.inner {
            Inner::Xlsx(wb) => {
                {
                    let mut cells = wb
                        .worksheet_cells_reader(&name)
                        .map_err(|e| sheet_corrupt(&e))?;
                    while let Some(cell) = cells.next_cell().map_err(|e| sheet_corrupt(&e))? {
                        let (r, c) = cell.get_position();
                        // Cells come in row order.
                        if beyond(r) {
                            complete = false;
                            break;
                        }
                        push_data(&mut b, r as usize, c as usize, cell.get_value())
                            .map_err(&too_large)?;
                        if !tick() {
                            return Err(cancelled());
                        }
                    }
                }
                // Merged ranges need a second pass over the sheet XML, which would double
                // the read time; `Workbook::merged_ranges` fetches them when they matter.
            }
            Inner::Xlsb(wb) => {
                let mut cells = wb
                    .worksheet_cells_reader(&name)
                    .map_err(|e| sheet_corrupt(&e))?;
                while let Some(cell) = cells.next_cell().map_err(|e| sheet_corrupt(&e))? {
                    let (r, c) = cell.get_position();
                    if beyond(r) {
                        complete = false;
                        break;
                    }
                    push_data(&mut b, r as usize, c as usize, cell.get_value())
                        .map_err(&too_large)?;
                    if !tick() {
                        return Err(cancelled());
                    }
                }
            }
            Inner::Xls(wb) => {
                let range = wb.worksheet_range(&name).map_err(|e| sheet_corrupt(&e))?;
                complete = push_range(&mut b, &range, head).map_err(&too_large)?;
                if let Ok(dims) = wb.merge_cells_by_sheet_name(&name) {
                    merged = dims.iter().map(merged_range).collect();
                }
            }
            Inner::Ods(wb) => {
                let range = wb.worksheet_range(&name).map_err(|e| sheet_corrupt(&e))?;
                complete = push_range(&mut b, &range, head).map_err(&too_large)?;
            }
            Inner::Text { text, delimiter } => {
                let grid = text::parse(
                    &self.file,
                    text,
                    *delimiter,
                    self.limits,
                    self.cancel.as_deref(),
                )?;
                // One sheet, never probed: read whole.
                return Ok((self.finish(name, grid, merged), true));
            }
        }
        Ok((self.finish(name, b.finish(), merged), complete))
    }

    /// The merged ranges of a sheet. For .xlsx this reads the sheet XML again, so
    /// [`crate::sheet::import`] asks only when a mapped column has empty cells.
    pub fn merged_ranges(&mut self, sheet: &str) -> Vec<MergedRange> {
        let dims = match &mut self.inner {
            Inner::Xlsx(wb) => wb.merge_cells_by_sheet_name(sheet).ok(),
            Inner::Xls(wb) => wb.merge_cells_by_sheet_name(sheet).ok(),
            _ => None,
        };
        dims.map(|d| d.iter().map(merged_range).collect())
            .unwrap_or_default()
    }

    fn finish(
        &self,
        sheet: String,
        grid: super::grid::Grid,
        merged: Vec<MergedRange>,
    ) -> SheetData {
        let mut notices = self.notices.clone();
        notices.extend(merged_notice(&sheet, &merged));
        SheetData {
            file: self.file.clone(),
            format: self.format,
            sheet,
            grid,
            merged,
            notices,
            choice: None,
        }
    }
}

/// The notice shown when a sheet has merged cells (`None` without any).
pub fn merged_notice(sheet: &str, merged: &[MergedRange]) -> Option<Notice> {
    {
        let sheet = crate::text::echo(sheet);
        let m = merged.first()?;
        let range = format!(
            "{}{}:{}{}",
            super::mapping::column_letter(m.first_col as usize),
            m.first_row + 1,
            super::mapping::column_letter(m.last_col as usize),
            m.last_row + 1
        );
        Some(Notice::new(
                "sheet.merged_cells",
                format!(
                    "工作表“{sheet}”有 {} 处合并单元格（如 {range}），合并区域里只有左上角单元格有值，其余按空值处理",
                    merged.len()
                ),
                format!(
                    "Sheet \"{sheet}\" has {} merged ranges (e.g. {range}); only the top-left cell of a merged range holds its value, the others count as empty",
                    merged.len()
                ),
            ))
    }
}

fn merged_range(d: &calamine::Dimensions) -> MergedRange {
    MergedRange {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

/// Pushes a range's cells (only those of the first `head` rows when given); says whether
/// every cell was pushed.
fn push_range(
    b: &mut GridBuilder,
    range: &calamine::Range<Data>,
    head: Option<usize>,
) -> Result<bool, CapReached> {
    let Some((r0, c0)) = range.start() else {
        return Ok(true);
    };
    let mut complete = true;
    for (r, c, value) in range.used_cells() {
        let row = r0 as usize + r;
        if head.is_some_and(|h| row >= h) {
            complete = false;
            continue;
        }
        push_owned(b, row, c0 as usize + c, value)?;
    }
    Ok(complete)
}

/// Reads the whole sheet with a bare calamine `worksheet_range`, for the benchmark's
/// baseline. Returns the number of non-empty cells.
pub fn bare_calamine_cell_count(file: &Path, sheet: Option<&str>) -> Result<usize, SheetError> {
    let mut wb = calamine::open_workbook_auto(file).map_err(|e| corrupt(file, e))?;
    let name = match sheet {
        Some(s) => s.to_string(),
        None => wb
            .sheet_names()
            .first()
            .cloned()
            .ok_or_else(|| SheetError::NoSheets {
                file: file.to_path_buf(),
            })?,
    };
    let range = wb.worksheet_range(&name).map_err(|e| corrupt(file, e))?;
    Ok(range.used_cells().count())
}
