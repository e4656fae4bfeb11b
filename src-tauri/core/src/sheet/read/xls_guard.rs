//! Old Excel files (.xls: BIFF records in an OLE/CFB container) checked before calamine
//! opens them. calamine parses every sheet while opening and builds each as a dense
//! rectangle of cells around its values, and reserves room for the rectangle a sheet's
//! DIMENSIONS record declares: a 10 KB file can ask for gigabytes. Its container reader also
//! follows sector chains without checking for loops. So first the `cfb` crate validates the
//! container (no chain visits a sector twice, every sector inside the file), then one pass
//! over the workbook stream's records adds up the rectangles calamine would lay out.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};

use super::{corrupt, too_large};
use crate::sheet::error::SheetError;
use crate::sheet::limits::{Limit, Limits};

const BOF: u16 = 0x0809;
const EOF: u16 = 0x000A;
const BOUNDSHEET: u16 = 0x0085;
const DIMENSIONS: u16 = 0x0200;
const MULRK: u16 = 0x00BD;
/// Records that place one cell at (row u16, column u16) in their first four bytes.
const CELL_RECORDS: [u16; 7] = [0x0203, 0x0204, 0x00D6, 0x0205, 0x027E, 0x00FD, 0x0006];

#[derive(Debug, Default, Clone, Copy)]
struct Area {
    bounds: Option<(u32, u32, u32, u32)>,
    declared: u64,
}

impl Area {
    fn add(&mut self, row: u32, first_col: u32, last_col: u32) {
        self.bounds = Some(match self.bounds {
            None => (row, row, first_col, last_col),
            Some((r0, r1, c0, c1)) => (
                r0.min(row),
                r1.max(row),
                c0.min(first_col),
                c1.max(last_col),
            ),
        });
    }

    /// Cells calamine lays out for the sheet: its reservation for the declared dimensions
    /// or the rectangle around the values, whichever is larger.
    fn cells(&self) -> u64 {
        let dense = self.bounds.map_or(0, |(r0, r1, c0, c1)| {
            (u64::from(r1 - r0) + 1) * (u64::from(c1.saturating_sub(c0)) + 1)
        });
        dense.max(self.declared)
    }
}

fn u16_at(b: &[u8], at: usize) -> Option<u16> {
    Some(u16::from_le_bytes([*b.get(at)?, *b.get(at + 1)?]))
}

fn u32_at(b: &[u8], at: usize) -> Option<u32> {
    Some(u32::from_le_bytes([
        *b.get(at)?,
        *b.get(at + 1)?,
        *b.get(at + 2)?,
        *b.get(at + 3)?,
    ]))
}

/// The rows × columns a DIMENSIONS record declares, as calamine reads it.
fn declared(data: &[u8]) -> u64 {
    let (rf, rl, cf, cl) = match data.len() {
        10 => (
            u64::from(u16_at(data, 0).unwrap_or(0)),
            u64::from(u16_at(data, 2).unwrap_or(0)),
            u64::from(u16_at(data, 4).unwrap_or(0)),
            u64::from(u16_at(data, 6).unwrap_or(0)),
        ),
        14 | 16 => (
            u64::from(u32_at(data, 0).unwrap_or(0)),
            u64::from(u32_at(data, 4).unwrap_or(0)),
            u64::from(u16_at(data, 8).unwrap_or(0)),
            u64::from(u16_at(data, 10).unwrap_or(0)),
        ),
        _ => return 0,
    };
    let cf = if cf > 0xFF || cl < cf { 0 } else { cf };
    if rl >= 1 && cl >= 1 {
        (rl.saturating_sub(rf)).saturating_mul(cl.saturating_sub(cf))
    } else {
        1
    }
}

/// Checks an OLE container before calamine sees it.
pub(super) fn inspect(
    file: &Path,
    limits: &Limits,
    cancel: Option<&AtomicBool>,
) -> Result<(), SheetError> {
    let f = File::open(file).map_err(|e| SheetError::from_io(file, e))?;
    let mut cfb = cfb::CompoundFile::open(BufReader::new(f)).map_err(|e| corrupt(file, e))?;
    if cfb.is_stream("EncryptedPackage") {
        return Err(SheetError::Encrypted {
            file: file.to_path_buf(),
        });
    }
    let name = ["Workbook", "Book"]
        .into_iter()
        .find(|n| cfb.is_stream(n))
        .ok_or_else(|| corrupt(file, "no Workbook stream"))?;
    let mut stream = Vec::new();
    cfb.open_stream(name)
        .and_then(|mut s| s.read_to_end(&mut stream))
        .map_err(|e| corrupt(file, e))?;
    let total = grid_cells(&stream, cancel).ok_or_else(|| SheetError::Cancelled {
        file: file.to_path_buf(),
    })?;
    if total > limits.max_dense_grid_cells {
        return Err(too_large(
            file,
            None,
            None,
            None,
            Limit::DenseGridCells,
            limits.max_dense_grid_cells,
        ));
    }
    Ok(())
}

