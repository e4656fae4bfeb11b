//! One sheet's cells held in memory compactly: per cell a kind byte and an end offset into
//! one text arena, so a 1,000,000-row file costs its text plus five bytes per cell instead of
//! one heap string each.

use std::fmt::Write;

use super::limits::{Limit, Limits};

/// Writes a float as the shortest text that parses back to the same value: integer values
/// (phone numbers typed without a text format) as plain digits, anything else in exponent
/// form, which stays short for every magnitude. `-0` keeps its sign.
fn number_text(out: &mut String, n: f64) {
    if n.fract() == 0.0 && n.abs() < 1e15 && !(n == 0.0 && n.is_sign_negative()) {
        let _ = write!(out, "{}", n as i64);
    } else {
        let _ = write!(out, "{n:e}");
    }
}

/// A cell as the pipeline sees it, borrowing its text from the sheet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellRef<'a> {
    /// No value.
    Empty,
    /// Text exactly as stored (shared strings, inline strings, CSV fields).
    Text(&'a str),
    /// A floating-point number (Excel stores every number this way).
    Number(f64),
    /// An integer (xls/xlsb RK integers, ODS).
    Int(i64),
    /// TRUE / FALSE.
    Bool(bool),
    /// A date or time, already written as ISO text (`2024-05-01` or `2024-05-01 08:30:00`).
    Date(&'a str),
    /// An error value such as `#N/A`, as Excel shows it.
    Error(&'a str),
}

/// What a slot holds; its bytes in the arena say the rest.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[repr(u8)]
enum Kind {
    /// A gap left of a later cell in the row.
    Empty,
    Text,
    Date,
    Error,
    /// The number as its shortest exact text (see [`number_text`]): no second per-slot
    /// array, and a phone number stored as a number costs its 11 digits.
    Number,
    /// Decimal digits.
    Int,
    True,
    False,
}

/// The cells of one sheet. Row index 0 is the sheet's first row (row number 1), column 0 is A;
/// rows keep only the cells up to their last non-empty one.
///
/// Each slot costs five bytes besides its text: its kind, and where its bytes end in the
/// arena (they start where the previous slot's end). A 1,000,000-row sheet has millions of
/// cells, and an offset-and-length pair per cell was half the sheet's memory.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    kinds: Vec<Kind>,
    ends: Vec<u32>,
    row_starts: Vec<u32>,
    arena: String,
    width: usize,
}

impl Grid {
    /// Number of rows, counting empty rows above and between data.
    pub fn height(&self) -> usize {
        self.row_starts.len().saturating_sub(1)
    }

    /// One past the rightmost non-empty column.
    pub fn width(&self) -> usize {
        self.width
    }

    /// The cell at a 0-based position; `Empty` outside the data.
    pub fn cell(&self, row: usize, col: usize) -> CellRef<'_> {
        match self.row_range(row) {
            Some((start, end)) if col < end - start => self.resolve(start + col),
            _ => CellRef::Empty,
        }
    }

    /// Cells stored for a row (trailing empty cells trimmed).
    pub fn row_len(&self, row: usize) -> usize {
        self.row_range(row).map_or(0, |(start, end)| end - start)
    }

    /// True when no cell of the row holds a value.
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.row_range(row).is_none_or(|(start, end)| {
            (start..end).all(|i| match self.kinds[i] {
                Kind::Empty => true,
                Kind::Text => self.bytes(i).trim().is_empty(),
                _ => false,
            })
        })
    }

    /// The slot indexes of a row, checked against the slot vectors.
    fn row_range(&self, row: usize) -> Option<(usize, usize)> {
        let start = *self.row_starts.get(row)? as usize;
        let end = *self.row_starts.get(row + 1)? as usize;
        (start <= end && end <= self.kinds.len()).then_some((start, end))
    }

    fn bytes(&self, slot: usize) -> &str {
        let start = match slot {
            0 => 0,
            i => self.ends[i - 1] as usize,
        };
        self.arena
            .get(start..self.ends[slot] as usize)
            .unwrap_or("")
    }

    fn resolve(&self, slot: usize) -> CellRef<'_> {
        match self.kinds[slot] {
            Kind::Empty => CellRef::Empty,
            Kind::Text => match self.bytes(slot) {
                "" => CellRef::Empty,
                t => CellRef::Text(t),
            },
            Kind::Date => CellRef::Date(self.bytes(slot)),
            Kind::Error => CellRef::Error(self.bytes(slot)),
            Kind::Number => CellRef::Number(self.bytes(slot).parse().unwrap_or(f64::NAN)),
            Kind::Int => CellRef::Int(self.bytes(slot).parse().unwrap_or(0)),
            Kind::True => CellRef::Bool(true),
            Kind::False => CellRef::Bool(false),
        }
    }

    /// Approximate bytes held, for diagnostics.
    pub fn heap_bytes(&self) -> usize {
        self.kinds.capacity()
            + self.ends.capacity() * 4
            + self.row_starts.capacity() * 4
            + self.arena.capacity()
    }
}

