//! Delimited text (.csv, .txt): encoding detection (BOM, strict UTF-8, else GB18030, which
//! covers GBK files saved by Chinese Excel) and delimiter sniffing (`,` `;` tab `|`).

use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use encoding_rs::{Encoding, GB18030, UTF_16BE, UTF_16LE, UTF_8};

use crate::sheet::error::SheetError;
use crate::sheet::grid::{CellInput, Grid, GridBuilder};
use crate::sheet::limits::Limits;

/// Which encoding the text was read as.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum TextEncoding {
    Utf8,
    Utf8Bom,
    Utf16,
    Gb18030,
}

/// Decodes file bytes to text (without copying when they already are UTF-8), or says which
/// line could not be decoded.
pub fn decode(file: &Path, mut bytes: Vec<u8>) -> Result<(String, TextEncoding), SheetError> {
    let encoding_error = |line| SheetError::Encoding {
        file: file.to_path_buf(),
        line,
    };
    if let Some((enc, bom_len)) = Encoding::for_bom(&bytes) {
        if enc == UTF_8 {
            bytes.drain(..bom_len);
            return match String::from_utf8(bytes) {
                Ok(text) => Ok((text, TextEncoding::Utf8Bom)),
                Err(e) => {
                    let text = String::from_utf8_lossy(e.as_bytes());
                    Err(encoding_error(replacement_line(&text).unwrap_or(1)))
                }
            };
        }
        let kind = if enc == UTF_16LE || enc == UTF_16BE {
            TextEncoding::Utf16
        } else {
            TextEncoding::Utf8
        };
        let text = enc
            .decode_without_bom_handling(&bytes[bom_len..])
            .0
            .into_owned();
        if let Some(line) = replacement_line(&text) {
            return Err(encoding_error(line));
        }
        return Ok((text, kind));
    }
    if bytes.contains(&0) {
        return Err(SheetError::NotASpreadsheet {
            file: file.to_path_buf(),
        });
    }
    let bytes = match String::from_utf8(bytes) {
        Ok(text) => return Ok((text, TextEncoding::Utf8)),
        Err(e) => e.into_bytes(),
    };
    let (text, had_errors) = GB18030.decode_without_bom_handling(&bytes);
    if had_errors {
        return Err(encoding_error(replacement_line(&text).unwrap_or(1)));
    }
    Ok((text.into_owned(), TextEncoding::Gb18030))
}

fn replacement_line(text: &str) -> Option<usize> {
    let pos = text.find('\u{FFFD}')?;
    Some(text[..pos].matches('\n').count() + 1)
}

/// True when most of the bytes are control characters: a binary file, not text.
pub fn looks_binary(text: &str) -> bool {
    let sample: Vec<char> = text.chars().take(4096).collect();
    let controls = sample
        .iter()
        .filter(|c| c.is_control() && !matches!(c, '\n' | '\r' | '\t' | '\u{c}'))
        .count();
    !sample.is_empty() && controls * 20 > sample.len()
}

/// Picks the delimiter that splits the first lines most consistently.
pub fn sniff_delimiter(text: &str) -> u8 {
    let lines: Vec<&str> = text
        .lines()
        .filter(|l| !l.trim().is_empty())
        .take(50)
        .collect();
    let mut best = (b',', 0usize, 0usize);
    for d in [b',', b'\t', b';', b'|'] {
        let counts: Vec<usize> = lines.iter().map(|l| count_outside_quotes(l, d)).collect();
        let Some(&first) = counts.first() else {
            continue;
        };
        let consistent = counts.iter().filter(|&&c| c == first && c > 0).count();
        let total: usize = counts.iter().sum();
        if first > 0 && (consistent > best.1 || (consistent == best.1 && total > best.2)) {
            best = (d, consistent, total);
        }
    }
    best.0
}

fn count_outside_quotes(line: &str, d: u8) -> usize {
    let mut quoted = false;
    let mut n = 0;
    for b in line.bytes() {
        if b == b'"' {
            quoted = !quoted;
        } else if b == d && !quoted {
            n += 1;
        }
    }
    n
}

/// The 0-based number of the first line longer than `max_bytes`, if any.
pub fn first_long_line(text: &str, max_bytes: u64) -> Option<usize> {
    if (text.len() as u64) <= max_bytes {
        return None;
    }
    text.split('\n')
        .position(|line| line.len() as u64 > max_bytes)
}

/// Records between two looks at the cancel flag.
const CANCEL_EVERY_RECORDS: usize = 1 << 14;

