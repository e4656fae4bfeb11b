//! What a contact file may cost, checked before (or while) it is read, so a hostile or broken
//! file (zip bomb, one 300 MB cell, absurd dimensions, deep XML) gets a clear error within
//! seconds instead of hanging the app or exhausting memory. Each cap is named in the error a
//! user sees, with what to do.
//!
//! The bounds leave room for the largest real contact sheet: Excel's own maximum of
//! 1,048,576 rows. The sheet benchmark (`cargo bench -p smartdial-core --bench sheet`) reads a
//! 1,000,000-row CSV of 4 columns (about 62 MB of text, a 77 MB grid) under all of them.

/// Rows in one sheet: Excel's own maximum, so every sheet Excel can save fits.
pub const MAX_ROWS: u64 = 1_048_576;
/// Columns in one sheet: Excel's own maximum (A..XFD).
pub const MAX_COLUMNS: u64 = 16_384;
/// Cell slots held for one sheet (filled cells and the empty ones left of a filled cell in
/// its row), five bytes each: 32 million is 1,048,576 rows × 30 columns, and 160 MB at most.
/// A hostile sheet that puts one cell at column XFD in every row reaches it after ~2,000
/// rows instead of asking for 16,384 slots per row.
pub const MAX_CELLS: u64 = 32_000_000;
/// Bytes of cell text held for one sheet: eight times the 1,000,000-row benchmark's 62 MB.
pub const MAX_TEXT_BYTES: u64 = 512 * 1024 * 1024;
/// Characters in one cell: Excel's own limit (32,767), so no cell Excel saved is refused.
/// Numbers, names and template values are far shorter; a longer cell is a mistake or an
/// attack (issue 11: one 300 MB cell).
pub const MAX_CELL_CHARS: u64 = 32_767;
/// Size of the file on disk. A 1,048,576-row .xlsx is 30-60 MB, the same as CSV 60-150 MB.
pub const MAX_FILE_BYTES: u64 = 512 * 1024 * 1024;
/// Bytes of one line of a CSV/text file: 64 cells of [`MAX_CELL_CHARS`] CJK characters. A
/// longer line is not a contact row (a binary file, or text without line breaks).
pub const MAX_LINE_BYTES: u64 = 64 * 32_767 * 3;
/// Uncompressed bytes of the parts that hold cells (a worksheet, the shared strings,
/// ODS `content.xml`, their .xlsb twins): Excel's XML for 1,048,576 rows × 20 columns is
/// about 0.8 GB.
pub const MAX_PART_BYTES: u64 = 1024 * 1024 * 1024;
/// Uncompressed bytes of any other part the reader parses (styles, workbook, relationships,
/// theme): a heavily formatted workbook's `styles.xml` is a few MB.
pub const MAX_SMALL_PART_BYTES: u64 = 64 * 1024 * 1024;
/// Uncompressed bytes of the whole package: a largest sheet, its shared strings and room
/// for the rest.
pub const MAX_PACKAGE_BYTES: u64 = 2 * 1024 * 1024 * 1024;
/// Parts in one package: a workbook has tens (each sheet adds a few); the zip reader holds
/// every directory entry in memory, so a zip of millions of empty entries is refused
/// before it is parsed.
pub const MAX_PACKAGE_ENTRIES: u64 = 10_000;
/// How much larger than its compressed size a part may inflate. Real worksheet XML
/// compresses 5-20×, the most repetitive (one value in every row) below 60×; deflate's
/// ceiling is about 1,030×, which is what a zip bomb uses: 300 KB inflating to one 300 MB
/// cell is 1,000×. Applies to parts over [`RATIO_MIN_BYTES`].
pub const MAX_COMPRESSION_RATIO: u64 = 100;
/// Parts smaller than this may compress as well as they like: they cost nothing to read.
pub const RATIO_MIN_BYTES: u64 = 8 * 1024 * 1024;
/// Worksheet and shared-string parts smaller than this are not scanned before calamine
/// reads them: the worst such a part can hold is one cell of this size, which calamine reads
/// in a fraction of a second and the cell cap then refuses by name. Scanning every part cost
/// ordinary files an extra inflate (the 100,000-row benchmark: 1.5× → 1.7× calamine's time);
/// a 1,000,000-row sheet (180 MB of XML) is scanned. .ods content is always scanned: its
/// repeat counts make a tiny part expensive.
pub const MIN_SCANNED_PART_BYTES: u64 = 32 * 1024 * 1024;
/// Element nesting in a workbook's XML: cells sit 4-6 levels deep, extension lists reach
/// about 15. Deeper is made to break parsers.
pub const MAX_XML_DEPTH: u64 = 128;
/// Bytes of one XML tag, comment or CDATA section: Excel's longest attribute values (cell
/// range lists of a validation rule) stay well under this.
pub const MAX_XML_MARKUP_BYTES: u64 = 1024 * 1024;
/// Bytes of text inside one cell's XML (a shared string, an inline string, an ODS cell),
/// before entities are expanded: [`MAX_CELL_CHARS`] characters written as `&#xFFFF;`
/// escapes are 262,136 bytes, so a cell this long is over the character cap whatever its
/// escapes. Checked while the XML is scanned, before the reader builds the string.
pub const MAX_XML_CELL_TEXT_BYTES: u64 = 8 * MAX_CELL_CHARS + 1024;
/// Cells the .xls and .ods readers lay out: calamine builds each of those sheets as a dense
/// rectangle of 32-byte cells around its values (an .xls, every sheet while opening), so two
/// cells at A1 and IV65536 cost 536 MB, and repeat counts in a 2 KB .ods ask for billions.
/// 8 million (256 MB) is 65,536 rows (the .xls maximum) × 128 columns, or a 1,000,000-row
/// .ods of 8 columns; summed over the sheets.
pub const MAX_DENSE_GRID_CELLS: u64 = 8 * 1024 * 1024;

