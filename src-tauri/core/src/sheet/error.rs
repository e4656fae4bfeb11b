//! Everything that can go wrong reading a contact sheet, each with a stable code and a
//! zh-CN/English message that names the file (and sheet, row or cell where it applies).

use std::path::{Path, PathBuf};

use super::limits::Limit;
use crate::error_code::ErrorCode;
use crate::text::{echo, echo_list, echo_max, Localized, UserError};

/// Longest reader error detail repeated in a message: it can quote the file.
const DETAIL_MAX_CHARS: usize = 160;
/// Headers or sheet names listed in one message.
const LIST_MAX_ITEMS: usize = 20;

/// A failure to read or interpret a contact sheet.
#[derive(Debug, thiserror::Error)]
pub enum SheetError {
    #[error("{file}: file not found")]
    NotFound { file: PathBuf },
    #[error("{file}: permission denied")]
    Unreadable { file: PathBuf },
    #[error("{file}: locked by another program")]
    Locked { file: PathBuf },
    #[error("{file}: {source}")]
    Io {
        file: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{file}: the file is empty")]
    EmptyFile { file: PathBuf },
    #[error("{file}: sheet {sheet:?} has no rows")]
    EmptySheet { file: PathBuf, sheet: String },
    #[error("{file}: sheet {sheet:?} has a header row but no data rows")]
    HeaderOnly { file: PathBuf, sheet: String },
    #[error("{file}: not a spreadsheet or text file")]
    NotASpreadsheet { file: PathBuf },
    #[error("{file}: the workbook is password protected")]
    Encrypted { file: PathBuf },
    #[error("{file}: damaged: {detail}")]
    Corrupt { file: PathBuf, detail: String },
    #[error("{file}: text is neither UTF-8 nor GB18030 (line {line})")]
    Encoding { file: PathBuf, line: usize },
    #[error("{file}: over the cap {limit:?}={cap} (row {row:?}, column {column:?})")]
    TooLarge {
        file: PathBuf,
        sheet: Option<String>,
        /// 0-based.
        row: Option<usize>,
        /// 0-based.
        column: Option<usize>,
        limit: Limit,
        cap: u64,
    },
    #[error("{file}: reading was cancelled")]
    Cancelled { file: PathBuf },
    #[error("{file}: no sheet named {sheet:?}")]
    SheetNotFound {
        file: PathBuf,
        sheet: String,
        available: Vec<String>,
    },
    #[error("{file}: the workbook has no worksheets")]
    NoSheets { file: PathBuf },
    #[error("{file}: header row {row} is outside sheet {sheet:?} ({rows} rows)")]
    HeaderRowOutOfRange {
        file: PathBuf,
        sheet: String,
        row: usize,
        rows: usize,
    },
    #[error("{file}: no phone column found in sheet {sheet:?}")]
    PhoneColumnNotFound {
        file: PathBuf,
        sheet: String,
        wanted: Option<String>,
        headers: Vec<String>,
        /// Sheets looked through for phone numbers when none was named (1 otherwise).
        searched: u32,
    },
    #[error("{file}: no column {header:?} for variable {variable:?}")]
    VariableColumnNotFound {
        file: PathBuf,
        variable: String,
        header: Option<String>,
    },
    #[error("row {row} is not a data row")]
    NoSuchRow { row: u32 },
}

fn name(file: &Path) -> String {
    file.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| file.display().to_string())
}

