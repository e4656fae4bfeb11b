//! Caps that keep a hostile or broken file (zip bomb, absurd dimensions) from exhausting
//! memory. Each cap is named in the error a user sees.

/// Which cap was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Rows in one sheet.
    Rows,
    /// Columns in one sheet.
    Columns,
    /// Non-empty cells in one sheet.
    Cells,
    /// Bytes of text held for one sheet.
    TextBytes,
    /// Uncompressed bytes inside an .xlsx/.xlsm/.xlsb/.ods package.
    UncompressedBytes,
    /// Size of the file on disk.
    FileBytes,
}

impl Limit {
    /// The cap as a user reads it, in zh-CN and English.
    pub fn describe(self, cap: u64) -> (String, String) {
        match self {
            Limit::Rows => (format!("最多 {cap} 行"), format!("at most {cap} rows")),
            Limit::Columns => (format!("最多 {cap} 列"), format!("at most {cap} columns")),
            Limit::Cells => (
                format!("最多 {cap} 个非空单元格"),
                format!("at most {cap} non-empty cells"),
            ),
            Limit::TextBytes => (
                format!("文本总量最多 {} MB", cap / (1024 * 1024)),
                format!("at most {} MB of text", cap / (1024 * 1024)),
            ),
            Limit::UncompressedBytes => (
                format!("解压后最多 {} MB", cap / (1024 * 1024)),
                format!("at most {} MB uncompressed", cap / (1024 * 1024)),
            ),
            Limit::FileBytes => (
                format!("文件最大 {} MB", cap / (1024 * 1024)),
                format!("files up to {} MB", cap / (1024 * 1024)),
            ),
        }
    }
}

/// The caps applied while reading. Defaults follow Excel's own sheet size (1,048,576 rows,
/// 16,384 columns) and keep the worst case well under a gigabyte of memory.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_rows: u64,
    pub max_columns: u64,
    pub max_cells: u64,
    pub max_text_bytes: u64,
    pub max_uncompressed_bytes: u64,
    pub max_file_bytes: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: 1_048_576,
            max_columns: 16_384,
            max_cells: 20_000_000,
            max_text_bytes: 512 * 1024 * 1024,
            max_uncompressed_bytes: 1024 * 1024 * 1024,
            max_file_bytes: 512 * 1024 * 1024,
        }
    }
}
