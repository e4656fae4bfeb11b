//! A sheet read into memory, with where it came from.

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::error::SheetError;
use super::grid::Grid;
use crate::text::Localized;

/// The file formats SmartDial reads, decided from the content, not the extension.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum FileFormat {
    Xlsx,
    Xlsb,
    Xls,
    Ods,
    /// Delimited text (.csv, .txt).
    Text,
}

impl FileFormat {
    /// Whether [`Workbook::merged_ranges`](super::read::Workbook::merged_ranges) can list
    /// this format's merged cells (calamine reads them for .xlsx and .xls only).
    pub fn lists_merged_cells(self) -> bool {
        matches!(self, FileFormat::Xlsx | FileFormat::Xls)
    }
}

/// Something the user should know that does not stop the import (the file's extension did
/// not match its content, merged cells, a header row that looks like data …).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Notice {
    pub code: String,
    pub message: Localized,
}

impl Notice {
    /// Says what was done (which sheet was read and why), not that something may be wrong.
    pub fn is_informational(&self) -> bool {
        self.code == "sheet.chosen"
    }

    pub fn new(code: &str, zh_cn: impl Into<String>, en: impl Into<String>) -> Self {
        Notice {
            code: code.to_string(),
            message: Localized::new(zh_cn, en),
        }
    }
}

/// A merged range (0-based, inclusive). Only the top-left cell holds the value.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct MergedRange {
    pub first_row: u32,
    pub first_col: u32,
    pub last_row: u32,
    pub last_col: u32,
}

/// One sheet's cells plus its origin. Cheap to keep: see [`Grid`].
#[derive(Debug, Clone)]
pub struct SheetData {
    /// The file it was read from (for messages; `<memory>` for in-memory lists).
    pub file: PathBuf,
    pub format: FileFormat,
    /// The sheet name (the file stem for text files).
    pub sheet: String,
    pub grid: Grid,
    pub merged: Vec<MergedRange>,
    pub notices: Vec<Notice>,
    /// Why this sheet of a workbook was read (`None` for lists not read from a file).
    pub choice: Option<super::choice::SheetChoice>,
}

impl SheetData {
    /// The 0-based index of the header row a user picked as `header_row` (1-based, as the
    /// row numbers a spreadsheet shows), or why there is no such row.
    pub fn header_row_index(&self, header_row: usize) -> Result<usize, SheetError> {
        let rows = self.grid.height();
        if header_row == 0 || header_row > rows {
            return Err(SheetError::HeaderRowOutOfRange {
                file: self.file.clone(),
                sheet: self.sheet.clone(),
                row: header_row,
                rows,
            });
        }
        Ok(header_row - 1)
    }
}
