use super::*;
use crate::campaign::journal::Journal;
use crate::text::Lang;

const T0: i64 = 1_764_000_000_000;

fn open(dir: &tempfile::TempDir) -> Journal {
    Journal::open(&dir.path().join("journal.sqlite3"), T0).expect("open")
}

#[test]
fn one_entry_per_number_however_it_is_written() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let first = add(
        &mut j,
        ["+86 138-0013-8000"],
        Some("投诉"),
        DncSource::Manual,
        T0,
    )
    .expect("add");
    assert_eq!((first.changed, first.unchanged), (1, 0));
    let again = add(
        &mut j,
        ["13800138000", "１３８ ００１３ ８０００", "abc"],
        Some("又一次"),
        DncSource::Manual,
        T0 + 1,
    )
    .expect("add again");
    assert_eq!(
        (again.changed, again.unchanged, again.not_number_count),
        (0, 2, 1)
    );
    assert_eq!(again.not_numbers[0].text, "abc");
    let entry = find(&j, "138 0013 8000").expect("find").expect("listed");
    assert_eq!(entry.number, "13800138000");
    assert_eq!(
        entry.reason.as_deref(),
        Some("投诉"),
        "the first reason stays"
    );
    assert_eq!(entry.added_at_ms, T0);
    assert_eq!(count(&j).expect("count"), 1);
}

#[test]
fn search_pages_and_removal() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    add(
        &mut j,
        ["13800138000", "13900139000"],
        Some("拒绝"),
        DncSource::Results,
        T0,
    )
    .expect("add");
    add(&mut j, ["010-12345678"], None, DncSource::Manual, T0 + 5).expect("add landline");
    let all = list(&j, None, 0, 10).expect("list");
    assert_eq!(all.total, 3);
    assert_eq!(all.entries[0].number, "01012345678", "newest first");
    assert_eq!(list(&j, Some("38000"), 0, 10).expect("search").total, 1);
    assert_eq!(list(&j, Some("拒绝"), 0, 10).expect("reason").total, 2);
    assert_eq!(
        list(&j, Some("%"), 0, 10).expect("wildcard").total,
        3,
        "% is not a wildcard"
    );
    assert_eq!(list(&j, None, 1, 1).expect("page").entries.len(), 1);
    let gone = remove(&mut j, ["+8613800138000", "13700000000"]).expect("remove");
    assert_eq!((gone.changed, gone.unchanged), (1, 1));
    assert!(find(&j, "13800138000").expect("find").is_none());
    let keys = [
        number_key("13800138000").expect("key"),
        number_key("13900139000").expect("key"),
    ];
    let hits = lookup(&j, &keys).expect("lookup");
    assert_eq!(hits.len(), 1);
    assert_eq!(hits[0].0, keys[1]);
    assert_eq!(hits[0].1.reason.as_deref(), Some("拒绝"));
}

#[test]
fn a_messy_sheet_imports_like_a_contact_sheet() {
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    let csv = dir.path().join("拒接名单.csv");
    std::fs::write(
        &csv,
        "姓名,联系电话\n张三,+86 138-0013-8000\n李四,13800138000\n王五,１３９００１３９０００\n赵六,不详\n钱七,(010) 1234-5678\n",
    )
    .expect("csv");
    let change = import(
        &mut j,
        &csv,
        &ImportOptions::default(),
        Some("客户要求"),
        T0,
    )
    .expect("import");
    assert_eq!(change.changed, 3, "{change:?}");
    assert_eq!(change.not_number_count, 1);
    assert!(
        change.not_numbers[0].message.zh_cn.starts_with("第 5 行"),
        "{change:?}"
    );
    for n in ["13800138000", "13900139000", "01012345678"] {
        assert_eq!(
            find(&j, n).expect("find").expect(n).source,
            DncSource::Import
        );
    }
}

#[test]
fn the_export_holds_every_entry_as_text() {
    use calamine::{open_workbook_auto, Data, Reader};
    let dir = tempfile::tempdir().expect("tempdir");
    let mut j = open(&dir);
    add(
        &mut j,
        ["13800138000", "01012345678"],
        Some("投诉"),
        DncSource::Manual,
        T0,
    )
    .expect("add");
    let out = dir.path().join("免打扰.xlsx");
    assert_eq!(export_xlsx(&j, &out, Lang::ZhCn).expect("export"), 2);
    let mut wb = open_workbook_auto(&out).expect("read back");
    let range = wb.worksheet_range("免打扰名单").expect("sheet");
    let rows: Vec<Vec<String>> = range
        .rows()
        .map(|r| {
            r.iter()
                .map(|c| match c {
                    Data::String(s) => s.clone(),
                    other => format!("{other:?}"),
                })
                .collect()
        })
        .collect();
    assert_eq!(rows[0][0], "手机号");
    let numbers: Vec<&str> = rows[1..].iter().map(|r| r[0].as_str()).collect();
    assert_eq!(numbers, ["01012345678", "13800138000"]);
    assert_eq!(rows[1][1], "投诉");
    assert_eq!(rows[1][3], "手动添加");
}
