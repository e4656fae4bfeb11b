//! Zip packages (.xlsx/.xlsm/.xlsb/.ods) checked before calamine parses them: the zip
//! directory's declared sizes (the zip reader refuses to inflate an entry past its declared
//! size, so they bound what reading costs), how much each part inflates, and then a cheap
//! streaming pass over the large XML parts that hold cells (see [`super::xml_scan`] and
//! [`crate::sheet::limits::MIN_SCANNED_PART_BYTES`]). calamine
//! reads the shared strings and (for .ods) every sheet while opening, into memory, with no
//! limits of its own; this is what keeps one 300 MB cell from reaching it.

use std::fs::File;
use std::io::{BufReader, Read, Seek, SeekFrom};
use std::path::Path;
use std::sync::atomic::AtomicBool;

use super::xml_scan::{Dialect, ScanStop, XmlScan};
use super::{corrupt, too_large};
use crate::sheet::error::SheetError;
use crate::sheet::limits::{Limit, Limits};
use crate::sheet::source::FileFormat;

/// What a part is to the reader.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum PartKind {
    /// Holds cells: parsed in full, scanned first when it is XML.
    Cells(Option<Dialect>),
    /// Parsed (styles, workbook, relationships, theme): small.
    Parsed,
    /// Not parsed (images, printer settings, macros): costs nothing.
    Other,
}

fn kind(name: &str) -> PartKind {
    let lower = name.to_ascii_lowercase();
    if lower.starts_with("xl/worksheets/") && lower.ends_with(".xml") {
        PartKind::Cells(Some(Dialect::Worksheet))
    } else if lower == "xl/sharedstrings.xml" {
        PartKind::Cells(Some(Dialect::SharedStrings))
    } else if lower == "content.xml" {
        PartKind::Cells(Some(Dialect::Ods))
    } else if (lower.starts_with("xl/worksheets/") && lower.ends_with(".bin"))
        || lower == "xl/sharedstrings.bin"
    {
        PartKind::Cells(None)
    } else if lower.ends_with(".xml") || lower.ends_with(".rels") || lower.ends_with(".bin") {
        PartKind::Parsed
    } else {
        PartKind::Other
    }
}

/// Directory entries the end-of-central-directory record declares, read before the zip
/// reader builds its list of every entry. `None` when the record is not found (the zip
/// reader then says the file is damaged).
fn declared_entries(file: &Path) -> Result<Option<u64>, SheetError> {
    const EOCD: &[u8] = b"PK\x05\x06";
    let mut f = File::open(file).map_err(|e| SheetError::from_io(file, e))?;
    let len = f
        .seek(SeekFrom::End(0))
        .map_err(|e| SheetError::from_io(file, e))?;
    // The record is 22 bytes plus a comment of at most 65,535.
    let tail = len.min(22 + 65_535);
    f.seek(SeekFrom::Start(len - tail))
        .map_err(|e| SheetError::from_io(file, e))?;
    let mut buf = Vec::with_capacity(tail as usize);
    f.take(tail)
        .read_to_end(&mut buf)
        .map_err(|e| SheetError::from_io(file, e))?;
    let Some(at) = buf.windows(4).rposition(|w| w == EOCD) else {
        return Ok(None);
    };
    let rec = &buf[at..];
    if rec.len() < 22 {
        return Ok(None);
    }
    let entries = u16::from_le_bytes([rec[10], rec[11]]) as u64;
    let directory_bytes = u32::from_le_bytes([rec[12], rec[13], rec[14], rec[15]]) as u64;
    // 0xFFFF means "see the zip64 record"; every entry takes at least 46 directory bytes.
    Ok(Some(if entries == 0xFFFF {
        directory_bytes / 46
    } else {
        entries
    }))
}

/// What [`inspect`] learnt about a package.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct Inspected {
    pub format: FileFormat,
    /// For .xlsx: the 0-based position (among all sheets, chart sheets included) of the
    /// sheet Excel showed when the file was saved (`<workbookView activeTab>`).
    pub active_tab: Option<usize>,
}

/// The `activeTab` of the first `<workbookView>` in `xl/workbook.xml` (0 when the view
/// leaves it out, as Excel does for the first sheet); `None` without a view.
fn active_tab(workbook_xml: &[u8]) -> Option<usize> {
    let mut rest = workbook_xml;
    while let Some(at) = rest.iter().position(|b| *b == b'<') {
        rest = &rest[at + 1..];
        let name_len = rest
            .iter()
            .position(|b| b.is_ascii_whitespace() || *b == b'/' || *b == b'>')
            .unwrap_or(rest.len());
        let name = &rest[..name_len];
        // `workbookView` or `x:workbookView` (a prefixed namespace).
        let local = name.rsplit(|b| *b == b':').next().unwrap_or(name);
        if local != b"workbookView" {
            continue;
        }
        let head = &rest[name_len..];
        let head = &head[..head.iter().position(|b| *b == b'>').unwrap_or(head.len())];
        return Some(
            super::xml_scan::attr_number(head, b"activeTab")
                .and_then(|n| usize::try_from(n).ok())
                .unwrap_or(0),
        );
    }
    None
}