/// A value handed to [`GridBuilder::push`].
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum CellInput<'a> {
    Empty,
    Text(&'a str),
    Number(f64),
    Int(i64),
    Bool(bool),
    Date(&'a str),
    Error(&'a str),
}

/// Why the builder stopped: a cap from [`Limits`] was reached.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CapReached {
    pub limit: Limit,
    pub cap: u64,
    /// 0-based row where it happened.
    pub row: usize,
    /// 0-based column, when one cell is the cause.
    pub column: Option<usize>,
}

/// A cell that arrived after a cell to its right or below: (row, col, kind, its bytes'
/// range in `GridBuilder::late_text`).
type LateCell = (u32, u32, Kind, u32, u32);

/// Builds a [`Grid`] from cells given in row-major order (out-of-order cells are sorted once
/// at the end, which some hand-made files need).
#[derive(Debug)]
pub struct GridBuilder {
    grid: Grid,
    limits: Limits,
    current_row: usize,
    current_row_start: usize,
    late: Vec<LateCell>,
    /// Reused for the text of number cells.
    scratch: String,
    /// Out-of-order cells' bytes: kept apart, since a slot's bytes must follow the
    /// previous slot's in the arena.
    late_text: String,
}

impl GridBuilder {
    pub fn new(limits: Limits) -> Self {
        GridBuilder {
            grid: Grid {
                row_starts: vec![0],
                ..Grid::default()
            },
            limits,
            current_row: 0,
            current_row_start: 0,
            late: Vec::new(),
            scratch: String::new(),
            late_text: String::new(),
        }
    }

    fn check_row(&self, row: usize) -> Result<(), CapReached> {
        if row as u64 >= self.limits.max_rows {
            return Err(CapReached {
                limit: Limit::Rows,
                cap: self.limits.max_rows,
                row,
                column: None,
            });
        }
        Ok(())
    }

    fn check_text(&self, added: usize, row: usize) -> Result<(), CapReached> {
        let end = self.grid.arena.len() + self.late_text.len() + added;
        if end as u64 > self.limits.max_text_bytes || end > u32::MAX as usize {
            return Err(CapReached {
                limit: Limit::TextBytes,
                cap: self.limits.max_text_bytes,
                row,
                column: None,
            });
        }
        Ok(())
    }

    /// Adds a cell at a 0-based position.
    pub fn push(&mut self, row: usize, col: usize, value: CellInput<'_>) -> Result<(), CapReached> {
        if matches!(value, CellInput::Empty) {
            return Ok(());
        }
        if let CellInput::Text(t) = value {
            if t.is_empty() {
                return Ok(());
            }
            // Bytes bound characters from above: count only when it could matter.
            if t.len() as u64 > self.limits.max_cell_chars
                && t.chars().count() as u64 > self.limits.max_cell_chars
            {
                return Err(CapReached {
                    limit: Limit::CellChars,
                    cap: self.limits.max_cell_chars,
                    row,
                    column: Some(col),
                });
            }
        }
        self.check_row(row)?;
        if col as u64 >= self.limits.max_columns {
            return Err(CapReached {
                limit: Limit::Columns,
                cap: self.limits.max_columns,
                row,
                column: None,
            });
        }
        if self.grid.kinds.len() as u64 + self.late.len() as u64 >= self.limits.max_cells {
            return Err(CapReached {
                limit: Limit::Cells,
                cap: self.limits.max_cells,
                row,
                column: None,
            });
        }
        let mut scratch = std::mem::take(&mut self.scratch);
        scratch.clear();
        let (kind, text) = match value {
            CellInput::Empty => (Kind::Empty, ""),
            CellInput::Text(t) => (Kind::Text, t),
            CellInput::Date(t) => (Kind::Date, t),
            CellInput::Error(t) => (Kind::Error, t),
            CellInput::Number(n) => {
                number_text(&mut scratch, n);
                (Kind::Number, scratch.as_str())
            }
            CellInput::Int(n) => {
                let _ = write!(scratch, "{n}");
                (Kind::Int, scratch.as_str())
            }
            CellInput::Bool(true) => (Kind::True, ""),
            CellInput::Bool(false) => (Kind::False, ""),
        };
        let stored = self.store(row, col, kind, text);
        self.scratch = scratch;
        stored
    }

    fn store(&mut self, row: usize, col: usize, kind: Kind, text: &str) -> Result<(), CapReached> {
        self.check_text(text.len(), row)?;
        let in_row = self.grid.kinds.len() - self.current_row_start;
        if row < self.current_row || (row == self.current_row && col < in_row) {
            let start = self.late_text.len() as u32;
            self.late_text.push_str(text);
            let end = self.late_text.len() as u32;
            self.late.push((row as u32, col as u32, kind, start, end));
            return Ok(());
        }
        self.start_rows_until(row);
        let in_row = self.grid.kinds.len() - self.current_row_start;
        let gap_end = self.grid.arena.len() as u32;
        for _ in in_row..col {
            self.grid.kinds.push(Kind::Empty);
            self.grid.ends.push(gap_end);
        }
        self.grid.arena.push_str(text);
        self.grid.kinds.push(kind);
        self.grid.ends.push(self.grid.arena.len() as u32);
        self.grid.width = self.grid.width.max(col + 1);
        Ok(())
    }

    fn start_rows_until(&mut self, row: usize) {
        while self.current_row < row {
            self.grid.row_starts.push(self.grid.kinds.len() as u32);
            self.current_row += 1;
            self.current_row_start = self.grid.kinds.len();
        }
    }

    /// Marks that rows up to `row` (0-based, inclusive) exist even if they hold no cells.
    pub fn touch_row(&mut self, row: usize) -> Result<(), CapReached> {
        self.check_row(row)?;
        self.start_rows_until(row);
        Ok(())
    }

    /// Finishes the grid.
    pub fn finish(mut self) -> Grid {
        self.grid.row_starts.push(self.grid.kinds.len() as u32);
        if self.late.is_empty() {
            trim_trailing_blank_rows(&mut self.grid);
            return self.grid;
        }
        // Rare path: rebuild from all cells sorted by position; in-order cells first, so
        // after the stable sort the first cell at a position is the one kept, as before.
        let old = std::mem::take(&mut self.grid);
        let mut all: Vec<LateCell> = Vec::with_capacity(old.kinds.len() + self.late.len());
        for row in 0..old.height() {
            let Some((start, end)) = old.row_range(row) else {
                continue;
            };
            for (col, i) in (start..end).enumerate() {
                if old.kinds[i] != Kind::Empty {
                    let from = if i == 0 { 0 } else { old.ends[i - 1] };
                    all.push((row as u32, col as u32, old.kinds[i], from, old.ends[i]));
                }
            }
        }
        // Late cells' bytes sit after the in-order ones in one combined text.
        let offset = old.arena.len() as u32;
        let mut text = old.arena;
        text.push_str(&self.late_text);
        all.extend(
            self.late
                .iter()
                .map(|&(r, c, k, a, b)| (r, c, k, a + offset, b + offset)),
        );
        all.sort_by_key(|&(r, c, ..)| (r, c));
        all.dedup_by_key(|&mut (r, c, ..)| (r, c));
        let mut grid = Grid {
            kinds: Vec::with_capacity(all.len()),
            ends: Vec::with_capacity(all.len()),
            row_starts: vec![0],
            arena: String::with_capacity(text.len()),
            width: 0,
        };
        let mut row = 0u32;
        let mut row_start = 0usize;
        for (r, c, kind, a, b) in all {
            while row < r {
                grid.row_starts.push(grid.kinds.len() as u32);
                row += 1;
                row_start = grid.kinds.len();
            }
            while grid.kinds.len() - row_start < c as usize {
                grid.kinds.push(Kind::Empty);
                grid.ends.push(grid.arena.len() as u32);
            }
            grid.arena
                .push_str(text.get(a as usize..b as usize).unwrap_or(""));
            grid.kinds.push(kind);
            grid.ends.push(grid.arena.len() as u32);
            grid.width = grid.width.max(c as usize + 1);
        }
        grid.row_starts.push(grid.kinds.len() as u32);
        trim_trailing_blank_rows(&mut grid);
        grid
    }
}

fn trim_trailing_blank_rows(grid: &mut Grid) {
    trim_rows(grid);
    // Growth by doubling leaves up to half of each buffer unused; a sheet lives as long as
    // its contact list, so give it back.
    grid.kinds.shrink_to_fit();
    grid.ends.shrink_to_fit();
    grid.arena.shrink_to_fit();
    grid.row_starts.shrink_to_fit();
}

fn trim_rows(grid: &mut Grid) {
    while grid.height() > 0 && grid.row_len(grid.height() - 1) == 0 {
        grid.row_starts.pop();
    }
    if grid.row_starts.is_empty() {
        grid.row_starts.push(0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cells_round_trip_and_gaps_are_empty() {
        let mut b = GridBuilder::new(Limits::default());
        b.push(0, 0, CellInput::Text("手机号")).unwrap();
        b.push(0, 2, CellInput::Text("姓名")).unwrap();
        b.push(2, 0, CellInput::Number(13800138000.0)).unwrap();
        b.push(1, 1, CellInput::Int(7)).unwrap(); // out of order
        let g = b.finish();
        assert_eq!(g.height(), 3);
        assert_eq!(g.width(), 3);
        assert_eq!(g.cell(0, 0), CellRef::Text("手机号"));
        assert_eq!(g.cell(0, 1), CellRef::Empty);
        assert_eq!(g.cell(1, 1), CellRef::Int(7));
        assert_eq!(g.cell(2, 0), CellRef::Number(13800138000.0));
        assert_eq!(g.cell(9, 9), CellRef::Empty);
    }

    #[test]
    fn every_kind_round_trips_exactly_also_out_of_order() {
        let values = [
            CellInput::Text("张三"),
            CellInput::Number(13800138000.0),
            CellInput::Number(-0.1),
            CellInput::Number(-0.0),
            CellInput::Number(1e300),
            CellInput::Int(i64::MIN),
            CellInput::Bool(true),
            CellInput::Bool(false),
            CellInput::Date("2024-05-01 08:30:00"),
            CellInput::Error("#N/A"),
        ];
        let expected = [
            CellRef::Text("张三"),
            CellRef::Number(13800138000.0),
            CellRef::Number(-0.1),
            CellRef::Number(-0.0),
            CellRef::Number(1e300),
            CellRef::Int(i64::MIN),
            CellRef::Bool(true),
            CellRef::Bool(false),
            CellRef::Date("2024-05-01 08:30:00"),
            CellRef::Error("#N/A"),
        ];
        // In order, with a gap; then the same values pushed right to left, which takes the
        // rebuild path.
        let mut b = GridBuilder::new(Limits::default());
        for (c, v) in values.iter().enumerate() {
            b.push(0, c * 2, *v).unwrap();
        }
        let mut late = GridBuilder::new(Limits::default());
        for (c, v) in values.iter().enumerate().rev() {
            late.push(1, c * 2, *v).unwrap();
        }
        late.push(2, 0, CellInput::Text("after")).unwrap();
        late.push(
            1,
            0,
            CellInput::Text("ignored: the first value at a cell is kept"),
        )
        .unwrap();
        let (g, l) = (b.finish(), late.finish());
        for (c, want) in expected.iter().enumerate() {
            assert_eq!(g.cell(0, c * 2), *want, "column {}", c * 2);
            assert_eq!(g.cell(0, c * 2 + 1), CellRef::Empty);
            assert_eq!(l.cell(1, c * 2), *want, "late column {}", c * 2);
        }
        assert_eq!(l.cell(2, 0), CellRef::Text("after"));
        assert_eq!((l.height(), l.width()), (3, 2 * values.len() - 1));
        assert!(matches!(g.cell(0, 6), CellRef::Number(z) if z.is_sign_negative()));
        assert!(l.row_is_blank(0));
        assert!(!l.row_is_blank(1));
    }

    proptest::proptest! {
        #[test]
        fn numbers_are_stored_exactly(bits in proptest::num::u64::ANY, i in proptest::num::i64::ANY) {
            let f = f64::from_bits(bits);
            let mut b = GridBuilder::new(Limits::default());
            b.push(0, 0, CellInput::Number(f)).unwrap();
            b.push(0, 1, CellInput::Int(i)).unwrap();
            let g = b.finish();
            match g.cell(0, 0) {
                CellRef::Number(back) if f.is_nan() => proptest::prop_assert!(back.is_nan()),
                CellRef::Number(back) => proptest::prop_assert_eq!(back.to_bits(), f.to_bits()),
                other => proptest::prop_assert!(false, "{other:?}"),
            }
            proptest::prop_assert_eq!(g.cell(0, 1), CellRef::Int(i));
        }
    }

    #[test]
    fn text_cap_counts_every_stored_byte() {
        let limits = Limits {
            max_text_bytes: 8,
            ..Limits::default()
        };
        let mut b = GridBuilder::new(limits);
        b.push(0, 0, CellInput::Text("12345678")).unwrap();
        b.push(1, 0, CellInput::Bool(true)).unwrap();
        let err = b.push(1, 1, CellInput::Text("x")).unwrap_err();
        assert_eq!(err.limit, Limit::TextBytes);
    }

    #[test]
    fn cell_character_cap_counts_characters_not_bytes() {
        let limits = Limits {
            max_cell_chars: 4,
            ..Limits::default()
        };
        let mut b = GridBuilder::new(limits);
        // Four CJK characters are 12 bytes but within a 4-character cap.
        b.push(0, 0, CellInput::Text("张三李四")).unwrap();
        let err = b.push(3, 2, CellInput::Text("张三李四王")).unwrap_err();
        assert_eq!(
            (err.limit, err.cap, err.row, err.column),
            (Limit::CellChars, 4, 3, Some(2))
        );
    }

    #[test]
    fn row_cap_is_reported() {
        let limits = Limits {
            max_rows: 2,
            ..Limits::default()
        };
        let mut b = GridBuilder::new(limits);
        b.push(1, 0, CellInput::Bool(true)).unwrap();
        let err = b.push(2, 0, CellInput::Bool(true)).unwrap_err();
        assert_eq!(err.limit, Limit::Rows);
        assert_eq!(err.cap, 2);
    }
}
