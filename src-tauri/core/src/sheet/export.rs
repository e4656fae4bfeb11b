//! Excel files SmartDial writes: the problem rows (to fix in Excel and re-import), the
//! cleaned list, and the template a marketer can start from. Phone columns are text so
//! Excel never turns a number into `1.38E+10`.

use std::path::{Path, PathBuf};

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::contacts::ContactList;
use crate::error_code::ErrorCode;
use crate::text::{Lang, Localized, UserError};

/// Writing an export failed.
#[derive(Debug, thiserror::Error)]
#[error("could not write {file}: {source}")]
pub struct ExportError {
    pub file: PathBuf,
    #[source]
    pub source: XlsxError,
}

impl ExportError {
    /// The error as a user reads it (`export.write_failed`).
    pub fn to_user_error(&self) -> UserError {
        let name = self
            .file
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        UserError::new(
            ErrorCode::ExportWriteFailed,
            Localized::new(
                format!("无法写入文件“{name}”：{}", self.source),
                format!("Could not write {name}: {}", self.source),
            ),
            Localized::new(
                "请确认文件没有在 Excel 中打开，并且文件夹可以写入",
                "Make sure the file is not open in Excel and the folder is writable",
            ),
        )
    }
}

impl From<ExportError> for UserError {
    fn from(e: ExportError) -> Self {
        e.to_user_error()
    }
}

fn wrap(file: &Path) -> impl Fn(XlsxError) -> ExportError + '_ {
    move |source| ExportError {
        file: file.to_path_buf(),
        source,
    }
}

fn header_row(ws: &mut Worksheet, headers: &[&str]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)?;
    }
    ws.set_freeze_panes(1, 0)?;
    Ok(())
}

/// The problem rows: sheet row, column, original value, code, reason in `lang`.
/// Returns the number of problems written.
pub fn write_problems(list: &ContactList, file: &Path, lang: Lang) -> Result<usize, ExportError> {
    let err = wrap(file);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let headers: [&str; 6] = match lang {
        Lang::ZhCn => ["行号", "列", "原始值", "问题代码", "原因", "是否阻止拨打"],
        Lang::En => [
            "Row",
            "Column",
            "Original value",
            "Code",
            "Reason",
            "Blocks calling",
        ],
    };
    header_row(ws, &headers).map_err(&err)?;
    let text = Format::new().set_num_format("@");
    let problems = list.problems();
    for (i, p) in problems.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_number(r, 0, p.row).map_err(&err)?;
        ws.write_string(r, 1, &p.column).map_err(&err)?;
        ws.write_string_with_format(r, 2, &p.value, &text)
            .map_err(&err)?;
        ws.write_string(r, 3, &p.code).map_err(&err)?;
        ws.write_string(r, 4, p.message.get(lang)).map_err(&err)?;
        let blocks = match (lang, p.blocking) {
            (Lang::ZhCn, true) => "是",
            (Lang::ZhCn, false) => "否（仅提醒）",
            (Lang::En, true) => "yes",
            (Lang::En, false) => "no (warning)",
        };
        ws.write_string(r, 5, blocks).map_err(&err)?;
    }
    for (c, w) in [8.0, 14.0, 20.0, 26.0, 60.0, 14.0].iter().enumerate() {
        ws.set_column_width(c as u16, *w).map_err(&err)?;
    }
    wb.save(file).map_err(&err)?;
    Ok(problems.len())
}

/// The contacts that will be called: normalised number (as text), the variable values, and
/// the original row number. Returns the number of contacts written.
pub fn write_cleaned(list: &ContactList, file: &Path, lang: Lang) -> Result<usize, ExportError> {
    let err = wrap(file);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    let names = list.variable_names();
    let mut headers: Vec<&str> = vec!["手机号"];
    headers.extend(names.iter().map(String::as_str));
    headers.push(match lang {
        Lang::ZhCn => "原始行号",
        Lang::En => "Original row",
    });
    header_row(ws, &headers).map_err(&err)?;
    let text = Format::new().set_num_format("@");
    ws.set_column_format(0, &text).map_err(&err)?;
    ws.set_column_width(0, 16).map_err(&err)?;
    let mut n = 0usize;
    for (i, c) in list.sendable().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, &c.number, &text)
            .map_err(&err)?;
        for (j, v) in c.values.iter().enumerate() {
            ws.write_string(r, j as u16 + 1, v.as_ref()).map_err(&err)?;
        }
        ws.write_number(r, names.len() as u16 + 1, c.row)
            .map_err(&err)?;
        n += 1;
    }
    wb.save(file).map_err(&err)?;
    Ok(n)
}