/// Which cap was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Limit {
    /// Rows in one sheet.
    Rows,
    /// Columns in one sheet.
    Columns,
    /// Cell slots in one sheet.
    Cells,
    /// Bytes of text held for one sheet.
    TextBytes,
    /// Characters in one cell.
    CellChars,
    /// Uncompressed bytes inside an .xlsx/.xlsm/.xlsb/.ods package.
    UncompressedBytes,
    /// Uncompressed bytes of one part of a package.
    PartBytes,
    /// Parts in a package.
    PackageEntries,
    /// How much one part inflates.
    CompressionRatio,
    /// XML nesting depth.
    XmlDepth,
    /// Bytes of one XML tag.
    XmlMarkup,
    /// Size of the file on disk.
    FileBytes,
    /// Bytes of one text line.
    LineBytes,
    /// Cells the .xls/.ods reader would lay out.
    DenseGridCells,
}

fn mb(bytes: u64) -> u64 {
    bytes.div_ceil(1024 * 1024)
}

impl Limit {
    /// The cap as a user reads it, in zh-CN and English.
    pub fn describe(self, cap: u64) -> (String, String) {
        match self {
            Limit::Rows => (format!("最多 {cap} 行"), format!("at most {cap} rows")),
            Limit::Columns => (format!("最多 {cap} 列"), format!("at most {cap} columns")),
            Limit::Cells => (
                format!("最多 {cap} 个单元格（含有值单元格左侧的空格）"),
                format!("at most {cap} cells (counting the empty ones left of a filled cell)"),
            ),
            Limit::TextBytes => (
                format!("文本总量最多 {} MB", mb(cap)),
                format!("at most {} MB of text", mb(cap)),
            ),
            Limit::CellChars => (
                format!("每个单元格最多 {cap} 个字符（Excel 的上限）"),
                format!("at most {cap} characters in one cell (Excel's own limit)"),
            ),
            Limit::UncompressedBytes => (
                format!("解压后最多 {} MB", mb(cap)),
                format!("at most {} MB uncompressed", mb(cap)),
            ),
            Limit::PartBytes => (
                format!("每个部件解压后最多 {} MB", mb(cap)),
                format!("at most {} MB uncompressed per part", mb(cap)),
            ),
            Limit::PackageEntries => (
                format!("文件包里最多 {cap} 个部件"),
                format!("at most {cap} parts in one file"),
            ),
            Limit::CompressionRatio => (
                format!("解压后最多是压缩大小的 {cap} 倍（超过说明文件异常，可能是“压缩炸弹”）"),
                format!("parts that inflate at most {cap}× (more means a damaged file or a zip bomb)"),
            ),
            Limit::XmlDepth => (
                format!("XML 最多嵌套 {cap} 层"),
                format!("XML nested at most {cap} levels deep"),
            ),
            Limit::XmlMarkup => (
                format!("每个 XML 标记最多 {} MB", mb(cap)),
                format!("XML tags of at most {} MB", mb(cap)),
            ),
            Limit::FileBytes => (
                format!("文件最大 {} MB", mb(cap)),
                format!("files up to {} MB", mb(cap)),
            ),
            Limit::LineBytes => (
                format!("每行最多 {} MB", mb(cap)),
                format!("lines of at most {} MB", mb(cap)),
            ),
            Limit::DenseGridCells => (
                format!(".xls 和 .ods 文件的有值区域（从左上到右下有值单元格围成的矩形）合计最多 {cap} 个单元格"),
                format!("at most {cap} cells in the rectangles around the values of an .xls or .ods file"),
            ),
        }
    }

