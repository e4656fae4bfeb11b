//! One streaming pass over an XML part before calamine parses it, holding a few hundred
//! bytes whatever the part's size: it stops at the first cell whose text is over the cap
//! (so a 300 MB cell costs the time to inflate up to its first megabyte), at markup too long
//! or nested too deep, and, for .ods, at repeat counts that would make calamine lay out
//! billions of cells or spaces. It is not a validating parser: calamine still reports
//! malformed XML; this only bounds what parsing can cost.

use std::io::Read;
use std::sync::atomic::{AtomicBool, Ordering};

use crate::sheet::limits::{Limit, Limits};

/// Which part is scanned: what starts a cell, and what else to count.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Dialect {
    /// `xl/worksheets/*.xml`: cells are `<c r="B7">`.
    Worksheet,
    /// `xl/sharedStrings.xml`: one string per `<si>`.
    SharedStrings,
    /// ODS `content.xml`: `<table:table-cell>`, with row/column repeat counts and
    /// `<text:s text:c="N"/>` (N spaces).
    Ods,
}

/// Why the scan stopped.
#[derive(Debug)]
pub(crate) enum ScanStop {
    Limit {
        limit: Limit,
        cap: u64,
        /// 0-based position of the cell, when known.
        row: Option<usize>,
        column: Option<usize>,
    },
    Cancelled,
    Io(std::io::Error),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum State {
    Text,
    Markup,
}

/// Bytes of each tag kept to read its name and the attributes that matter.
const HEAD: usize = 512;

/// The scanner's state between chunks.
pub(crate) struct XmlScan<'a> {
    dialect: Dialect,
    limits: &'a Limits,
    cancel: Option<&'a AtomicBool>,
    state: State,
    markup: u64,
    head: [u8; HEAD],
    head_len: usize,
    quote: Option<u8>,
    /// The two bytes before the current one inside markup (to find `-->`, `]]>`, `?>`, `/>`).
    prev: [u8; 2],
    depth: u64,
    cell_text: u64,
    /// 0-based (row, column) of the current worksheet cell.
    cell: Option<(usize, usize)>,
    ods: OdsCounts,
}

/// Where .ods cells land once repeats are expanded, per table: calamine lays each table out
/// as a dense rectangle around its non-empty cells.
#[derive(Debug, Default)]
struct OdsCounts {
    row: u64,
    col: u64,
    row_repeat: u64,
    row_has_value: bool,
    /// (first row, last row, first column, last column) of the table's values.
    bounds: Option<(u64, u64, u64, u64)>,
    /// Cells of the tables finished so far.
    cells: u64,
}

impl OdsCounts {
    fn area(&self) -> u64 {
        self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            (r1 - r0 + 1).saturating_mul(c1 - c0 + 1)
        })
    }
}

fn local_name(name: &[u8]) -> &[u8] {
    match name.iter().position(|&b| b == b':') {
        Some(i) => &name[i + 1..],
        None => name,
    }
}

/// The value of attribute `name` in a tag's first bytes, as a number.
pub(super) fn attr_number(head: &[u8], name: &[u8]) -> Option<u64> {
    let mut from = 0;
    while let Some(at) = head[from..].windows(name.len()).position(|w| w == name) {
        let start = from + at;
        from = start + 1;
        // A whole attribute name: preceded by whitespace, followed by `=`.
        if start == 0 || !head[start - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = &head[start + name.len()..];
        let rest = rest.strip_prefix(b"=")?;
        let rest = rest
            .strip_prefix(b"\"")
            .or_else(|| rest.strip_prefix(b"'"))?;
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        return std::str::from_utf8(&rest[..digits]).ok()?.parse().ok();
    }
    None
}

/// The text value of attribute `name`.
fn attr_text<'h>(head: &'h [u8], name: &[u8]) -> Option<&'h [u8]> {
    let mut from = 0;
    while let Some(at) = head[from..].windows(name.len()).position(|w| w == name) {
        let start = from + at;
        from = start + 1;
        if start == 0 || !head[start - 1].is_ascii_whitespace() {
            continue;
        }
        let rest = head[start + name.len()..].strip_prefix(b"=")?;
        let quote = *rest.first()?;
        let rest = &rest[1..];
        let end = rest.iter().position(|&b| b == quote)?;
        return Some(&rest[..end]);
    }
    None
}

