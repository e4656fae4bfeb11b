//! The bad-input corpus, generated here: every file a marketer might feed in by mistake
//! must give a clear, coded error naming the file (or read correctly with a notice), never
//! a panic or a memory blow-up.
//!
//! This module holds the helpers that make and read the files; the tests are in its
//! submodules, by what is wrong with the file.

mod broken;
mod content;
mod limits;

use std::io::Write;
use std::path::{Path, PathBuf};

use rand::{RngCore, SeedableRng};
use rust_xlsxwriter::{ExcelDateTime, Format, Formula, Workbook as XlsxWriter};

use crate::error_code::ErrorCode;
use crate::sheet::contacts::ContactStatus;
use crate::sheet::error::SheetError;
use crate::sheet::grid::CellRef;
use crate::sheet::read::{self, FileFormat};
use crate::sheet::{import, ImportOptions, Limits};

fn dir() -> tempfile::TempDir {
    tempfile::tempdir().unwrap()
}

fn open_err(path: &Path) -> SheetError {
    match read::open(path, Limits::default()).and_then(|mut wb| wb.read_sheet(None)) {
        Ok(_) => panic!("{} should not read", path.display()),
        Err(e) => e,
    }
}

fn import_err(path: &Path, opts: &ImportOptions) -> SheetError {
    import(path, opts, None)
        .err()
        .unwrap_or_else(|| panic!("{} should fail", path.display()))
}

/// The message names the file in both languages.
fn assert_names_file(e: &SheetError, file: &str) {
    let u = e.to_user_error();
    assert!(
        u.message.zh_cn.contains(file),
        "zh message lacks file: {}",
        u.message.zh_cn
    );
    assert!(
        u.message.en.contains(file),
        "en message lacks file: {}",
        u.message.en
    );
    assert!(!u.hint.zh_cn.is_empty() && !u.hint.en.is_empty());
}

fn simple_xlsx(path: &Path, rows: &[&[&str]]) {
    let mut wb = XlsxWriter::new();
    let ws = wb.add_worksheet();
    for (r, row) in rows.iter().enumerate() {
        for (c, v) in row.iter().enumerate() {
            ws.write_string(r as u32, c as u16, *v).unwrap();
        }
    }
    wb.save(path).unwrap();
}

/// A minimal hand-written .xlsx package, for what rust_xlsxwriter will not write (error
/// cells, declared dimensions, huge parts).
fn raw_xlsx(path: &Path, sheet_xml: &[u8]) {
    let f = std::fs::File::create(path).unwrap();
    let mut z = zip::ZipWriter::new(f);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, &[u8]); 4] = [
        ("[Content_Types].xml", br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>"#),
        ("_rels/.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#),
        ("xl/workbook.xml", br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#),
        ("xl/_rels/workbook.xml.rels", br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>"#),
    ];
    for (name, body) in parts {
        z.start_file(name, opts).unwrap();
        z.write_all(body).unwrap();
    }
    z.start_file("xl/worksheets/sheet1.xml", opts).unwrap();
    z.write_all(sheet_xml).unwrap();
    z.finish().unwrap();
}

fn sheet_xml(rows: &str) -> Vec<u8> {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData>{rows}</sheetData></worksheet>"#
    )
    .into_bytes()
}

fn path(d: &tempfile::TempDir, name: &str) -> PathBuf {
    d.path().join(name)
}

fn allow_empty() -> ImportOptions {
    let mut o = ImportOptions::default();
    o.validation.allow_empty_variables = true;
    o
}

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/sheets")
        .join(name)
}