impl SheetError {
    /// The stable code, e.g. `sheet.encrypted`.
    pub fn code(&self) -> ErrorCode {
        match self {
            SheetError::NotFound { .. } => ErrorCode::SheetNotFound,
            SheetError::Unreadable { .. } => ErrorCode::SheetUnreadable,
            SheetError::Locked { .. } => ErrorCode::SheetLocked,
            SheetError::Io { .. } => ErrorCode::SheetIo,
            SheetError::EmptyFile { .. } => ErrorCode::SheetEmptyFile,
            SheetError::EmptySheet { .. } => ErrorCode::SheetEmptySheet,
            SheetError::HeaderOnly { .. } => ErrorCode::SheetHeaderOnly,
            SheetError::NotASpreadsheet { .. } => ErrorCode::SheetNotASpreadsheet,
            SheetError::Encrypted { .. } => ErrorCode::SheetEncrypted,
            SheetError::Corrupt { .. } => ErrorCode::SheetCorrupt,
            SheetError::Encoding { .. } => ErrorCode::SheetEncoding,
            SheetError::TooLarge { .. } => ErrorCode::SheetTooLarge,
            SheetError::Cancelled { .. } => ErrorCode::SheetCancelled,
            SheetError::SheetNotFound { .. } => ErrorCode::SheetSheetNotFound,
            SheetError::NoSheets { .. } => ErrorCode::SheetNoSheets,
            SheetError::HeaderRowOutOfRange { .. } => ErrorCode::SheetHeaderRowOutOfRange,
            SheetError::PhoneColumnNotFound { .. } => ErrorCode::SheetPhoneColumnNotFound,
            SheetError::VariableColumnNotFound { .. } => ErrorCode::SheetVariableColumnNotFound,
            SheetError::NoSuchRow { .. } => ErrorCode::SheetNoSuchRow,
        }
    }

    /// The error as a user reads it.
    pub fn to_user_error(&self) -> UserError {
        let (msg, hint) = self.texts();
        UserError::new(self.code(), msg, hint)
    }

