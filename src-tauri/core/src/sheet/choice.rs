//! Which sheet of a workbook to read when none is named. Workbooks often open on an
//! instructions sheet ("说明") with the contacts on another: the sheet that holds phone
//! numbers is the one to read, the active sheet (the one Excel showed) first among those,
//! then the first in workbook order. A sheet without a usable phone column is always said
//! so, in a notice the front ends show, never passed on silently.

use serde::{Deserialize, Serialize};

use super::cell::phone_text;
use super::grid::Grid;
use super::header::detect_header_row;
use super::mapping::suggest_mapping;
use super::phone::{normalize, PhoneRules};
use super::source::{Notice, SheetData};
use crate::text::echo;

/// Data rows looked at when deciding whether a column holds phone numbers.
const SAMPLE_ROWS: usize = 200;

/// Why a sheet was read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ChoiceReason {
    /// The user named it.
    Named,
    /// The workbook has no other (visible) sheet.
    OnlySheet,
    /// The sheet Excel showed when the file was saved, and it holds phone numbers.
    Active,
    /// The first sheet that holds phone numbers (the active one does not).
    HasPhones,
    /// No sheet holds phone numbers; the active (else the first) sheet is shown.
    NoSheetHasPhones,
}

/// The sheet that was read, why, and whether it has a usable phone column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct SheetChoice {
    pub sheet: String,
    pub reason: ChoiceReason,
    /// A column headed like a phone column, or mostly phone numbers, with at least one
    /// valid number. Without one the next step cannot go on as it is.
    pub has_phone_column: bool,
    /// How many sheets were candidates (1 for a named sheet).
    pub searched: u32,
}

/// How strongly a sheet looks like the contact list, weakest first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PhoneEvidence {
    None,
    /// A column headed like a phone column, without one valid number in it.
    Header,
    /// A column (by header or content) with valid numbers: a usable phone column.
    Numbers,
}

/// What a grid shows of a phone column: the column the mapping step would suggest (a
/// phone header, else mostly numbers by content), and whether one of its first data rows
/// is a valid number.
pub fn phone_evidence(grid: &Grid) -> PhoneEvidence {
    let header_row = detect_header_row(grid).unwrap_or(0);
    let Some(column) = suggest_mapping(grid, header_row, &[], None).phone_column else {
        return PhoneEvidence::None;
    };
    let column = column.index as usize;
    let rules = PhoneRules::default();
    let numbers = (header_row + 1..grid.height())
        .filter(|&r| !grid.row_is_blank(r))
        .take(SAMPLE_ROWS)
        .any(|r| {
            phone_text(grid.cell(r, column))
                .ok()
                .is_some_and(|t| normalize(&t, &rules).is_ok())
        });
    if numbers {
        PhoneEvidence::Numbers
    } else {
        PhoneEvidence::Header
    }
}

