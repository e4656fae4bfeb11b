//! The hostile-file corpus (issue 11), generated rather than committed: zip bombs, huge
//! cells, huge dimensions, 16k columns, deep XML, broken encodings, .xls and .ods files whose
//! repeat counts or rectangles ask for gigabytes. The core's corpus tests and the CLI's
//! `check` tests read every file and assert the error, the time and (CLI) the memory.
//! Built for tests only (`corpus` feature).

use std::io::Write;
use std::path::{Path, PathBuf};

/// What reading a corpus file must give.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Expect {
    /// This error code, with this text in the English message.
    Error {
        code: &'static str,
        message: &'static str,
    },
    /// A sheet that reads (it looks hostile but is within every cap).
    Reads,
}

/// One generated file.
#[derive(Debug, Clone)]
pub struct Hostile {
    pub name: &'static str,
    pub path: PathBuf,
    pub expect: Expect,
}

const TOO_LARGE: &str = "sheet.too_large";

fn too_large(message: &'static str) -> Expect {
    Expect::Error {
        code: TOO_LARGE,
        message,
    }
}

/// Deterministic letters that deflate barely compresses.
fn noise(len: usize, seed: u64) -> Vec<u8> {
    let mut x = seed | 1;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"[(x % 62) as usize]
        })
        .collect()
}

const CONTENT_TYPES: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>"#;
const RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>"#;
const WORKBOOK: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>"#;
const WORKBOOK_RELS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/></Relationships>"#;
const SHEET_HEAD: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">"#;
const HEADER_ROW: &[u8] =
    r#"<row r="1"><c r="A1" t="inlineStr"><is><t>手机号</t></is></c></row>"#.as_bytes();
const EMPTY_STRINGS: &[u8] = br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="0" uniqueCount="0"></sst>"#;

type Body<'a> = &'a mut dyn FnMut(&mut dyn Write) -> std::io::Result<()>;

/// An .xlsx whose sheet XML and shared strings are written by the callbacks, in chunks
/// (a 300 MB part is never held in memory).
fn xlsx(path: &Path, sheet: Body<'_>, strings: Body<'_>) -> std::io::Result<()> {
    xlsx_with(path, zip::CompressionMethod::Deflated, sheet, strings)
}

/// [`xlsx`] with every part stored as `method` (stored: a part as large as it says, so no
/// compression-ratio check stands in for the scan).
fn xlsx_with(
    path: &Path,
    method: zip::CompressionMethod,
    sheet: Body<'_>,
    strings: Body<'_>,
) -> std::io::Result<()> {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path)?);
    let opts = zip::write::SimpleFileOptions::default()
        .compression_method(method)
        // Entries over 4 GB need zip64 headers; none here is, but the writer must know
        // before it starts streaming.
        .large_file(false);
    for (name, body) in [
        ("[Content_Types].xml", CONTENT_TYPES),
        ("_rels/.rels", RELS),
        ("xl/workbook.xml", WORKBOOK),
        ("xl/_rels/workbook.xml.rels", WORKBOOK_RELS),
    ] {
        z.start_file(name, opts)?;
        z.write_all(body)?;
    }
    z.start_file("xl/sharedStrings.xml", opts)?;
    strings(&mut z)?;
    z.start_file("xl/worksheets/sheet1.xml", opts)?;
    sheet(&mut z)?;
    z.finish()?;
    Ok(())
}

fn repeat(w: &mut dyn Write, byte: u8, len: usize) -> std::io::Result<()> {
    let chunk = vec![byte; 1 << 20];
    let mut left = len;
    while left > 0 {
        let n = left.min(chunk.len());
        w.write_all(&chunk[..n])?;
        left -= n;
    }
    Ok(())
}

fn plain_sheet(rows: &[u8]) -> impl FnMut(&mut dyn Write) -> std::io::Result<()> + '_ {
    move |w| {
        w.write_all(SHEET_HEAD)?;
        w.write_all(b"<sheetData>")?;
        w.write_all(HEADER_ROW)?;
        w.write_all(rows)?;
        w.write_all(b"</sheetData></worksheet>")
    }
}

fn no_strings(w: &mut dyn Write) -> std::io::Result<()> {
    w.write_all(EMPTY_STRINGS)
}

/// The size of the issue's file: 300 MB of one character in one cell.
pub const BOMB_CELL_BYTES: usize = 300 * 1024 * 1024;