    /// What the user can do about it, in zh-CN and English.
    pub fn remedy(self) -> (&'static str, &'static str) {
        match self {
            Limit::CellChars => (
                "请找到这个单元格，删除或缩短其中的内容后保存再导入",
                "Find that cell, delete or shorten its content, save and import again",
            ),
            Limit::CompressionRatio
            | Limit::XmlDepth
            | Limit::XmlMarkup
            | Limit::PackageEntries
            | Limit::DenseGridCells => (
                "文件内容异常。请用 Excel 或 WPS 打开，只把号码所在的表复制到新工作簿，另存为 .xlsx 后再导入",
                "The file's structure is not normal. Open it in Excel or WPS, copy the sheet with the numbers into a new workbook, save it as .xlsx and import that",
            ),
            Limit::LineBytes => (
                "这不像是每行一条记录的表格文本。请用 Excel 打开确认内容，另存为 .xlsx 或 CSV 后再导入",
                "This does not look like a table with one record per line. Open it in Excel to check, save as .xlsx or CSV and import again",
            ),
            _ => (
                "请把表格拆成几个较小的文件，或删除多余的行、列和内容后重试",
                "Split the sheet into smaller files, or delete unused rows, columns and content, and try again",
            ),
        }
    }
}

/// The caps applied while reading; [`Limits::default`] holds the constants above. Tests
/// lower them to reach a cap with a small file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Limits {
    pub max_rows: u64,
    pub max_columns: u64,
    pub max_cells: u64,
    pub max_text_bytes: u64,
    pub max_cell_chars: u64,
    pub max_file_bytes: u64,
    pub max_line_bytes: u64,
    /// Whole package, uncompressed.
    pub max_uncompressed_bytes: u64,
    pub max_part_bytes: u64,
    pub max_small_part_bytes: u64,
    pub max_package_entries: u64,
    pub max_compression_ratio: u64,
    pub min_scanned_part_bytes: u64,
    pub max_xml_depth: u64,
    pub max_xml_markup_bytes: u64,
    pub max_xml_cell_text_bytes: u64,
    pub max_dense_grid_cells: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_rows: MAX_ROWS,
            max_columns: MAX_COLUMNS,
            max_cells: MAX_CELLS,
            max_text_bytes: MAX_TEXT_BYTES,
            max_cell_chars: MAX_CELL_CHARS,
            max_file_bytes: MAX_FILE_BYTES,
            max_line_bytes: MAX_LINE_BYTES,
            max_uncompressed_bytes: MAX_PACKAGE_BYTES,
            max_part_bytes: MAX_PART_BYTES,
            max_small_part_bytes: MAX_SMALL_PART_BYTES,
            max_package_entries: MAX_PACKAGE_ENTRIES,
            max_compression_ratio: MAX_COMPRESSION_RATIO,
            min_scanned_part_bytes: MIN_SCANNED_PART_BYTES,
            max_xml_depth: MAX_XML_DEPTH,
            max_xml_markup_bytes: MAX_XML_MARKUP_BYTES,
            max_xml_cell_text_bytes: MAX_XML_CELL_TEXT_BYTES,
            max_dense_grid_cells: MAX_DENSE_GRID_CELLS,
        }
    }
}