/// Parses decoded text into a grid, one record per row (quoted fields may span lines).
pub fn parse(
    file: &Path,
    text: &str,
    delimiter: u8,
    limits: Limits,
    cancel: Option<&AtomicBool>,
) -> Result<Grid, SheetError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut builder = GridBuilder::new(limits);
    let mut record = csv::ByteRecord::new();
    // The csv crate skips blank lines; Excel shows them as rows. Row numbers must match
    // what the user sees, so blank lines between records are counted back in.
    let mut row = 0usize;
    // Line breaks before the current record, and those inside quoted fields so far.
    let (mut newlines, mut embedded, mut scanned) = (0usize, 0usize, 0usize);
    let too_large = |e: crate::sheet::grid::CapReached| SheetError::TooLarge {
        file: file.to_path_buf(),
        sheet: None,
        row: Some(e.row),
        column: e.column,
        limit: e.limit,
        cap: e.cap,
    };
    let mut records = 0usize;
    loop {
        records += 1;
        if records % CANCEL_EVERY_RECORDS == 0 && cancel.is_some_and(|c| c.load(Ordering::Relaxed))
        {
            return Err(SheetError::Cancelled {
                file: file.to_path_buf(),
            });
        }
        match reader.read_byte_record(&mut record) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                return Err(SheetError::Corrupt {
                    file: file.to_path_buf(),
                    detail: format!("row {}: {e}", row + 1),
                })
            }
        }
        if let Some(pos) = record.position() {
            // The record's position is where the reader stood before skipping blank lines;
            // find where its content really starts and count the lines on the way.
            let bytes = text.as_bytes();
            let mut start = (pos.byte() as usize).max(scanned);
            while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
                start += 1;
            }
            newlines += bytes[scanned..start.min(bytes.len())]
                .iter()
                .filter(|&&b| b == b'\n')
                .count();
            scanned = start.min(bytes.len());
            row = newlines - embedded;
            let inside: usize = record
                .iter()
                .map(|f| f.iter().filter(|&&b| b == b'\n').count())
                .sum();
            embedded += inside;
        }
        builder.touch_row(row).map_err(too_large)?;
        for (col, field) in record.iter().enumerate() {
            // The input is a &str and the delimiter ASCII, so every field is valid UTF-8.
            let field = std::str::from_utf8(field).unwrap_or("");
            builder
                .push(row, col, CellInput::Text(field))
                .map_err(too_large)?;
        }
        row += 1;
    }
    Ok(builder.finish())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid::CellRef;

    #[test]
    fn encodings() {
        let p = Path::new("a.csv");
        assert_eq!(
            decode(p, "手机号\n".as_bytes().to_vec()).unwrap().1,
            TextEncoding::Utf8
        );
        assert_eq!(
            decode(p, b"\xEF\xBB\xBFx".to_vec()).unwrap(),
            ("x".into(), TextEncoding::Utf8Bom)
        );
        let (gbk, _, _) = GB18030.encode("手机号,姓名\n13800138000,张三\n");
        assert_eq!(
            decode(p, gbk.to_vec()).unwrap(),
            (
                "手机号,姓名\n13800138000,张三\n".into(),
                TextEncoding::Gb18030
            )
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("号\tx".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(p, utf16).unwrap().0, "号\tx");
        assert_eq!(
            decode(p, b"ok\nbad \x81,\n".to_vec()).unwrap_err().code(),
            "sheet.encoding"
        );
        assert_eq!(
            decode(p, b"a\0b".to_vec()).unwrap_err().code(),
            "sheet.not_a_spreadsheet"
        );
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_decode_or_error_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..400), bom in 0usize..4) {
            // Garbage behind each BOM, and without one.
            let boms: [&[u8]; 4] = [b"", b"\xEF\xBB\xBF", b"\xFF\xFE", b"\xFE\xFF"];
            let mut input = boms[bom].to_vec();
            input.extend(&bytes);
            if let Ok((text, _)) = decode(Path::new("g.csv"), input) {
                let _ = looks_binary(&text);
                let d = sniff_delimiter(&text);
                let _ = parse(Path::new("g.csv"), &text, d, Limits::default(), None);
            }
        }

        #[test]
        fn any_text_parses_or_errors_without_panicking(s in "[a-z0-9,;\t|\"\r\n 张]{0,200}") {
            let d = sniff_delimiter(&s);
            if let Ok(g) = parse(Path::new("p.csv"), &s, d, Limits::default(), None) {
                // Every record line is somewhere in the grid: no more rows than lines.
                proptest::prop_assert!(g.height() <= s.matches('\n').count() + 1);
            }
        }
    }

    #[test]
    fn delimiters_and_quotes() {
        assert_eq!(sniff_delimiter("a;b;c\n1;2;3\n"), b';');
        assert_eq!(sniff_delimiter("a\tb\n1\t2\n"), b'\t');
        assert_eq!(sniff_delimiter("\"x,y\";b\n1;2\n"), b';');
        assert_eq!(sniff_delimiter("phone\n138\n"), b',');
        let g = parse(
            Path::new("a.csv"),
            "a,\"b,\nc\"\n1,2\n",
            b',',
            Limits::default(),
            None,
        )
        .unwrap();
        assert_eq!(g.cell(0, 1), CellRef::Text("b,\nc"));
        assert_eq!(g.cell(1, 0), CellRef::Text("1"));
        // Blank lines keep their row numbers, also after a multi-line field.
        let g = parse(
            Path::new("a.csv"),
            "t\r\n\r\nh\n\"x\ny\"\n\nlast\n",
            b',',
            Limits::default(),
            None,
        )
        .unwrap();
        assert_eq!(g.cell(0, 0), CellRef::Text("t"));
        assert_eq!(g.cell(1, 0), CellRef::Empty);
        assert_eq!(g.cell(2, 0), CellRef::Text("h"));
        assert_eq!(g.cell(3, 0), CellRef::Text("x\ny"));
        assert_eq!(g.cell(4, 0), CellRef::Empty);
        assert_eq!(g.cell(5, 0), CellRef::Text("last"));
    }
}