/// The template: 手机号 (formatted as text) plus two example variable columns.
pub fn write_template(file: &Path) -> Result<(), ExportError> {
    let err = wrap(file);
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name("客户名单").map_err(&err)?;
    header_row(ws, &["手机号", "姓名", "产品"]).map_err(&err)?;
    let text = Format::new().set_num_format("@");
    ws.set_column_format(0, &text).map_err(&err)?;
    ws.set_column_width(0, 16).map_err(&err)?;
    ws.set_column_width(1, 12).map_err(&err)?;
    ws.set_column_width(2, 16).map_err(&err)?;
    let rows = [
        ["13800138000", "张三", "宽带续费"],
        ["13900139000", "李四", "会员升级"],
    ];
    for (i, row) in rows.iter().enumerate() {
        let r = i as u32 + 1;
        ws.write_string_with_format(r, 0, row[0], &text)
            .map_err(&err)?;
        ws.write_string(r, 1, row[1]).map_err(&err)?;
        ws.write_string(r, 2, row[2]).map_err(&err)?;
    }
    wb.save(file).map_err(&err)?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::contacts::ValidationOptions;
    use crate::sheet::grid::CellRef;
    use crate::sheet::{import, read, ImportOptions, Limits};

    #[test]
    fn template_reads_back_with_the_phone_column_detected() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("template.xlsx");
        write_template(&path).unwrap();
        let mut wb = read::open(&path, Limits::default()).unwrap();
        let sheet = wb.read_sheet(None).unwrap();
        assert_eq!(sheet.grid.cell(1, 0), CellRef::Text("13800138000"));
        let opts = ImportOptions {
            variables: vec![("姓名".into(), None), ("产品".into(), None)],
            ..ImportOptions::default()
        };
        let imported = import(&path, &opts, None).unwrap();
        let s = imported.contacts.summary();
        assert_eq!((s.rows, s.valid), (2, 2));
        assert_eq!(s.phone_column.header, "手机号");
    }

    #[test]
    fn problems_and_cleaned_lists_round_trip() {
        let dir = tempfile::tempdir().unwrap();
        let list = ContactList::from_rows(
            &["name"],
            [
                vec!["+86 138 0013 8000", "张三"],
                vec!["123", "李四"],
                vec!["13800138000", "王五"],
            ],
            ValidationOptions::default(),
        )
        .unwrap();
        let p = dir.path().join("problems.xlsx");
        assert_eq!(write_problems(&list, &p, Lang::En).unwrap(), 2);
        let sheet = read::open(&p, Limits::default())
            .unwrap()
            .read_sheet(None)
            .unwrap();
        assert_eq!(sheet.grid.cell(1, 0), CellRef::Number(3.0));
        assert_eq!(sheet.grid.cell(1, 2), CellRef::Text("123"));
        assert_eq!(sheet.grid.cell(1, 3), CellRef::Text("phone.too_short"));
        assert_eq!(sheet.grid.cell(2, 3), CellRef::Text("phone.duplicate"));
        let c = dir.path().join("cleaned.xlsx");
        assert_eq!(write_cleaned(&list, &c, Lang::ZhCn).unwrap(), 1);
        let sheet = read::open(&c, Limits::default())
            .unwrap()
            .read_sheet(None)
            .unwrap();
        assert_eq!(sheet.grid.cell(1, 0), CellRef::Text("13800138000"));
        assert_eq!(sheet.grid.cell(1, 1), CellRef::Text("张三"));
        assert_eq!(sheet.grid.cell(1, 2), CellRef::Number(2.0));
    }
}
