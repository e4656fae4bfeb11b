//! One sheet's cells held in memory compactly: a row-major slot vector plus one text arena,
//! so a 1,000,000-row file costs a few tens of bytes per cell instead of one heap string each.

use super::limits::{Limit, Limits};

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

#[derive(Debug, Clone, Copy, PartialEq)]
enum Slot {
    Empty,
    Text(u32, u32),
    Date(u32, u32),
    Error(u32, u32),
    Number(f64),
    Int(i64),
    Bool(bool),
}

/// The cells of one sheet. Row index 0 is the sheet's first row (row number 1), column 0 is A;
/// rows keep only the cells up to their last non-empty one.
#[derive(Debug, Clone, Default)]
pub struct Grid {
    slots: Vec<Slot>,
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
        let Some(cells) = self.row_slots(row) else {
            return CellRef::Empty;
        };
        match cells.get(col) {
            Some(slot) => self.resolve(*slot),
            None => CellRef::Empty,
        }
    }

    /// Cells stored for a row (trailing empty cells trimmed).
    pub fn row_len(&self, row: usize) -> usize {
        self.row_slots(row).map_or(0, <[Slot]>::len)
    }

    /// True when no cell of the row holds a value.
    pub fn row_is_blank(&self, row: usize) -> bool {
        self.row_slots(row).is_none_or(|cells| {
            cells.iter().all(|s| match s {
                Slot::Empty => true,
                Slot::Text(a, b) => self.text(*a, *b).trim().is_empty(),
                _ => false,
            })
        })
    }

    fn row_slots(&self, row: usize) -> Option<&[Slot]> {
        let start = *self.row_starts.get(row)? as usize;
        let end = *self.row_starts.get(row + 1)? as usize;
        self.slots.get(start..end)
    }

    fn text(&self, start: u32, len: u32) -> &str {
        let start = start as usize;
        self.arena.get(start..start + len as usize).unwrap_or("")
    }

    fn resolve(&self, slot: Slot) -> CellRef<'_> {
        match slot {
            Slot::Empty => CellRef::Empty,
            Slot::Text(a, b) => CellRef::Text(self.text(a, b)),
            Slot::Date(a, b) => CellRef::Date(self.text(a, b)),
            Slot::Error(a, b) => CellRef::Error(self.text(a, b)),
            Slot::Number(n) => CellRef::Number(n),
            Slot::Int(n) => CellRef::Int(n),
            Slot::Bool(b) => CellRef::Bool(b),
        }
    }

    /// Approximate bytes held, for diagnostics.
    pub fn heap_bytes(&self) -> usize {
        self.slots.capacity() * std::mem::size_of::<Slot>()
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
}