    fn texts(&self) -> (Localized, Localized) {
        // Everything taken from the file (sheet names, headers, the reader's detail) or
        // typed by the user (a column or variable name) is repeated through `echo`.
        match self {
            SheetError::NotFound { file } => (
                l(format!("找不到文件“{}”", file.display()), format!("File not found: {}", file.display())),
                l("请检查路径是否正确", "Check the path"),
            ),
            SheetError::Unreadable { file } => (
                l(format!("没有权限读取文件“{}”", name(file)), format!("No permission to read {}", name(file))),
                l("请检查文件权限，或把文件复制到自己的文件夹再试", "Check the file's permissions, or copy it to your own folder and try again"),
            ),
            SheetError::Locked { file } => (
                l(format!("文件“{}”正被其他程序（如 Excel）占用", name(file)), format!("{} is open in another program (such as Excel)", name(file))),
                l("请在 Excel 中关闭该文件后重试", "Close the file in Excel and try again"),
            ),
            SheetError::Io { file, source } => (
                l(format!("读取文件“{}”失败：{}。", name(file), crate::os_error::io_reason(source).zh_cn), format!("Could not read {}: {source}", name(file))),
                l("请确认文件可以正常打开", "Check that the file opens normally"),
            ),
            SheetError::EmptyFile { file } => (
                l(format!("文件“{}”是空的", name(file)), format!("{} is empty", name(file))),
                l("请选择包含号码的表格文件", "Choose a sheet that contains phone numbers"),
            ),
            SheetError::EmptySheet { file, sheet } => {
                let sheet = echo(sheet);
                (
                l(format!("文件“{}”的工作表“{sheet}”没有任何内容", name(file)), format!("Sheet \"{sheet}\" in {} has no content", name(file))),
                l("请选择包含号码的工作表", "Choose the sheet that holds the phone numbers"),
            )
            }
            SheetError::HeaderOnly { file, sheet } => {
                let sheet = echo(sheet);
                (
                l(format!("文件“{}”的工作表“{sheet}”只有表头，没有数据行", name(file)), format!("Sheet \"{sheet}\" in {} has a header row but no data", name(file))),
                l("请在表头下方填写号码，或检查表头行是否选对", "Add numbers below the header, or check the header row choice"),
            )
            }
            SheetError::NotASpreadsheet { file } => (
                l(format!("文件“{}”不是表格或文本文件", name(file)), format!("{} is not a spreadsheet or text file", name(file))),
                l("支持 .xlsx .xlsm .xlsb .xls .ods .csv .txt", "Supported: .xlsx .xlsm .xlsb .xls .ods .csv .txt"),
            ),
            SheetError::Encrypted { file } => (
                l(format!("工作簿“{}”设置了打开密码", name(file)), format!("{} is password protected", name(file))),
                l("请在 Excel 中取消密码（文件 → 信息 → 保护工作簿）后另存再导入", "Remove the password in Excel (File → Info → Protect Workbook), save, and import again"),
            ),
            SheetError::Corrupt { file, detail } => {
                let detail = echo_max(detail, DETAIL_MAX_CHARS);
                (
                // The reader's detail is English: the Chinese message does without it.
                l(format!("文件“{}”已损坏或格式不对。", name(file)), format!("{} is damaged or not in the format its name says: {detail}", name(file))),
                l("请用 Excel 打开并另存为 .xlsx 后重试", "Open it in Excel, save as .xlsx and try again"),
            )
            }
            SheetError::Encoding { file, line } => (
                l(format!("文件“{}”第 {line} 行的文字编码无法识别（不是 UTF-8 也不是 GBK/GB18030）", name(file)), format!("Line {line} of {} is in an unknown text encoding (neither UTF-8 nor GBK/GB18030)", name(file))),
                l("请用 Excel 或记事本另存为“UTF-8”编码后重试", "Save it as UTF-8 (Excel or Notepad: Save As → UTF-8) and try again"),
            ),
            SheetError::TooLarge { file, sheet, row, column, limit, cap } => {
                let (zh_cap, en_cap) = limit.describe(*cap);
                let (zh_do, en_do) = limit.remedy();
                let cell = match (row, column) {
                    (Some(r), Some(c)) => Some(format!("{}{}", super::mapping::column_letter(*c), r + 1)),
                    _ => None,
                };
                let (zh_at, en_at) = match (sheet.as_deref().map(echo), row, cell) {
                    (Some(s), _, Some(cell)) => (format!("工作表“{s}”的 {cell} 单元格"), format!("sheet \"{s}\", cell {cell}")),
                    (Some(s), Some(r), None) => (format!("工作表“{s}”第 {} 行", r + 1), format!("sheet \"{s}\", row {}", r + 1)),
                    (Some(s), None, None) => (format!("工作表“{s}”"), format!("sheet \"{s}\"")),
                    (None, _, Some(cell)) => (format!("{cell} 单元格"), format!("cell {cell}")),
                    (None, Some(r), None) => (format!("第 {} 行", r + 1), format!("row {}", r + 1)),
                    (None, None, None) => (String::from("整个文件"), String::from("the whole file")),
                };
                (
                    l(format!("文件“{}”超出 SmartDial 的读取上限（{zh_at}）：{zh_cap}", name(file)), format!("{} is over SmartDial's reading limit ({en_at}): {en_cap}", name(file))),
                    l(zh_do, en_do),
                )
            }
            SheetError::Cancelled { file } => (
                l(format!("已取消读取文件“{}”", name(file)), format!("Reading {} was cancelled", name(file))),
                l("可以重新选择文件", "You can choose the file again"),
            ),
            SheetError::SheetNotFound { file, sheet, available } => {
                let sheet = echo(sheet);
                (
                    l(format!("文件“{}”里没有名为“{sheet}”的工作表（现有：{}）", name(file), echo_list(available, LIST_MAX_ITEMS, "、")), format!("{} has no sheet named \"{sheet}\" (it has: {})", name(file), echo_list(available, LIST_MAX_ITEMS, ", "))),
                    l("请从列表中选择工作表", "Choose one of the listed sheets"),
                )
            }
            SheetError::NoSheets { file } => (
                l(format!("文件“{}”里没有工作表", name(file)), format!("{} contains no worksheets", name(file))),
                l("请选择包含号码的表格文件", "Choose a sheet that contains phone numbers"),
            ),
            SheetError::HeaderRowOutOfRange { file, sheet, row, rows } => {
                let sheet = echo(sheet);
                (
                l(format!("文件“{}”的工作表“{sheet}”只有 {rows} 行，没有第 {row} 行", name(file)), format!("Sheet \"{sheet}\" in {} has {rows} rows; there is no row {row}", name(file))),
                l("请重新选择表头所在的行", "Choose the header row again"),
            )
            }
            SheetError::PhoneColumnNotFound { file, sheet, wanted, headers, searched } => {
                let shown = headers.iter().filter(|h| !h.trim().is_empty()).cloned().collect::<Vec<_>>();
                let (zh_shown, en_shown) = (echo_list(&shown, LIST_MAX_ITEMS, "、"), echo_list(&shown, LIST_MAX_ITEMS, ", "));
                let sheet = echo(sheet);
                match wanted.as_deref().map(echo) {
                    Some(w) => (
                        l(format!("文件“{}”的工作表“{sheet}”里没有名为“{w}”的列（表头：{}）", name(file), zh_shown), format!("Sheet \"{sheet}\" in {} has no column \"{w}\" (headers: {})", name(file), en_shown)),
                        l("请选择号码所在的列", "Choose the column that holds the phone numbers"),
                    ),
                    None if *searched > 1 => (
                        l(format!("文件“{}”的 {searched} 张工作表里都找不到号码列（已打开“{sheet}”，表头：{}）", name(file), zh_shown), format!("None of the {searched} sheets in {} has a phone column (sheet \"{sheet}\" was opened; headers: {})", name(file), en_shown)),
                        l("请确认选对了文件，或指定号码所在的工作表和列", "Check that this is the right file, or choose the sheet and the column that hold the numbers"),
                    ),
                    None => (
                        l(format!("在文件“{}”的工作表“{sheet}”里找不到号码列（表头：{}）", name(file), zh_shown), format!("No phone column found in sheet \"{sheet}\" of {} (headers: {})", name(file), en_shown)),
                        l("请确认工作表选对了，或手动选择号码所在的列（也可以把表头改成“手机号”）", "Check that this is the right sheet, or choose the phone column yourself (or name its header 手机号, phone)"),
                    ),
                }
            }
            SheetError::VariableColumnNotFound { file, variable, header } => {
                let variable = echo(variable);
                match header.as_deref().map(echo) {
                Some(h) => (
                    l(format!("文件“{}”里没有列“{h}”（模板变量“{variable}”）", name(file)), format!("{} has no column \"{h}\" (template variable \"{variable}\")", name(file))),
                    l("请检查列名", "Check the column name"),
                ),
                None => (
                    l(format!("文件“{}”里找不到模板变量“{variable}”对应的列", name(file)), format!("No column in {} matches template variable \"{variable}\"", name(file))),
                    l("请为该变量选择一列", "Choose a column for this variable"),
                ),
            }
            }
            SheetError::NoSuchRow { row } => (
                l(format!("第 {row} 行不是数据行"), format!("Row {row} is not a data row")),
                l("请刷新后重试", "Refresh and try again"),
            ),
        }
    }

    /// Turns an I/O error on `file` into the specific kind a user can act on.
    pub fn from_io(file: &Path, err: std::io::Error) -> SheetError {
        let file = file.to_path_buf();
        // Windows: ERROR_SHARING_VIOLATION (32) / ERROR_LOCK_VIOLATION (33) when Excel has it open.
        if cfg!(windows) && matches!(err.raw_os_error(), Some(32) | Some(33)) {
            return SheetError::Locked { file };
        }
        match err.kind() {
            std::io::ErrorKind::NotFound => SheetError::NotFound { file },
            std::io::ErrorKind::PermissionDenied => SheetError::Unreadable { file },
            _ => SheetError::Io { file, source: err },
        }
    }
}

impl From<SheetError> for UserError {
    fn from(e: SheetError) -> Self {
        e.to_user_error()
    }
}

fn l(zh_cn: impl Into<String>, en: impl Into<String>) -> Localized {
    Localized::new(zh_cn, en)
}
