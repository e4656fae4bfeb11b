//! Any bytes, under any of the supported extensions, through the whole import path:
//! open (format sniffing, zip inspection, encoding detection) → read the default sheet →
//! header detection, mapping, validation. Errors are fine; panics, hangs and unbounded
//! memory are bugs.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartdial_core::sheet::{from_sheet, read, ImportOptions, Limits};

const EXTENSIONS: &[&str] = &["xlsx", "xlsb", "xls", "ods", "csv", "txt"];

fuzz_target!(|data: &[u8]| {
    let Some((&selector, body)) = data.split_first() else {
        return;
    };
    let ext = EXTENSIONS[selector as usize % EXTENSIONS.len()];
    let Ok(dir) = tempfile::tempdir() else { return };
    let path = dir.path().join(format!("fuzz.{ext}"));
    if std::fs::write(&path, body).is_err() {
        return;
    }
    // Small caps keep each run fast and prove the caps hold.
    let limits = Limits {
        max_rows: 10_000,
        max_cells: 200_000,
        max_text_bytes: 8 * 1024 * 1024,
        max_uncompressed_bytes: 32 * 1024 * 1024,
        max_dense_grid_cells: 1_000_000,
        // Every XML part through the pre-read scan, not only large ones.
        min_scanned_part_bytes: 0,
        ..Limits::default()
    };
    let Ok(mut workbook) = read::open(&path, limits) else { return };
    let Ok(sheet) = workbook.read_sheet(None) else { return };
    let options = ImportOptions {
        variables: vec![("姓名".into(), None)],
        limits,
        ..ImportOptions::default()
    };
    if let Ok(imported) = from_sheet(sheet, &options, None) {
        let _ = imported.contacts.summary();
        let _ = imported.contacts.problems();
    }
});
