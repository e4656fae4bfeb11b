//! Finding the header row: marketers put titles, dates and blank lines above it.

use super::cell::{display_text, phone_text};
use super::grid::{CellRef, Grid};
use super::mapping::is_phone_alias;
use super::phone::{normalize, PhoneRules};

/// How many rows from the top are looked at.
const SCAN_ROWS: usize = 30;

fn non_empty_cells(grid: &Grid, row: usize) -> usize {
    (0..grid.row_len(row))
        .filter(|&c| !display_text(grid.cell(row, c)).is_empty())
        .count()
}

fn has_phone_number(grid: &Grid, row: usize) -> bool {
    (0..grid.row_len(row)).any(|c| {
        phone_text(grid.cell(row, c))
            .ok()
            .is_some_and(|t| normalize(&t, &PhoneRules::default()).is_ok())
    })
}

fn looks_like_header(grid: &Grid, row: usize) -> bool {
    let cells = grid.row_len(row);
    let all_text =
        (0..cells).all(|c| matches!(grid.cell(row, c), CellRef::Text(_) | CellRef::Empty));
    all_text && !has_phone_number(grid, row)
}

/// The 0-based index of the header row: the first row with a phone-like header name, else
/// the first text-only row that is about as wide as the data below it (a title row above a
/// table has one or two cells). `None` when the sheet has no non-blank row.
pub fn detect_header_row(grid: &Grid) -> Option<usize> {
    let rows: Vec<usize> = (0..grid.height())
        .filter(|&r| !grid.row_is_blank(r))
        .take(SCAN_ROWS)
        .collect();
    let first = *rows.first()?;
    for &r in &rows {
        let alias = (0..grid.row_len(r)).any(|c| is_phone_alias(&display_text(grid.cell(r, c))));
        if alias && looks_like_header(grid, r) {
            return Some(r);
        }
    }
    let widest = rows
        .iter()
        .map(|&r| non_empty_cells(grid, r))
        .max()
        .unwrap_or(0);
    for &r in &rows {
        let n = non_empty_cells(grid, r);
        if n > 0 && looks_like_header(grid, r) && n * 2 >= widest && (n >= 2 || widest <= 1) {
            return Some(r);
        }
        if has_phone_number(grid, r) {
            break;
        }
    }
    Some(first)
}

/// True when the row holds a valid phone number: then it is data, and treating it as the
/// header would hide a contact.
pub fn header_looks_like_data(grid: &Grid, row: usize) -> bool {
    has_phone_number(grid, row)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid::{CellInput, GridBuilder};
    use crate::sheet::limits::Limits;

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut b = GridBuilder::new(Limits::default());
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                b.push(r, c, CellInput::Text(v)).unwrap();
            }
        }
        b.finish()
    }

    #[test]
    fn skips_title_and_blank_rows() {
        let g = grid(&[
            &["2024 年 5 月客户名单"],
            &[],
            &["姓名", "手机号", "金额"],
            &["张三", "13800138000", "100"],
        ]);
        assert_eq!(detect_header_row(&g), Some(2));
    }

    #[test]
    fn finds_headers_without_phone_alias() {
        let g = grid(&[&["客户", "号"], &["张三", "13800138000"]]);
        assert_eq!(detect_header_row(&g), Some(0));
        let g = grid(&[&["标题"], &["客户", "联络"], &["张三", "13800138000"]]);
        assert_eq!(detect_header_row(&g), Some(1));
    }

    #[test]
    fn a_sheet_without_header_is_noticed() {
        let g = grid(&[&["13800138000", "张三"], &["13900139000", "李四"]]);
        let row = detect_header_row(&g).unwrap();
        assert!(header_looks_like_data(&g, row));
    }
}
