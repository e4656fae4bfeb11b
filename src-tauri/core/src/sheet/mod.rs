//! Contact sheets: reading spreadsheet files, cleaning phone numbers, mapping columns to
//! the robot script's template variables (`TtsParamHead`).
//!
//! The path a file takes: [`read::open`] (format from content, sheet list) →
//! [`read::Workbook::read_sheet`] ([`SheetData`], capped by [`Limits`]) →
//! [`header::detect_header_row`] → [`mapping::suggest_mapping`] →
//! [`contacts::ContactList::validate`] → [`crate::campaign::plan::BatchPlan::build`].
//! [`import`] runs the whole path with the usual choices.
//!
//! ```no_run
//! use smartdial_core::sheet::{import, ImportOptions};
//!
//! let imported = import(std::path::Path::new("客户.xlsx"), &ImportOptions::default(), None)?;
//! println!("{} valid", imported.contacts.summary().valid);
//! # Ok::<(), smartdial_core::sheet::error::SheetError>(())
//! ```

pub mod cell;
pub mod choice;
pub mod contacts;
pub mod error;
pub mod export;
pub mod grid;
pub mod header;
pub mod limits;
pub mod mapping;
pub mod phone;
pub mod read;
pub mod reason;
pub mod source;
pub mod variables;

use std::path::Path;

use serde::{Deserialize, Serialize};

pub use contacts::{ContactList, ValidationOptions};
pub use error::SheetError;
pub use limits::Limits;
pub use source::SheetData;

use mapping::{
    columns, resolve_column, suggest_mapping, ColumnMapping, MappingSuggestion, SavedMappings,
    VariableColumn,
};

/// The choices [`import`] takes; everything left `None` is detected.
#[derive(Debug, Clone, Default)]
pub struct ImportOptions {
    /// Sheet name; default: the one holding phone numbers (see [`choice`]).
    pub sheet: Option<String>,
    /// 1-based header row; default: detected.
    pub header_row: Option<usize>,
    /// Phone column by header text, letter (`B`) or 1-based number; default: detected.
    pub phone_column: Option<String>,
    /// Template variables in `TtsParamHead` order, each with an optional column (header,
    /// letter or number); without one the column is matched by name.
    pub variables: Vec<(String, Option<String>)>,
    pub validation: ValidationOptions,
    pub limits: Limits,
}

/// The outcome of [`import`].
#[derive(Debug)]
pub struct Imported {
    pub contacts: ContactList,
    /// What was matched and how (show it; let the user change it).
    pub suggestion: MappingSuggestion,
}

/// First rows of a sheet for the "pick the header row" step.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SheetPreview {
    pub sheet: String,
    /// Rows in the sheet (including the header and blank rows).
    pub total_rows: u32,
    pub columns: u32,
    /// 1-based detected header row, if any.
    pub detected_header_row: Option<u32>,
    /// The first rows as display text, each with its 1-based row number.
    pub rows: Vec<PreviewRow>,
    pub notices: Vec<source::Notice>,
}

/// One previewed row.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PreviewRow {
    pub row: u32,
    pub cells: Vec<String>,
}

/// Characters of one cell the preview table shows: 12 rows × 200 columns of cells up to the
/// 32,767-character cap would be 78 MB for the window to draw.
pub const PREVIEW_CELL_CHARS: usize = 100;

/// The first `rows` rows of a sheet (at most 200 columns, cells cut to
/// [`PREVIEW_CELL_CHARS`]) for the preview table.
pub fn preview(sheet: &SheetData, rows: usize) -> SheetPreview {
    let g = &sheet.grid;
    let width = g.width().min(200);
    SheetPreview {
        sheet: sheet.sheet.clone(),
        total_rows: g.height() as u32,
        columns: g.width() as u32,
        detected_header_row: header::detect_header_row(g).map(|r| r as u32 + 1),
        rows: (0..g.height().min(rows))
            .map(|r| PreviewRow {
                row: r as u32 + 1,
                cells: (0..width)
                    .map(|c| {
                        let text = cell::display_text(g.cell(r, c));
                        crate::text::echo_max(&text, PREVIEW_CELL_CHARS).into_owned()
                    })
                    .collect(),
            })
            .collect(),
        notices: sheet.notices.clone(),
    }
}

