//! What real workbooks hold: merged cells, formulas and error cells, dates and hidden
//! sheets, ODS and XLS, header-row and phone-column overrides.

use super::*;

#[test]
fn merged_cells_are_noticed_and_their_empty_parts_reported() {
    let d = dir();
    let p = path(&d, "merged.xlsx");
    let mut wb = XlsxWriter::new();
    let ws = wb.add_worksheet();
    ws.write_string(0, 0, "手机号").unwrap();
    ws.write_string(0, 1, "公司").unwrap();
    ws.write_string(1, 0, "13800138000").unwrap();
    ws.write_string(2, 0, "13900139000").unwrap();
    ws.merge_range(1, 1, 2, 1, "阿里", &Format::new()).unwrap();
    wb.save(&p).unwrap();
    let opts = ImportOptions {
        variables: vec![("公司".into(), None)],
        ..ImportOptions::default()
    };
    let list = import(&p, &opts, None).unwrap().contacts;
    let s = list.summary();
    assert_eq!(s.notices[0].code, "sheet.merged_cells");
    assert!(s.notices[0].message.en.contains("B2:B3"));
    assert_eq!(list.row(3).unwrap().problems[0].code, "variable.empty");
}

#[test]
fn formulas_give_cached_values_and_error_cells_are_reported_per_cell() {
    let d = dir();
    let p = path(&d, "cells.xlsx");
    raw_xlsx(
        &p,
        &sheet_xml(concat!(
            r#"<row r="1"><c r="A1" t="inlineStr"><is><t>手机号</t></is></c><c r="B1" t="inlineStr"><is><t>姓名</t></is></c></row>"#,
            r#"<row r="2"><c r="A2"><f>B9*1</f><v>13800138000</v></c><c r="B2" t="inlineStr"><is><t>张三</t></is></c></row>"#,
            r#"<row r="3"><c r="A3" t="e"><f>VLOOKUP(1,X,2)</f><v>#N/A</v></c><c r="B3" t="inlineStr"><is><t>李四</t></is></c></row>"#,
            r#"<row r="4"><c r="A4"><v>13900139000</v></c><c r="B4" t="e"><v>#REF!</v></c></row>"#,
            r#"<row r="5"><c r="A5"><v>138001380.5</v></c><c r="B5" t="inlineStr"><is><t>'王五 </t></is></c></row>"#,
        )),
    );
    let list = import(
        &p,
        &ImportOptions {
            variables: vec![("姓名".into(), None)],
            ..ImportOptions::default()
        },
        None,
    )
    .unwrap()
    .contacts;
    assert_eq!(list.row(2).unwrap().status, ContactStatus::Valid);
    let r3 = list.row(3).unwrap();
    assert_eq!(
        (r3.code.as_str(), r3.original.as_str()),
        ("phone.cell_error", "#N/A")
    );
    let r4 = list.row(4).unwrap();
    assert_eq!(r4.status, ContactStatus::Invalid);
    assert_eq!(r4.problems[0].code, "variable.cell_error");
    assert_eq!(r4.problems[0].value, "#REF!");
    assert_eq!(list.row(5).unwrap().code, "phone.inexact_number");
    let sendable: Vec<_> = list.sendable().collect();
    assert_eq!(sendable[0].values[0], "张三");
}

#[test]
fn writer_made_workbook_dates_floats_hidden_sheets_and_formulas() {
    let d = dir();
    let p = path(&d, "mixed.xlsx");
    let mut wb = XlsxWriter::new();
    let hidden = wb.add_worksheet();
    hidden.set_name("配置").unwrap();
    hidden.write_string(0, 0, "x").unwrap();
    hidden.set_hidden(true);
    let ws = wb.add_worksheet();
    ws.set_name("名单").unwrap();
    // Excel will not hide the active sheet.
    ws.set_active(true);
    ws.write_string(0, 0, "电话").unwrap();
    ws.write_string(0, 1, "日期").unwrap();
    ws.write_number(1, 0, 13800138000.0).unwrap();
    let date_format = Format::new().set_num_format("yyyy-mm-dd");
    let date = ExcelDateTime::from_ymd(2024, 5, 1).unwrap();
    ws.write_datetime_with_format(1, 1, &date, &date_format)
        .unwrap();
    ws.write_datetime_with_format(2, 0, &date, &date_format)
        .unwrap();
    ws.write_formula(
        3,
        0,
        Formula::new("=\"1390013\"&\"9000\"").set_result("13900139000"),
    )
    .unwrap();
    wb.save(&p).unwrap();
    let mut book = read::open(&p, Limits::default()).unwrap();
    let sheets = book.sheets().to_vec();
    assert_eq!((sheets[0].name.as_str(), sheets[0].hidden), ("配置", true));
    assert_eq!((sheets[1].name.as_str(), sheets[1].hidden), ("名单", false));
    assert_eq!(book.default_sheet(), Some("名单"));
    let sheet = book.read_sheet(None).unwrap();
    assert_eq!(sheet.grid.cell(1, 1), CellRef::Date("2024-05-01"));
    let e = book.read_sheet(Some("Sheet9")).unwrap_err();
    assert_eq!(e.code(), "sheet.sheet_not_found");
    assert!(e.to_user_error().message.en.contains("名单"));
    let mut opts = allow_empty();
    opts.variables = vec![("日期".into(), None)];
    let list = import(&p, &opts, None).unwrap().contacts;
    let r2 = list.row(2).unwrap();
    assert_eq!(
        (r2.number.as_deref(), r2.values[0].as_str()),
        (Some("13800138000"), "2024-05-01")
    );
    assert_eq!(list.row(3).unwrap().code, "phone.date");
    assert_eq!(list.row(4).unwrap().number.as_deref(), Some("13900139000"));
}