/// Cells calamine would lay out for all the sheets of a BIFF workbook stream; `None` when
/// cancelled.
fn grid_cells(stream: &[u8], cancel: Option<&AtomicBool>) -> Option<u64> {
    // Sheet substreams by where they start, as BOUNDSHEET records point at them.
    let mut sheets = Vec::new();
    let mut pos = 0usize;
    while let Some((typ, data, next)) = record(stream, pos) {
        match typ {
            BOUNDSHEET => {
                if let Some(at) = u32_at(data, 0) {
                    sheets.push(at as usize);
                }
            }
            EOF => break,
            _ => {}
        }
        pos = next;
    }
    let mut areas: HashMap<usize, u64> = HashMap::new();
    let mut total = 0u64;
    for at in sheets {
        if cancel.is_some_and(|c| c.load(Ordering::Relaxed)) {
            return None;
        }
        let cells = match areas.get(&at) {
            Some(&c) => c,
            None => {
                let c = sheet_area(stream, at).cells();
                areas.insert(at, c);
                c
            }
        };
        total = total.saturating_add(cells);
    }
    Some(total)
}

/// One record at `pos`: (type, data, where the next starts).
fn record(stream: &[u8], pos: usize) -> Option<(u16, &[u8], usize)> {
    let typ = u16_at(stream, pos)?;
    let len = u16_at(stream, pos + 2)? as usize;
    let start = pos + 4;
    let data = stream.get(start..start + len)?;
    Some((typ, data, start + len))
}

/// The area of the sheet whose records start at `at`, walked as calamine walks it: to the
/// sheet's EOF, skipping nested substreams (embedded charts).
fn sheet_area(stream: &[u8], at: usize) -> Area {
    let mut area = Area::default();
    let mut pos = at;
    let mut seen_bof = false;
    let mut nested = 0usize;
    while let Some((typ, data, next)) = record(stream, pos) {
        pos = next;
        if nested > 0 {
            match typ {
                BOF => nested += 1,
                EOF => nested -= 1,
                _ => {}
            }
            continue;
        }
        match typ {
            BOF if seen_bof => nested += 1,
            BOF => seen_bof = true,
            EOF => break,
            DIMENSIONS => area.declared = area.declared.max(declared(data)),
            MULRK => {
                if let (Some(row), Some(first), Some(last)) = (
                    u16_at(data, 0),
                    u16_at(data, 2),
                    data.len().checked_sub(2).and_then(|i| u16_at(data, i)),
                ) {
                    area.add(u32::from(row), u32::from(first), u32::from(last.max(first)));
                }
            }
            t if CELL_RECORDS.contains(&t) => {
                if let (Some(row), Some(col)) = (u16_at(data, 0), u16_at(data, 2)) {
                    area.add(u32::from(row), u32::from(col), u32::from(col));
                }
            }
            _ => {}
        }
    }
    area
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn rec(typ: u16, data: &[u8]) -> Vec<u8> {
        let mut v = typ.to_le_bytes().to_vec();
        v.extend((data.len() as u16).to_le_bytes());
        v.extend(data);
        v
    }

    fn cell(row: u16, col: u16) -> Vec<u8> {
        let mut d = row.to_le_bytes().to_vec();
        d.extend(col.to_le_bytes());
        d.extend([0u8; 10]);
        rec(0x0203, &d)
    }

    /// Globals (BOF, one BOUNDSHEET per sheet, EOF), then one sheet substream.
    fn stream(sheet_records: &[Vec<u8>], sheet_count: usize) -> Vec<u8> {
        let globals_len = 4 + 2 + (4 + 6) * sheet_count + 4;
        let mut s = rec(BOF, &[0, 6]);
        for _ in 0..sheet_count {
            let mut d = (globals_len as u32).to_le_bytes().to_vec();
            d.extend([0, 0]);
            s.extend(rec(BOUNDSHEET, &d));
        }
        s.extend(rec(EOF, &[]));
        assert_eq!(s.len(), globals_len);
        s.extend(rec(BOF, &[0, 6]));
        for r in sheet_records {
            s.extend(r);
        }
        s.extend(rec(EOF, &[]));
        s
    }

    proptest::proptest! {
        #[test]
        fn any_stream_is_measured_without_panicking(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..2000)) {
            // Records with plausible types: a BOF/BOUNDSHEET prefix pointing into the noise.
            let mut s = stream(&[cell(1, 1)], 2);
            s.extend(&bytes);
            let _ = grid_cells(&s, None);
            let _ = grid_cells(&bytes, None);
        }
    }

    #[test]
    fn far_apart_cells_count_their_rectangle() {
        let s = stream(&[cell(0, 0), cell(65_535, 255)], 1);
        assert_eq!(grid_cells(&s, None), Some(65_536 * 256));
        let s = stream(&[cell(3, 1), cell(4, 2)], 1);
        assert_eq!(grid_cells(&s, None), Some(4));
        // Three sheets pointing at the same records count three times, as calamine lays
        // each out.
        let s = stream(&[cell(0, 0), cell(9, 9)], 3);
        assert_eq!(grid_cells(&s, None), Some(300));
    }

    #[test]
    fn declared_dimensions_count_and_garbage_does_not_panic() {
        let mut d = 0u32.to_le_bytes().to_vec();
        d.extend(u32::MAX.to_le_bytes());
        d.extend([0, 0, 0xFF, 0, 0, 0]);
        let s = stream(&[rec(DIMENSIONS, &d)], 1);
        assert_eq!(grid_cells(&s, None), Some(u64::from(u32::MAX) * 255));
        // Truncated records, odd lengths, a BOUNDSHEET pointing past the end.
        for cut in 0..s.len() {
            let _ = grid_cells(&s[..cut], None);
        }
        let mut bad = rec(BOF, &[]);
        bad.extend(rec(BOUNDSHEET, &u32::MAX.to_le_bytes()));
        bad.extend(rec(MULRK, &[1]));
        assert_eq!(grid_cells(&bad, None), Some(0));
    }
}