fn bomb_cell(path: &Path) -> std::io::Result<()> {
    let mut sheet = plain_sheet(br#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#);
    xlsx(path, &mut sheet, &mut |w| {
        w.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" count="1" uniqueCount="1"><si><t>"#)?;
        repeat(w, b'1', BOMB_CELL_BYTES)?;
        w.write_all(b"</t></si></sst>")
    })
}

fn bomb_inline(path: &Path) -> std::io::Result<()> {
    xlsx(
        path,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(b"<sheetData>")?;
            w.write_all(HEADER_ROW)?;
            w.write_all(br#"<row r="2"><c r="A2" t="inlineStr"><is><t>"#)?;
            repeat(w, b'1', BOMB_CELL_BYTES)?;
            w.write_all(b"</t></is></c></row></sheetData></worksheet>")
        },
        &mut no_strings,
    )
}

/// Cells of 2 MB that barely compress: the zip directory cannot tell; the XML scan can.
fn long_cell(path: &Path, inline: bool) -> std::io::Result<()> {
    let text = noise(2 * 1024 * 1024, 11);
    if inline {
        let mut row = br#"<row r="5"><c r="C5" t="inlineStr"><is><t>"#.to_vec();
        row.extend(&text);
        row.extend(b"</t></is></c></row>");
        let mut sheet = plain_sheet(&row);
        xlsx(path, &mut sheet, &mut no_strings)
    } else {
        let mut sheet = plain_sheet(br#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#);
        xlsx(path, &mut sheet, &mut |w| {
            w.write_all(br#"<sst count="1" uniqueCount="1"><si><t>"#)?;
            w.write_all(&text)?;
            w.write_all(b"</t></si></sst>")
        })
    }
}

fn many_parts(path: &Path) -> std::io::Result<()> {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path)?);
    let opts =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("xl/workbook.xml", opts)?;
    z.write_all(WORKBOOK)?;
    for i in 0..20_000 {
        z.start_file(format!("xl/media/{i}.png"), opts)?;
    }
    z.finish()?;
    Ok(())
}

fn huge_dimension(path: &Path) -> std::io::Result<()> {
    xlsx(
        path,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(br#"<dimension ref="A1:XFD1048576"/><sheetData>"#)?;
            w.write_all(HEADER_ROW)?;
            w.write_all(
                br#"<row r="2"><c r="A2"><v>13800138000</v></c></row></sheetData></worksheet>"#,
            )
        },
        &mut no_strings,
    )
}

/// Every row has one value, at column XFD: 16,384 cell slots a row.
fn far_right_rows(path: &Path) -> std::io::Result<()> {
    xlsx(
        path,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(b"<sheetData>")?;
            w.write_all(HEADER_ROW)?;
            for r in 2..=100_000 {
                write!(w, r#"<row r="{r}"><c r="XFD{r}"><v>1</v></c></row>"#)?;
            }
            w.write_all(b"</sheetData></worksheet>")
        },
        &mut no_strings,
    )
}

/// 16,384 columns with the phone number in the last one: real, if odd, and must read.
fn sixteen_k_columns(path: &Path) -> std::io::Result<()> {
    xlsx(
        path,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(b"<sheetData>")?;
            for r in 1..=2 {
                write!(w, r#"<row r="{r}">"#)?;
                for c in 0..16_383u32 {
                    let col = crate::sheet::mapping::column_letter(c as usize);
                    write!(w, r#"<c r="{col}{r}"><v>{c}</v></c>"#)?;
                }
                if r == 1 {
                    write!(w, r#"<c r="XFD1" t="inlineStr"><is><t>手机号</t></is></c>"#)?;
                } else {
                    write!(
                        w,
                        r#"<c r="XFD2" t="inlineStr"><is><t>13800138000</t></is></c>"#
                    )?;
                }
                w.write_all(b"</row>")?;
            }
            w.write_all(b"</sheetData></worksheet>")
        },
        &mut no_strings,
    )
}

/// Parts are scanned from this size on; the corpus's scanned files are a little larger.
const SCANNED: usize = crate::sheet::limits::MIN_SCANNED_PART_BYTES as usize + 1024 * 1024;

fn deep_xml(path: &Path) -> std::io::Result<()> {
    xlsx_with(
        path,
        zip::CompressionMethod::Stored,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(b"<sheetData>")?;
            w.write_all(HEADER_ROW)?;
            repeat_str(w, "<x>", 1_000_000)?;
            repeat(w, b' ', SCANNED)?;
            repeat_str(w, "</x>", 1_000_000)?;
            w.write_all(b"</sheetData></worksheet>")
        },
        &mut no_strings,
    )
}

/// One cell of 64 MB that a zip directory cannot tell from a big sheet (stored, ratio 1).
fn big_cell(path: &Path) -> std::io::Result<()> {
    let mut sheet = plain_sheet(br#"<row r="2"><c r="A2" t="s"><v>0</v></c></row>"#);
    xlsx_with(path, zip::CompressionMethod::Stored, &mut sheet, &mut |w| {
        w.write_all(br#"<sst count="1" uniqueCount="1"><si><t>"#)?;
        repeat(w, b'1', 64 * 1024 * 1024)?;
        w.write_all(b"</t></si></sst>")
    })
}

fn repeat_str(w: &mut dyn Write, s: &str, times: usize) -> std::io::Result<()> {
    let chunk = s.repeat(4096);
    for _ in 0..times / 4096 {
        w.write_all(chunk.as_bytes())?;
    }
    w.write_all(s.repeat(times % 4096).as_bytes())
}

fn long_tag(path: &Path) -> std::io::Result<()> {
    xlsx_with(
        path,
        zip::CompressionMethod::Stored,
        &mut |w| {
            w.write_all(SHEET_HEAD)?;
            w.write_all(b"<sheetData>")?;
            w.write_all(HEADER_ROW)?;
            w.write_all(br#"<row r="2"><c r="A2" x=""#)?;
            repeat(w, b'y', 4 * 1024 * 1024)?;
            w.write_all(br#""><v>1</v></c></row>"#)?;
            repeat(w, b' ', SCANNED)?;
            w.write_all(b"</sheetData></worksheet>")
        },
        &mut no_strings,
    )
}

fn biff(typ: u16, data: &[u8]) -> Vec<u8> {
    let mut v = typ.to_le_bytes().to_vec();
    v.extend((data.len() as u16).to_le_bytes());
    v.extend(data);
    v
}

fn number(row: u16, col: u16) -> Vec<u8> {
    let mut d = row.to_le_bytes().to_vec();
    d.extend(col.to_le_bytes());
    d.extend(0u16.to_le_bytes());
    d.extend(13_800_138_000f64.to_le_bytes());
    biff(0x0203, &d)
}

/// An .xls with one sheet made of `records`.
fn xls(path: &Path, records: &[Vec<u8>]) -> std::io::Result<()> {
    let bof = biff(
        0x0809,
        &[0x00, 0x06, 0x05, 0x00, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
    );
    let sheet_name = [6u8, 0, b'S', b'h', b'e', b'e', b't', b'1'];
    let globals_len = bof.len() + 4 + 6 + sheet_name.len() + 4;
    let mut stream = bof.clone();
    let mut bs = (globals_len as u32).to_le_bytes().to_vec();
    bs.extend([0, 0]);
    bs.extend(sheet_name);
    stream.extend(biff(0x0085, &bs));
    stream.extend(biff(0x000A, &[]));
    assert_eq!(stream.len(), globals_len);
    let mut sheet_bof = bof;
    sheet_bof[6] = 0x10; // worksheet substream
    stream.extend(sheet_bof);
    for r in records {
        stream.extend(r);
    }
    stream.extend(biff(0x000A, &[]));
    let mut c = cfb::create(path)?;
    c.create_stream("Workbook")?.write_all(&stream)?;
    c.flush()
}

fn far_cells_xls(path: &Path) -> std::io::Result<()> {
    xls(path, &[number(0, 0), number(65_535, 255)])
}

fn declared_dimensions_xls(path: &Path) -> std::io::Result<()> {
    let mut d = 0u32.to_le_bytes().to_vec();
    d.extend(u32::MAX.to_le_bytes());
    d.extend([0, 0, 0xFF, 0, 0, 0]);
    xls(path, &[biff(0x0200, &d), number(0, 0)])
}

/// A valid .xls whose directory chain is then made to point at itself.
fn looping_xls(path: &Path) -> std::io::Result<()> {
    xls(path, &[number(0, 0)])?;
    let mut bytes = std::fs::read(path)?;
    let u32_at = |b: &[u8], at: usize| u32::from_le_bytes([b[at], b[at + 1], b[at + 2], b[at + 3]]);
    let sector = 1usize << u16::from_le_bytes([bytes[0x1E], bytes[0x1F]]);
    let dir_start = u32_at(&bytes, 0x30);
    let first_fat = u32_at(&bytes, 0x4C) as usize;
    let entry = (first_fat + 1) * sector + 4 * dir_start as usize;
    bytes[entry..entry + 4].copy_from_slice(&dir_start.to_le_bytes());
    std::fs::write(path, bytes)
}

fn ods(path: &Path, table: &str) -> std::io::Result<()> {
    let mut z = zip::ZipWriter::new(std::fs::File::create(path)?);
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored)?;
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")?;
    z.start_file("META-INF/manifest.xml", stored)?;
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#)?;
    z.start_file("content.xml", stored)?;
    write!(
        z,
        r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="S">{table}</table:table></office:spreadsheet></office:body></office:document-content>"#
    )?;
    z.finish()?;
    Ok(())
}

const ODS_HEADER: &str = r#"<table:table-row><table:table-cell office:value-type="string"><text:p>手机号</text:p></table:table-cell></table:table-row>"#;

fn repeated_ods(path: &Path) -> std::io::Result<()> {
    ods(
        path,
        &format!(
            r#"{ODS_HEADER}<table:table-row table:number-rows-repeated="1000000"><table:table-cell office:value-type="float" office:value="13800138000" table:number-columns-repeated="16384"/></table:table-row>"#
        ),
    )
}

fn spaces_ods(path: &Path) -> std::io::Result<()> {
    ods(
        path,
        &format!(
            r#"{ODS_HEADER}<table:table-row><table:table-cell office:value-type="string"><text:p>1<text:s text:c="3000000000"/></text:p></table:table-cell></table:table-row>"#
        ),
    )
}

/// Writes every corpus file into `dir`.
pub fn write_corpus(dir: &Path) -> std::io::Result<Vec<Hostile>> {
    type Writer = fn(&Path) -> std::io::Result<()>;
    let files: Vec<(&'static str, Writer, Expect)> = vec![
        (
            "bomb-cell.xlsx",
            bomb_cell,
            too_large("inflate at most 100×"),
        ),
        (
            "bomb-inline.xlsx",
            bomb_inline,
            too_large("inflate at most 100×"),
        ),
        (
            "long-cell.xlsx",
            |p| long_cell(p, false),
            too_large("32767 characters in one cell"),
        ),
        (
            "long-inline.xlsx",
            |p| long_cell(p, true),
            too_large("cell C5): at most 32767 characters"),
        ),
        (
            "big-cell.xlsx",
            big_cell,
            too_large("32767 characters in one cell"),
        ),
        (
            "many-parts.xlsx",
            many_parts,
            too_large("at most 10000 parts"),
        ),
        ("huge-dimension.xlsx", huge_dimension, Expect::Reads),
        (
            "far-right-rows.xlsx",
            far_right_rows,
            too_large("at most 32000000 cells"),
        ),
        ("columns-16k.xlsx", sixteen_k_columns, Expect::Reads),
        (
            "deep.xlsx",
            deep_xml,
            too_large("nested at most 128 levels"),
        ),
        (
            "long-tag.xlsx",
            long_tag,
            too_large("XML tags of at most 1 MB"),
        ),
        (
            "far-cells.xls",
            far_cells_xls,
            too_large("rectangles around the values"),
        ),
        (
            "declared-dimensions.xls",
            declared_dimensions_xls,
            too_large("rectangles around the values"),
        ),
        (
            "looping.xls",
            looping_xls,
            Expect::Error {
                code: "sheet.corrupt",
                message: "damaged",
            },
        ),
        (
            "repeated.ods",
            repeated_ods,
            too_large("rectangles around the values"),
        ),
        (
            "spaces.ods",
            spaces_ods,
            too_large("32767 characters in one cell"),
        ),
        (
            "latin1.csv",
            |p| std::fs::write(p, b"phone,name\n13800138000,caf\xe9\n"),
            Expect::Error {
                code: "sheet.encoding",
                message: "Line 2",
            },
        ),
        (
            "utf16-broken.csv",
            |p| {
                std::fs::write(
                    p,
                    [
                        0xFF, 0xFE, b'1', 0, 0x00, 0xD8, b',', 0, 0x00, 0xDC, 0x00, 0xDC,
                    ],
                )
            },
            Expect::Error {
                code: "sheet.encoding",
                message: "unknown text encoding",
            },
        ),
        (
            "gbk-broken.csv",
            |p| std::fs::write(p, b"\xca\xd6\xbb\xfa\xba\xc5\n\x81\x30\xff\n"),
            Expect::Error {
                code: "sheet.encoding",
                message: "unknown text encoding",
            },
        ),
        (
            "long-line.csv",
            |p| std::fs::write(p, noise(7 * 1024 * 1024, 3)),
            too_large("lines of at most 6 MB"),
        ),
    ];
    files
        .into_iter()
        .map(|(name, write, expect)| {
            let path = dir.join(name);
            write(&path)?;
            Ok(Hostile { name, path, expect })
        })
        .collect()
}