/// Builds a [`Grid`] from cells given in row-major order (out-of-order cells are sorted once
/// at the end, which some hand-made files need).
#[derive(Debug)]
pub struct GridBuilder {
    grid: Grid,
    limits: Limits,
    current_row: usize,
    current_row_start: usize,
    late: Vec<(u32, u32, Slot)>,
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
        }
    }

    fn check_row(&self, row: usize) -> Result<(), CapReached> {
        if row as u64 >= self.limits.max_rows {
            return Err(CapReached {
                limit: Limit::Rows,
                cap: self.limits.max_rows,
                row,
            });
        }
        Ok(())
    }

    fn store_text(&mut self, text: &str, row: usize) -> Result<(u32, u32), CapReached> {
        let start = self.grid.arena.len();
        let end = start + text.len();
        if end as u64 > self.limits.max_text_bytes || end > u32::MAX as usize {
            return Err(CapReached {
                limit: Limit::TextBytes,
                cap: self.limits.max_text_bytes,
                row,
            });
        }
        self.grid.arena.push_str(text);
        Ok((start as u32, text.len() as u32))
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
        }
        self.check_row(row)?;
        if col as u64 >= self.limits.max_columns {
            return Err(CapReached {
                limit: Limit::Columns,
                cap: self.limits.max_columns,
                row,
            });
        }
        if self.grid.slots.len() as u64 + self.late.len() as u64 >= self.limits.max_cells {
            return Err(CapReached {
                limit: Limit::Cells,
                cap: self.limits.max_cells,
                row,
            });
        }
        let slot = match value {
            CellInput::Empty => Slot::Empty,
            CellInput::Text(t) => {
                let (a, b) = self.store_text(t, row)?;
                Slot::Text(a, b)
            }
            CellInput::Date(t) => {
                let (a, b) = self.store_text(t, row)?;
                Slot::Date(a, b)
            }
            CellInput::Error(t) => {
                let (a, b) = self.store_text(t, row)?;
                Slot::Error(a, b)
            }
            CellInput::Number(n) => Slot::Number(n),
            CellInput::Int(n) => Slot::Int(n),
            CellInput::Bool(b) => Slot::Bool(b),
        };
        let in_row = self.grid.slots.len() - self.current_row_start;
        if row < self.current_row || (row == self.current_row && col < in_row) {
            self.late.push((row as u32, col as u32, slot));
            return Ok(());
        }
        while self.current_row < row {
            self.grid.row_starts.push(self.grid.slots.len() as u32);
            self.current_row += 1;
            self.current_row_start = self.grid.slots.len();
        }
        let in_row = self.grid.slots.len() - self.current_row_start;
        for _ in in_row..col {
            self.grid.slots.push(Slot::Empty);
        }
        self.grid.slots.push(slot);
        self.grid.width = self.grid.width.max(col + 1);
        Ok(())
    }

    /// Marks that rows up to `row` (0-based, inclusive) exist even if they hold no cells.
    pub fn touch_row(&mut self, row: usize) -> Result<(), CapReached> {
        self.check_row(row)?;
        while self.current_row < row {
            self.grid.row_starts.push(self.grid.slots.len() as u32);
            self.current_row += 1;
            self.current_row_start = self.grid.slots.len();
        }
        Ok(())
    }

    /// Finishes the grid.
    pub fn finish(mut self) -> Grid {
        self.grid.row_starts.push(self.grid.slots.len() as u32);
        if self.late.is_empty() {
            trim_trailing_blank_rows(&mut self.grid);
            return self.grid;
        }
        // Rare path: rebuild from all cells sorted by position.
        let mut all: Vec<(u32, u32, Slot)> =
            Vec::with_capacity(self.grid.slots.len() + self.late.len());
        for row in 0..self.grid.height() {
            let start = self.grid.row_starts[row] as usize;
            let end = self.grid.row_starts[row + 1] as usize;
            for (col, slot) in self.grid.slots[start..end].iter().enumerate() {
                if *slot != Slot::Empty {
                    all.push((row as u32, col as u32, *slot));
                }
            }
        }
        all.append(&mut self.late);
        all.sort_by_key(|(r, c, _)| (*r, *c));
        all.dedup_by_key(|(r, c, _)| (*r, *c));
        let mut grid = Grid {
            slots: Vec::with_capacity(all.len()),
            row_starts: vec![0],
            arena: std::mem::take(&mut self.grid.arena),
            width: 0,
        };
        let mut row = 0u32;
        let mut row_start = 0usize;
        for (r, c, slot) in all {
            while row < r {
                grid.row_starts.push(grid.slots.len() as u32);
                row += 1;
                row_start = grid.slots.len();
            }
            while grid.slots.len() - row_start < c as usize {
                grid.slots.push(Slot::Empty);
            }
            grid.slots.push(slot);
            grid.width = grid.width.max(c as usize + 1);
        }
        grid.row_starts.push(grid.slots.len() as u32);
        trim_trailing_blank_rows(&mut grid);
        grid
    }
}

fn trim_trailing_blank_rows(grid: &mut Grid) {
    trim_rows(grid);
    // Growth by doubling leaves up to half of each buffer unused; a sheet lives as long as
    // its contact list, so give it back.
    grid.slots.shrink_to_fit();
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
#[allow(clippy::unwrap_used, clippy::expect_used)]
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
