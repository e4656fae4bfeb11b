//! calamine's cell values into the grid, and the merged ranges a sheet reports.

use calamine::{Data, DataRef};

use super::super::grid::{CapReached, CellInput, GridBuilder};
use super::super::source::{MergedRange, Notice};

fn datetime_text(dt: &calamine::ExcelDateTime) -> String {
    match dt.as_datetime() {
        Some(d) => {
            if d.time() == chrono::NaiveTime::MIN {
                d.format("%Y-%m-%d").to_string()
            } else {
                d.format("%Y-%m-%d %H:%M:%S").to_string()
            }
        }
        None => dt.as_f64().to_string(),
    }
}

pub(super) fn push_data(
    b: &mut GridBuilder,
    row: usize,
    col: usize,
    value: &DataRef<'_>,
) -> Result<(), CapReached> {
    match value {
        DataRef::Int(i) => b.push(row, col, CellInput::Int(*i)),
        DataRef::Float(f) => b.push(row, col, CellInput::Number(*f)),
        DataRef::String(s) => b.push(row, col, CellInput::Text(s)),
        DataRef::SharedString(s) => b.push(row, col, CellInput::Text(s)),
        DataRef::Bool(v) => b.push(row, col, CellInput::Bool(*v)),
        DataRef::DateTime(dt) => b.push(row, col, CellInput::Date(&datetime_text(dt))),
        DataRef::DateTimeIso(s) | DataRef::DurationIso(s) => b.push(row, col, CellInput::Date(s)),
        DataRef::Error(e) => b.push(row, col, CellInput::Error(&e.to_string())),
        DataRef::Empty => Ok(()),
    }
}

pub(super) fn push_owned(
    b: &mut GridBuilder,
    row: usize,
    col: usize,
    value: &Data,
) -> Result<(), CapReached> {
    match value {
        Data::Int(i) => b.push(row, col, CellInput::Int(*i)),
        Data::Float(f) => b.push(row, col, CellInput::Number(*f)),
        Data::String(s) => b.push(row, col, CellInput::Text(s)),
        Data::Bool(v) => b.push(row, col, CellInput::Bool(*v)),
        Data::DateTime(dt) => b.push(row, col, CellInput::Date(&datetime_text(dt))),
        Data::DateTimeIso(s) | Data::DurationIso(s) => b.push(row, col, CellInput::Date(s)),
        Data::Error(e) => b.push(row, col, CellInput::Error(&e.to_string())),
        Data::Empty => Ok(()),
    }
}

/// The notice shown when a sheet has merged cells (`None` without any).
pub fn merged_notice(sheet: &str, merged: &[MergedRange]) -> Option<Notice> {
    {
        let sheet = crate::text::echo(sheet);
        let m = merged.first()?;
        let range = format!(
            "{}{}:{}{}",
            super::super::mapping::column_letter(m.first_col as usize),
            m.first_row + 1,
            super::super::mapping::column_letter(m.last_col as usize),
            m.last_row + 1
        );
        Some(Notice::new(
                "sheet.merged_cells",
                format!(
                    "工作表“{sheet}”有 {} 处合并单元格（如 {range}），合并区域里只有左上角单元格有值，其余按空值处理",
                    merged.len()
                ),
                format!(
                    "Sheet \"{sheet}\" has {} merged ranges (e.g. {range}); only the top-left cell of a merged range holds its value, the others count as empty",
                    merged.len()
                ),
            ))
    }
}

pub(super) fn merged_range(d: &calamine::Dimensions) -> MergedRange {
    MergedRange {
        first_row: d.start.0,
        first_col: d.start.1,
        last_row: d.end.0,
        last_col: d.end.1,
    }
}

/// Pushes a range's cells (only those of the first `head` rows when given); says whether
/// every cell was pushed.
pub(super) fn push_range(
    b: &mut GridBuilder,
    range: &calamine::Range<Data>,
    head: Option<usize>,
) -> Result<bool, CapReached> {
    let Some((r0, c0)) = range.start() else {
        return Ok(true);
    };
    let mut complete = true;
    for (r, c, value) in range.used_cells() {
        let row = r0 as usize + r;
        if head.is_some_and(|h| row >= h) {
            complete = false;
            continue;
        }
        push_owned(b, row, c0 as usize + c, value)?;
    }
    Ok(complete)
}