/// `B7` → (6, 1).
fn cell_ref(r: &[u8]) -> Option<(usize, usize)> {
    let letters = r.iter().take_while(|b| b.is_ascii_alphabetic()).count();
    if letters == 0 || letters > 3 {
        return None;
    }
    let col = r[..letters].iter().fold(0usize, |acc, b| {
        acc * 26 + (b.to_ascii_uppercase() - b'A') as usize + 1
    });
    let row: usize = std::str::from_utf8(&r[letters..]).ok()?.parse().ok()?;
    Some((row.checked_sub(1)?, col - 1))
}

impl<'a> XmlScan<'a> {
    pub(crate) fn new(
        dialect: Dialect,
        limits: &'a Limits,
        cancel: Option<&'a AtomicBool>,
    ) -> Self {
        XmlScan {
            dialect,
            limits,
            cancel,
            state: State::Text,
            markup: 0,
            head: [0; HEAD],
            head_len: 0,
            quote: None,
            prev: [0; 2],
            depth: 0,
            cell_text: 0,
            cell: None,
            ods: OdsCounts::default(),
        }
    }

    /// Scans the whole part.
    pub(crate) fn run(&mut self, mut part: impl Read) -> Result<(), ScanStop> {
        let mut buf = vec![0u8; 64 * 1024];
        loop {
            if self.cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
                return Err(ScanStop::Cancelled);
            }
            let n = match part.read(&mut buf) {
                Ok(0) => return Ok(()),
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(ScanStop::Io(e)),
            };
            self.feed(&buf[..n])?;
        }
    }

    fn stop(&self, limit: Limit, cap: u64) -> ScanStop {
        ScanStop::Limit {
            limit,
            cap,
            row: self.cell.map(|c| c.0),
            column: self.cell.map(|c| c.1),
        }
    }

    fn add_text(&mut self, n: u64) -> Result<(), ScanStop> {
        self.cell_text = self.cell_text.saturating_add(n);
        if self.cell_text > self.limits.max_xml_cell_text_bytes {
            return Err(self.stop(Limit::CellChars, self.limits.max_cell_chars));
        }
        Ok(())
    }

    /// Feeds the next bytes of the part.
    pub(crate) fn feed(&mut self, bytes: &[u8]) -> Result<(), ScanStop> {
        let mut i = 0;
        while i < bytes.len() {
            match self.state {
                State::Text => {
                    let rest = &bytes[i..];
                    match rest.iter().position(|&b| b == b'<') {
                        None => {
                            self.add_text(rest.len() as u64)?;
                            i = bytes.len();
                        }
                        Some(p) => {
                            self.add_text(p as u64)?;
                            i += p + 1;
                            self.state = State::Markup;
                            self.markup = 0;
                            self.head_len = 0;
                            self.quote = None;
                            self.prev = [0; 2];
                        }
                    }
                }
                State::Markup => {
                    // Runs of ordinary bytes in bulk; `>` and quotes one at a time.
                    let rest = &bytes[i..];
                    let run = rest
                        .iter()
                        .position(|&b| matches!(b, b'>' | b'"' | b'\''))
                        .unwrap_or(rest.len());
                    if run > 0 {
                        self.markup_run(&rest[..run])?;
                        i += run;
                        continue;
                    }
                    let b = bytes[i];
                    i += 1;
                    self.markup += 1;
                    if self.markup > self.limits.max_xml_markup_bytes {
                        return Err(self.stop(Limit::XmlMarkup, self.limits.max_xml_markup_bytes));
                    }
                    if self.head_len < HEAD {
                        self.head[self.head_len] = b;
                        self.head_len += 1;
                    }
                    let plain = !matches!(self.head[0], b'!' | b'?');
                    match self.quote {
                        Some(q) if b == q => self.quote = None,
                        Some(_) => {}
                        None if plain && (b == b'"' || b == b'\'') => self.quote = Some(b),
                        None if b == b'>' && self.markup_ends() => {
                            self.state = State::Text;
                            self.end_markup()?;
                        }
                        None => {}
                    }
                    self.prev = [self.prev[1], b];
                }
            }
        }
        Ok(())
    }

    /// Bytes inside markup that are neither `>` nor a quote.
    fn markup_run(&mut self, run: &[u8]) -> Result<(), ScanStop> {
        self.markup += run.len() as u64;
        if self.markup > self.limits.max_xml_markup_bytes {
            return Err(self.stop(Limit::XmlMarkup, self.limits.max_xml_markup_bytes));
        }
        let keep = run.len().min(HEAD - self.head_len);
        self.head[self.head_len..self.head_len + keep].copy_from_slice(&run[..keep]);
        self.head_len += keep;
        self.prev = match run {
            [.., a, b] => [*a, *b],
            [b] => [self.prev[1], *b],
            [] => self.prev,
        };
        Ok(())
    }

    /// At a `>`: whether it closes the current markup (comments, CDATA and processing
    /// instructions have their own endings and may hold `>`).
    fn markup_ends(&self) -> bool {
        let head = &self.head[..self.head_len];
        if head.starts_with(b"!--") {
            self.markup >= 6 && self.prev == *b"--"
        } else if head.starts_with(b"![CDATA[") {
            self.markup >= 11 && self.prev == *b"]]"
        } else if head.starts_with(b"?") {
            self.markup >= 3 && self.prev[1] == b'?'
        } else {
            true
        }
    }

    fn end_markup(&mut self) -> Result<(), ScanStop> {
        let head_len = self.head_len;
        let head = self.head;
        let head = &head[..head_len];
        match head.first() {
            Some(b'!') => {
                if head.starts_with(b"![CDATA[") {
                    self.add_text(self.markup.saturating_sub(11))?;
                }
                return Ok(());
            }
            Some(b'?') | None => return Ok(()),
            _ => {}
        }
        let closing = head[0] == b'/';
        let self_closing = !closing && self.prev[1] == b'/';
        let name_from = usize::from(closing);
        let name_len = head[name_from..]
            .iter()
            .position(|b| b.is_ascii_whitespace() || matches!(b, b'/' | b'>'))
            .unwrap_or(head.len() - name_from);
        let name = &head[name_from..name_from + name_len];
        if closing {
            self.depth = self.depth.saturating_sub(1);
            if self.dialect == Dialect::Ods {
                self.ods_close(name)?;
            }
            return Ok(());
        }
        if !self_closing {
            self.depth += 1;
            if self.depth > self.limits.max_xml_depth {
                return Err(self.stop(Limit::XmlDepth, self.limits.max_xml_depth));
            }
        }
        match self.dialect {
            Dialect::Worksheet if local_name(name) == b"c" => {
                self.cell_text = 0;
                self.cell = attr_text(head, b"r").and_then(cell_ref);
            }
            Dialect::SharedStrings if local_name(name) == b"si" => self.cell_text = 0,
            Dialect::Ods => self.ods_open(name, head, self_closing)?,
            _ => {}
        }
        Ok(())
    }

    fn ods_open(&mut self, name: &[u8], head: &[u8], self_closing: bool) -> Result<(), ScanStop> {
        match name {
            b"table:table" if !self_closing => {
                self.ods.row = 0;
                self.ods.bounds = None;
            }
            b"table:table-row" => {
                self.ods.col = 0;
                self.ods.row_has_value = false;
                self.ods.row_repeat = attr_number(head, b"table:number-rows-repeated")
                    .unwrap_or(1)
                    .max(1);
                if self_closing {
                    self.ods_close(name)?;
                }
            }
            b"table:table-cell" | b"table:covered-table-cell" => {
                self.cell_text = 0;
                let repeat = attr_number(head, b"table:number-columns-repeated")
                    .unwrap_or(1)
                    .max(1);
                let valued = !self_closing || attr_text(head, b"office:value-type").is_some();
                if valued {
                    let (r0, r1) = (
                        self.ods.row,
                        self.ods
                            .row
                            .saturating_add(self.ods.row_repeat.saturating_sub(1)),
                    );
                    let (c0, c1) = (self.ods.col, self.ods.col.saturating_add(repeat - 1));
                    self.ods.bounds = Some(match self.ods.bounds {
                        None => (r0, r1, c0, c1),
                        Some((a, b, c, d)) => (a.min(r0), b.max(r1), c.min(c0), d.max(c1)),
                    });
                    self.cell = Some((r0 as usize, c0 as usize));
                    self.ods_check()?;
                }
                self.ods.col = self.ods.col.saturating_add(repeat);
            }
            b"text:s" => {
                // calamine writes out N spaces.
                let n = attr_number(head, b"text:c").unwrap_or(1);
                self.add_text(n)?;
            }
            _ => {}
        }
        Ok(())
    }

    fn ods_close(&mut self, name: &[u8]) -> Result<(), ScanStop> {
        match name {
            b"table:table-row" => {
                self.ods.row = self.ods.row.saturating_add(self.ods.row_repeat);
                self.ods.row_repeat = 1;
            }
            b"table:table" => {
                self.ods.cells = self.ods.cells.saturating_add(self.ods.area());
                self.ods.bounds = None;
            }
            _ => {}
        }
        Ok(())
    }

    fn ods_check(&self) -> Result<(), ScanStop> {
        if self.ods.cells.saturating_add(self.ods.area()) > self.limits.max_dense_grid_cells {
            return Err(self.stop(Limit::DenseGridCells, self.limits.max_dense_grid_cells));
        }
        if self.ods.row >= self.limits.max_rows {
            return Err(self.stop(Limit::Rows, self.limits.max_rows));
        }
        Ok(())
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn scan(dialect: Dialect, xml: &[u8], limits: Limits) -> Result<(), ScanStop> {
        let mut s = XmlScan::new(dialect, &limits, None);
        // Odd chunk sizes: state must carry across chunk boundaries.
        for chunk in xml.chunks(7) {
            s.feed(chunk)?;
        }
        Ok(())
    }

    fn limit_of(r: Result<(), ScanStop>) -> Option<(Limit, Option<usize>, Option<usize>)> {
        match r {
            Err(ScanStop::Limit {
                limit, row, column, ..
            }) => Some((limit, row, column)),
            _ => None,
        }
    }

    proptest::proptest! {
        #[test]
        fn any_bytes_scan_without_panicking(
            bytes in proptest::collection::vec(proptest::sample::select(b"<>/!?-[]\"' =:abcrst0123CDATAtable:-cellrowsrepeated".to_vec()), 0..600),
            dialect in 0usize..3,
        ) {
            let dialect = [Dialect::Worksheet, Dialect::SharedStrings, Dialect::Ods][dialect];
            let limits = Limits { max_xml_depth: 8, max_xml_markup_bytes: 64, max_xml_cell_text_bytes: 64, max_dense_grid_cells: 100, ..Limits::default() };
            let _ = scan(dialect, &bytes, limits);
        }
    }

    #[test]
    fn a_cell_before_any_row_is_counted_not_a_panic() {
        let xml = br#"<table:table><table:table-cell office:value-type="float"/></table:table>"#;
        assert!(scan(Dialect::Ods, xml, Limits::default()).is_ok());
    }

    #[test]
    fn normal_markup_passes() {
        let xml = br#"<?xml version="1.0"?><!-- a > b --><worksheet a="x>y"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t><![CDATA[a<b>]]></t></is></c></row></sheetData></worksheet>"#;
        assert!(scan(Dialect::Worksheet, xml, Limits::default()).is_ok());
    }

    #[test]
    fn a_long_cell_stops_the_scan_at_its_position() {
        let limits = Limits {
            max_xml_cell_text_bytes: 10,
            ..Limits::default()
        };
        let ok = br#"<row><c r="A1"><v>0123456789</v></c><c r="B1"><v>0123456789</v></c></row>"#;
        assert!(scan(Dialect::Worksheet, ok, limits).is_ok());
        let long = br#"<row><c r="A1"><v>1</v></c><c r="AB12"><is><t>01234</t><t>56789x</t></is></c></row>"#;
        assert_eq!(
            limit_of(scan(Dialect::Worksheet, long, limits)),
            Some((Limit::CellChars, Some(11), Some(27)))
        );
        let strings = b"<sst><si><t>0123456789</t></si><si><t>0123456789A</t></si></sst>";
        assert_eq!(
            limit_of(scan(Dialect::SharedStrings, strings, limits)).map(|l| l.0),
            Some(Limit::CellChars)
        );
    }

    #[test]
    fn depth_and_markup_caps() {
        let limits = Limits {
            max_xml_depth: 5,
            max_xml_markup_bytes: 64,
            ..Limits::default()
        };
        let deep = "<a>".repeat(6);
        assert_eq!(
            limit_of(scan(Dialect::Worksheet, deep.as_bytes(), limits)).map(|l| l.0),
            Some(Limit::XmlDepth)
        );
        // Self-closing and closed elements do not add up.
        let flat = "<a><b/></a>".repeat(100);
        assert!(scan(Dialect::Worksheet, flat.as_bytes(), limits).is_ok());
        let tag = format!("<c r=\"A1\" x=\"{}\">", "y".repeat(100));
        assert_eq!(
            limit_of(scan(Dialect::Worksheet, tag.as_bytes(), limits)).map(|l| l.0),
            Some(Limit::XmlMarkup)
        );
        let comment = format!("<!--{}-->", "-> ".repeat(40));
        assert_eq!(
            limit_of(scan(Dialect::Worksheet, comment.as_bytes(), limits)).map(|l| l.0),
            Some(Limit::XmlMarkup)
        );
    }

    #[test]
    fn ods_repeats_and_spaces_are_counted() {
        let limits = Limits {
            max_dense_grid_cells: 1000,
            max_xml_cell_text_bytes: 100,
            ..Limits::default()
        };
        // Trailing empty repeats (what LibreOffice writes) cost nothing.
        let ok = br#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>x</text:p></table:table-cell><table:table-cell table:number-columns-repeated="16383"/></table:table-row><table:table-row table:number-rows-repeated="1048575"><table:table-cell table:number-columns-repeated="16384"/></table:table-row></table:table>"#;
        assert!(scan(Dialect::Ods, ok, limits).is_ok());
        let far = br#"<table:table><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row><table:table-row table:number-rows-repeated="5000"><table:table-cell/></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="1"/></table:table-row></table:table>"#;
        assert_eq!(
            limit_of(scan(Dialect::Ods, far, limits)).map(|l| l.0),
            Some(Limit::DenseGridCells)
        );
        let spaces = br#"<table:table><table:table-row><table:table-cell office:value-type="string"><text:p>a<text:s text:c="4000000000"/></text:p></table:table-cell></table:table-row></table:table>"#;
        assert_eq!(
            limit_of(scan(Dialect::Ods, spaces, limits)),
            Some((Limit::CellChars, Some(0), Some(0)))
        );
    }
}