/// Records on `data` why it was read and adds the notice that says so: which sheet was
/// chosen among several, or that the sheet holds no phone numbers. `sheets` is how many
/// sheets were candidates.
pub fn attach(data: &mut SheetData, reason: ChoiceReason, sheets: usize) {
    let has_phone_column = phone_evidence(&data.grid) == PhoneEvidence::Numbers;
    let sheet = echo(&data.sheet).into_owned();
    let notice = match (reason, has_phone_column) {
        (ChoiceReason::Active | ChoiceReason::HasPhones, true) => Some(Notice::new(
            "sheet.chosen",
            format!("已选择“{sheet}”：这张表里有手机号"),
            format!("Chose sheet \"{sheet}\": it holds the phone numbers"),
        )),
        (ChoiceReason::NoSheetHasPhones, _) => Some(Notice::new(
            "sheet.no_phone_column",
            format!(
                "这个文件的 {sheets} 张工作表里都没有找到手机号（已打开“{sheet}”）：请确认选对了文件，或指定号码所在的工作表和列"
            ),
            format!(
                "None of the {sheets} sheets in this file holds phone numbers (\"{sheet}\" is shown): check that this is the right file, or choose the sheet and column that hold the numbers"
            ),
        )),
        (_, false) => Some(Notice::new(
            "sheet.no_phone_column",
            format!("工作表“{sheet}”里没有找到手机号：请选择存放手机号的工作表，或指定号码所在的列"),
            format!("Sheet \"{sheet}\" holds no phone numbers: choose the sheet that does, or the column that holds them"),
        )),
        _ => None,
    };
    data.notices.extend(notice);
    data.choice = Some(SheetChoice {
        sheet: data.sheet.clone(),
        reason,
        has_phone_column,
        searched: sheets as u32,
    });
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
    fn a_phone_column_by_header_or_content_with_a_valid_number() {
        let by_header = grid(&[&["姓名", "手机号"], &["张三", "13800138000"]]);
        assert_eq!(phone_evidence(&by_header), PhoneEvidence::Numbers);
        let by_content = grid(&[&["客户", "号"], &["张三", "13800138000"]]);
        assert_eq!(phone_evidence(&by_content), PhoneEvidence::Numbers);
        let instructions = grid(&[&["请在“客户名单”表里填写客户的手机号"]]);
        assert_eq!(phone_evidence(&instructions), PhoneEvidence::None);
        // A phone header over no valid number is no usable column.
        let header_only = grid(&[&["姓名", "手机号"], &["张三", "待补充"]]);
        assert_eq!(phone_evidence(&header_only), PhoneEvidence::Header);
        assert_eq!(phone_evidence(&grid(&[])), PhoneEvidence::None);
    }

    /// An instructions sheet, a contact sheet and a notes sheet without numbers;
    /// `active` is the one Excel shows on opening.
    fn workbook(dir: &std::path::Path, active: usize, contacts: bool) -> std::path::PathBuf {
        let path = dir.join(format!("book-{active}-{contacts}.xlsx"));
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("说明").unwrap();
        ws.write_string(0, 0, "请在“客户名单”表里填写客户的手机号")
            .unwrap();
        let ws = wb.add_worksheet().set_name("客户名单").unwrap();
        ws.write_string(0, 0, "姓名").unwrap();
        ws.write_string(0, 1, "手机号").unwrap();
        ws.write_string(1, 0, "张三").unwrap();
        ws.write_string(1, 1, if contacts { "13800138000" } else { "待补充" })
            .unwrap();
        let ws = wb.add_worksheet().set_name("备注").unwrap();
        ws.write_string(0, 0, "无").unwrap();
        wb.worksheet_from_index(active).unwrap().set_active(true);
        wb.save(&path).unwrap();
        path
    }

    fn read(path: &std::path::Path, sheet: Option<&str>) -> SheetData {
        crate::sheet::read::open(path, Limits::default())
            .unwrap()
            .read_sheet(sheet)
            .unwrap()
    }

    fn codes(data: &SheetData) -> Vec<&str> {
        data.notices.iter().map(|n| n.code.as_str()).collect()
    }

    #[test]
    fn the_sheet_with_phone_numbers_is_read_whichever_sheet_is_active() {
        let dir = tempfile::tempdir().unwrap();
        for active in [0, 2] {
            let data = read(&workbook(dir.path(), active, true), None);
            assert_eq!(data.sheet, "客户名单");
            let choice = data.choice.clone().unwrap();
            assert_eq!(choice.reason, ChoiceReason::HasPhones);
            assert!(choice.has_phone_column);
            let notice = data
                .notices
                .iter()
                .find(|n| n.code == "sheet.chosen")
                .unwrap();
            assert_eq!(notice.message.zh_cn, "已选择“客户名单”：这张表里有手机号");
            assert!(notice.message.en.contains("客户名单"));
        }
        let data = read(&workbook(dir.path(), 1, true), None);
        assert_eq!(data.choice.unwrap().reason, ChoiceReason::Active);
    }

    #[test]
    fn without_phone_numbers_anywhere_the_sheet_headed_for_them_is_shown_and_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let data = read(&workbook(dir.path(), 2, false), None);
        assert_eq!(data.sheet, "客户名单");
        let choice = data.choice.clone().unwrap();
        assert_eq!(choice.reason, ChoiceReason::NoSheetHasPhones);
        assert!(!choice.has_phone_column);
        assert_eq!(codes(&data), ["sheet.no_phone_column"]);
        assert_eq!(
            data.notices[0].message.zh_cn,
            "这个文件的 3 张工作表里都没有找到手机号（已打开“客户名单”）：请确认选对了文件，或指定号码所在的工作表和列"
        );
    }

    #[test]
    fn without_any_phone_column_the_active_sheet_is_shown() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("无号码.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        for name in ["说明", "统计", "备注"] {
            let ws = wb.add_worksheet().set_name(name).unwrap();
            ws.write_string(0, 0, "无").unwrap();
        }
        wb.worksheet_from_index(1).unwrap().set_active(true);
        wb.save(&path).unwrap();
        let data = read(&path, None);
        assert_eq!(data.sheet, "统计");
        assert_eq!(data.choice.unwrap().reason, ChoiceReason::NoSheetHasPhones);
    }

    #[test]
    fn a_named_sheet_without_phone_numbers_is_said_so() {
        let dir = tempfile::tempdir().unwrap();
        let path = workbook(dir.path(), 0, true);
        let data = read(&path, Some("说明"));
        let choice = data.choice.clone().unwrap();
        assert_eq!(
            (choice.reason, choice.has_phone_column),
            (ChoiceReason::Named, false)
        );
        assert_eq!(codes(&data), ["sheet.no_phone_column"]);
        assert_eq!(
            data.notices[0].message.zh_cn,
            "工作表“说明”里没有找到手机号：请选择存放手机号的工作表，或指定号码所在的列"
        );
        // A named sheet with numbers needs no word about the choice.
        let data = read(&path, Some("客户名单"));
        assert!(codes(&data).is_empty(), "{:?}", data.notices);
        assert!(data.choice.unwrap().has_phone_column);
    }

    #[test]
    fn a_single_sheet_file_says_nothing_about_the_choice() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("名单.csv");
        std::fs::write(&path, "手机号\n13800138000\n").unwrap();
        let data = read(&path, None);
        assert_eq!(data.choice.unwrap().reason, ChoiceReason::OnlySheet);
        assert!(data.notices.is_empty(), "{:?}", data.notices);
    }

    #[test]
    fn sheets_are_judged_by_their_first_rows_and_the_chosen_one_is_read_whole() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("长表.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("统计").unwrap();
        for r in 0..1_000 {
            ws.write_string(r, 0, format!("第 {r} 条记录")).unwrap();
        }
        let ws = wb.add_worksheet().set_name("客户名单").unwrap();
        ws.write_string(0, 0, "手机号").unwrap();
        for r in 1..=1_000u32 {
            ws.write_string(r, 0, (13_800_000_000u64 + u64::from(r)).to_string())
                .unwrap();
        }
        wb.save(&path).unwrap();
        let data = read(&path, None);
        assert_eq!(data.sheet, "客户名单");
        assert_eq!(data.grid.height(), 1_001, "every row, not the probed head");
        assert_eq!(data.choice.unwrap().reason, ChoiceReason::HasPhones);
    }

    #[test]
    fn a_long_sheet_shown_for_want_of_numbers_is_read_whole_too() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("待补充.xlsx");
        let mut wb = rust_xlsxwriter::Workbook::new();
        let ws = wb.add_worksheet().set_name("说明").unwrap();
        ws.write_string(0, 0, "说明").unwrap();
        let ws = wb.add_worksheet().set_name("客户名单").unwrap();
        ws.write_string(0, 0, "手机号").unwrap();
        for r in 1..=500 {
            ws.write_string(r, 0, "待补充").unwrap();
        }
        wb.save(&path).unwrap();
        let data = read(&path, None);
        assert_eq!(data.sheet, "客户名单");
        assert_eq!(data.grid.height(), 501);
        assert_eq!(data.choice.unwrap().reason, ChoiceReason::NoSheetHasPhones);
    }
}