/// Reads a file and builds a validated contact list with the given (or detected) choices.
/// `saved` mappings are used when the header layout matches one.
pub fn import(
    file: &Path,
    options: &ImportOptions,
    saved: Option<&SavedMappings>,
) -> Result<Imported, SheetError> {
    let mut wb = read::open(file, options.limits)?;
    let sheet = wb.read_sheet(options.sheet.as_deref())?;
    let sheet_name = sheet.sheet.clone();
    // Keep only workbooks whose merged cells can be listed; a text file's decoded text goes.
    let mut wb = wb.format().lists_merged_cells().then_some(wb);
    let mut imported = from_sheet(sheet, options, saved)?;
    if let Some(wb) = wb.as_mut() {
        explain_merged_cells(wb, &sheet_name, &mut imported.contacts);
    }
    Ok(imported)
}

/// After validating a sheet read from `workbook`: when a phone or variable cell is empty,
/// looks up the sheet's merged ranges (a second pass over an .xlsx, so only then) and adds
/// the `sheet.merged_cells` notice that explains the empty cells.
pub fn explain_merged_cells(workbook: &mut read::Workbook, sheet: &str, list: &mut ContactList) {
    if list.has_empty_mapped_cells() {
        let merged = workbook.merged_ranges(sheet);
        list.attach_merged(merged);
    }
}

/// The steps of [`import`] after reading: header row, mapping, validation.
pub fn from_sheet(
    mut sheet: SheetData,
    options: &ImportOptions,
    saved: Option<&SavedMappings>,
) -> Result<Imported, SheetError> {
    let grid = &sheet.grid;
    if grid.height() == 0 || (0..grid.height()).all(|r| grid.row_is_blank(r)) {
        return Err(SheetError::EmptySheet {
            file: sheet.file.clone(),
            sheet: sheet.sheet.clone(),
        });
    }
    let header_row = match options.header_row {
        Some(r) => sheet.header_row_index(r)?,
        None => header::detect_header_row(grid).unwrap_or(0),
    };
    if options.header_row.is_none() && header::header_looks_like_data(grid, header_row) {
        sheet.notices.push(source::Notice::new(
            "sheet.header_looks_like_data",
            format!("第 {} 行被当作表头，但里面有号码；如果表格没有表头，请在第一行插入表头", header_row + 1),
            format!("Row {} is used as the header but holds a phone number; if the sheet has no header, insert one above it", header_row + 1),
        ));
    }
    let names: Vec<String> = options.variables.iter().map(|(n, _)| n.clone()).collect();
    let suggestion = suggest_mapping(grid, header_row, &names, saved);
    let cols = columns(grid, header_row);
    let headers = || cols.iter().map(|c| c.header.clone()).collect::<Vec<_>>();
    let searched = sheet.choice.as_ref().map_or(1, |c| c.searched);
    let phone_column = match &options.phone_column {
        Some(wanted) => {
            resolve_column(&cols, wanted).ok_or_else(|| SheetError::PhoneColumnNotFound {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                wanted: Some(wanted.clone()),
                headers: headers(),
                searched: 1,
            })?
        }
        None => suggestion
            .phone_column
            .as_ref()
            .map(|c| c.index as usize)
            .ok_or_else(|| SheetError::PhoneColumnNotFound {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                wanted: None,
                headers: headers(),
                searched,
            })?,
    };
    let mut variables = Vec::with_capacity(options.variables.len());
    for ((name, wanted), suggested) in options.variables.iter().zip(&suggestion.variables) {
        let column = match wanted {
            Some(w) => resolve_column(&cols, w),
            None => suggested.column.as_ref().map(|c| c.index as usize),
        };
        let column = column.ok_or_else(|| SheetError::VariableColumnNotFound {
            file: sheet.file.clone(),
            variable: name.clone(),
            header: wanted.clone(),
        })?;
        variables.push(VariableColumn {
            name: name.clone(),
            column: column as u32,
        });
    }
    let mapping = ColumnMapping {
        phone_column: phone_column as u32,
        variables,
    };
    let contacts = ContactList::validate(sheet, header_row, mapping, options.validation)?;
    Ok(Imported {
        contacts,
        suggestion,
    })
}
