//! Delimited text (.csv, .txt): encoding detection (BOM, strict UTF-8, else GB18030, which
//! covers GBK files saved by Chinese Excel) and delimiter sniffing (`,` `;` tab `|`).

use std::path::Path;

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

/// Decodes file bytes to text, or says which line could not be decoded.
pub fn decode(file: &Path, bytes: &[u8]) -> Result<(String, TextEncoding), SheetError> {
    if let Some((enc, bom_len)) = Encoding::for_bom(bytes) {
        let body = &bytes[bom_len..];
        let (text, kind) = if enc == UTF_8 {
            (enc.decode_without_bom_handling(body), TextEncoding::Utf8Bom)
        } else if enc == UTF_16LE || enc == UTF_16BE {
            (enc.decode_without_bom_handling(body), TextEncoding::Utf16)
        } else {
            (enc.decode_without_bom_handling(body), TextEncoding::Utf8)
        };
        let text = text.0.into_owned();
        if let Some(line) = replacement_line(&text) {
            return Err(SheetError::Encoding {
                file: file.to_path_buf(),
                line,
            });
        }
        return Ok((text, kind));
    }
    if bytes.contains(&0) {
        return Err(SheetError::NotASpreadsheet {
            file: file.to_path_buf(),
        });
    }
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok((text.to_string(), TextEncoding::Utf8));
    }
    let (text, had_errors) = GB18030.decode_without_bom_handling(bytes);
    if had_errors {
        let line = replacement_line(&text).unwrap_or(1);
        return Err(SheetError::Encoding {
            file: file.to_path_buf(),
            line,
        });
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

/// Parses decoded text into a grid, one record per row (quoted fields may span lines).
pub fn parse(file: &Path, text: &str, delimiter: u8, limits: Limits) -> Result<Grid, SheetError> {
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .delimiter(delimiter)
        .from_reader(text.as_bytes());
    let mut builder = GridBuilder::new(limits);
    let mut record = csv::ByteRecord::new();
    let mut row = 0usize;
    let too_large = |e: crate::sheet::grid::CapReached| SheetError::TooLarge {
        file: file.to_path_buf(),
        sheet: None,
        row: Some(e.row),
        limit: e.limit,
        cap: e.cap,
    };
    loop {
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
            decode(p, "手机号\n".as_bytes()).unwrap().1,
            TextEncoding::Utf8
        );
        assert_eq!(
            decode(p, b"\xEF\xBB\xBFx").unwrap(),
            ("x".into(), TextEncoding::Utf8Bom)
        );
        let (gbk, _, _) = GB18030.encode("手机号,姓名\n13800138000,张三\n");
        assert_eq!(
            decode(p, &gbk).unwrap(),
            (
                "手机号,姓名\n13800138000,张三\n".into(),
                TextEncoding::Gb18030
            )
        );
        let utf16: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("号\tx".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode(p, &utf16).unwrap().0, "号\tx");
        assert_eq!(
            decode(p, b"ok\nbad \x81,\n").unwrap_err().code(),
            "sheet.encoding"
        );
        assert_eq!(
            decode(p, b"a\0b").unwrap_err().code(),
            "sheet.not_a_spreadsheet"
        );
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
        )
        .unwrap();
        assert_eq!(g.cell(0, 1), CellRef::Text("b,\nc"));
        assert_eq!(g.cell(1, 0), CellRef::Text("1"));
    }
}