/// Checks a zip package against the caps, scans the XML parts that hold cells, and tells
/// the OOXML/ODS flavours apart.
pub(super) fn inspect(
    file: &Path,
    limits: &Limits,
    cancel: Option<&AtomicBool>,
) -> Result<Inspected, SheetError> {
    let whole_file = |limit, cap| too_large(file, None, None, None, limit, cap);
    if let Some(n) = declared_entries(file)? {
        if n > limits.max_package_entries {
            return Err(whole_file(
                Limit::PackageEntries,
                limits.max_package_entries,
            ));
        }
    }
    let f = File::open(file).map_err(|e| SheetError::from_io(file, e))?;
    let mut zip = zip::ZipArchive::new(BufReader::new(f)).map_err(|e| corrupt(file, e))?;
    if zip.len() as u64 > limits.max_package_entries {
        return Err(whole_file(
            Limit::PackageEntries,
            limits.max_package_entries,
        ));
    }
    let mut total: u64 = 0;
    let mut format = None;
    let mut to_scan = Vec::new();
    // The whole package's size is reported first: it is the figure a user can act on.
    let mut part_problem = None;
    for i in 0..zip.len() {
        let entry = zip.by_index_raw(i).map_err(|e| corrupt(file, e))?;
        let size = entry.size();
        total = total.saturating_add(size);
        let entry_name = entry.name().map_err(|e| corrupt(file, e))?.into_owned();
        match entry_name.as_str() {
            "xl/workbook.xml" => format = Some(FileFormat::Xlsx),
            "xl/workbook.bin" => format = Some(FileFormat::Xlsb),
            "content.xml" => format = format.or(Some(FileFormat::Ods)),
            _ => {}
        }
        let kind = kind(&entry_name);
        let cap = match kind {
            PartKind::Cells(_) => limits.max_part_bytes,
            PartKind::Parsed => limits.max_small_part_bytes,
            PartKind::Other => u64::MAX,
        };
        if size > cap {
            part_problem = part_problem.or(Some((Limit::PartBytes, cap)));
        }
        if kind != PartKind::Other
            && size > crate::sheet::limits::RATIO_MIN_BYTES.min(limits.max_part_bytes)
            && size / entry.compressed_size().max(1) > limits.max_compression_ratio
        {
            part_problem = part_problem.or(Some((
                Limit::CompressionRatio,
                limits.max_compression_ratio,
            )));
        }
        if let PartKind::Cells(Some(dialect)) = kind {
            if dialect == Dialect::Ods || size >= limits.min_scanned_part_bytes {
                to_scan.push((i, dialect));
            }
        }
    }
    if total > limits.max_uncompressed_bytes {
        return Err(whole_file(
            Limit::UncompressedBytes,
            limits.max_uncompressed_bytes,
        ));
    }
    if let Some((limit, cap)) = part_problem {
        return Err(whole_file(limit, cap));
    }
    let format = format.ok_or_else(|| SheetError::NotASpreadsheet {
        file: file.to_path_buf(),
    })?;
    // Parts of the other flavour (an .ods named content.xml inside an .xlsx) are not read.
    to_scan.retain(|(_, d)| (*d == Dialect::Ods) == (format == FileFormat::Ods));
    for (i, dialect) in to_scan {
        let entry = zip.by_index(i).map_err(|e| corrupt(file, e))?;
        let mut scan = XmlScan::new(dialect, limits, cancel);
        match scan.run(entry) {
            Ok(()) => {}
            Err(ScanStop::Limit {
                limit,
                cap,
                row,
                column,
            }) => return Err(too_large(file, None, row, column, limit, cap)),
            Err(ScanStop::Cancelled) => {
                return Err(SheetError::Cancelled {
                    file: file.to_path_buf(),
                })
            }
            Err(ScanStop::Io(e)) => return Err(corrupt(file, e)),
        }
    }
    let active_tab = if format == FileFormat::Xlsx {
        // Small (its size was held to the cap above); a view that cannot be read only
        // means the sheet is chosen without it.
        zip.by_name("xl/workbook.xml").ok().and_then(|part| {
            let mut xml = Vec::new();
            part.take(limits.max_small_part_bytes)
                .read_to_end(&mut xml)
                .ok()
                .and_then(|_| active_tab(&xml))
        })
    } else {
        None
    };
    Ok(Inspected { format, active_tab })
}

#[cfg(test)]
mod tests {
    use super::active_tab;

    #[test]
    fn the_active_tab_is_read_from_the_workbook_view() {
        let xml = br#"<workbook><bookViews><workbookView xWindow="0" activeTab="2"/></bookViews><sheets/></workbook>"#;
        assert_eq!(active_tab(xml), Some(2));
        let prefixed = br#"<x:workbook><x:bookViews><x:workbookView activeTab='1'></x:workbookView></x:bookViews></x:workbook>"#;
        assert_eq!(active_tab(prefixed), Some(1));
        // Excel leaves the attribute out when the first sheet is active.
        assert_eq!(
            active_tab(br#"<bookViews><workbookView xWindow="1"/></bookViews>"#),
            Some(0)
        );
        assert_eq!(active_tab(br#"<workbook><sheets/></workbook>"#), None);
        assert_eq!(active_tab(b"<workbookViews activeTab=\"3\"/>"), None);
        assert_eq!(active_tab(b"<"), None);
    }
}