#[test]
fn ods_is_read() {
    let d = dir();
    let p = path(&d, "list.ods");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&p).unwrap());
    let stored =
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Stored);
    z.start_file("mimetype", stored).unwrap();
    z.write_all(b"application/vnd.oasis.opendocument.spreadsheet")
        .unwrap();
    z.start_file("META-INF/manifest.xml", stored).unwrap();
    z.write_all(br#"<?xml version="1.0" encoding="UTF-8"?><manifest:manifest xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2"><manifest:file-entry manifest:full-path="/" manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/><manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/></manifest:manifest>"#).unwrap();
    z.start_file("content.xml", stored).unwrap();
    z.write_all(r#"<?xml version="1.0" encoding="UTF-8"?><office:document-content xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0" office:version="1.2"><office:body><office:spreadsheet><table:table table:name="客户"><table:table-row><table:table-cell office:value-type="string"><text:p>手机号</text:p></table:table-cell></table:table-row><table:table-row><table:table-cell office:value-type="float" office:value="13800138000"><text:p>13800138000</text:p></table:table-cell></table:table-row></table:table></office:spreadsheet></office:body></office:document-content>"#.as_bytes()).unwrap();
    z.finish().unwrap();
    let list = import(&p, &ImportOptions::default(), None)
        .unwrap()
        .contacts;
    assert_eq!(list.summary().sheet, "客户");
    assert_eq!(list.summary().valid, 1);
}

#[test]
fn header_row_override_and_phone_column_override() {
    let d = dir();
    let p = path(&d, "two.csv");
    std::fs::write(&p, "备注,说明\n手机,备用\n13800138000,13900139000\n").unwrap();
    let opts = ImportOptions {
        header_row: Some(2),
        phone_column: Some("备用".into()),
        ..ImportOptions::default()
    };
    let list = import(&p, &opts, None).unwrap().contacts;
    assert_eq!(list.summary().phone_column.header, "备用");
    assert_eq!(list.row(3).unwrap().number.as_deref(), Some("13900139000"));
    let bad = ImportOptions {
        header_row: Some(9),
        ..ImportOptions::default()
    };
    assert_eq!(import_err(&p, &bad).code(), "sheet.header_row_out_of_range");
    let bad = ImportOptions {
        phone_column: Some("不存在".into()),
        ..ImportOptions::default()
    };
    let e = import_err(&p, &bad);
    assert_eq!(e.code(), "sheet.phone_column_not_found");
    assert!(e.to_user_error().message.zh_cn.contains("不存在"));
}

#[test]
fn xls_fixture_numbers_dates_merges_and_hidden_sheets() {
    let p = fixture("contacts.xls");
    let mut wb = read::open(&p, Limits::default()).unwrap();
    assert_eq!(wb.format(), FileFormat::Xls);
    let names: Vec<(String, bool)> = wb
        .sheets()
        .iter()
        .map(|s| (s.name.clone(), s.hidden))
        .collect();
    assert_eq!(names[0], ("名单".to_string(), false));
    assert_eq!(names[1], ("隐藏".to_string(), true));
    assert!(wb.read_sheet(None).is_ok());
    let opts = ImportOptions {
        variables: vec![("姓名".into(), None), ("公司".into(), None)],
        ..ImportOptions::default()
    };
    let list = import(&p, &opts, None).unwrap().contacts;
    let s = list.summary();
    assert_eq!(s.sheet, "名单");
    assert_eq!(list.row(2).unwrap().number.as_deref(), Some("13800138000"));
    assert_eq!(list.row(4).unwrap().code, "phone.date");
    assert_eq!(list.row(5).unwrap().number.as_deref(), Some("13700137000"));
    // C2:C3 is merged: row 3's company is empty and the notice says why.
    assert_eq!(list.row(3).unwrap().problems[0].code, "variable.empty");
    assert!(s
        .notices
        .iter()
        .any(|n| n.code == "sheet.merged_cells" && n.message.en.contains("C2:C3")));
}
