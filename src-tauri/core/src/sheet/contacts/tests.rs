//! Tests of `contacts`.

use super::*;

fn list(rows: &[&[&str]], vars: &[&str], options: ValidationOptions) -> ContactList {
    ContactList::from_rows(vars, rows.iter().map(|r| r.iter().copied()), options).unwrap()
}

#[test]
fn statuses_reasons_and_duplicates_pointing_at_the_first_row() {
    let l = list(
        &[
            &["13800138000", "张三"],
            &["+86 138 0013 8000", "张三"],
            &["abc", "李四"],
            &["010-88881234", "王五"],
            &["139 0013 9000", "赵六"],
        ],
        &["name"],
        ValidationOptions::default(),
    );
    let s = l.summary();
    assert_eq!(
        (s.rows, s.valid, s.fixed, s.invalid, s.duplicates),
        (5, 2, 1, 1, 1)
    );
    assert_eq!(s.landlines, 1);
    let dup = l.row(3).unwrap();
    assert_eq!(dup.status, ContactStatus::Duplicate);
    assert_eq!(dup.duplicate_of, Some(2));
    assert_eq!(dup.problems[0].code, "phone.duplicate");
    assert!(dup.problems[0].message.en.contains("row 2"));
    assert_eq!(l.row(4).unwrap().code, "phone.bad_characters");
    assert_eq!(l.row(6).unwrap().status, ContactStatus::Fixed);
    let sendable: Vec<_> = l.sendable().map(|c| c.number).collect();
    assert_eq!(sendable, ["13800138000", "01088881234", "13900139000"]);
}

#[test]
fn empty_variables_block_unless_allowed_and_control_chars_always_block() {
    let rows: &[&[&str]] = &[
        &["13800138000", ""],
        &["13900139000", "a\u{7}b"],
        &["13700137000", "ok"],
    ];
    let l = list(rows, &["name"], ValidationOptions::default());
    assert_eq!(l.sendable_count(), 1);
    let p = l.problems();
    assert_eq!(p[0].code, "variable.empty");
    assert_eq!(p[0].row, 2);
    assert_eq!(p[1].code, "variable.control_chars");
    let l = list(
        rows,
        &["name"],
        ValidationOptions {
            allow_empty_variables: true,
            ..ValidationOptions::default()
        },
    );
    assert_eq!(l.sendable_count(), 2);
    assert!(!l.problems()[0].blocking);
}

#[test]
fn blocking_counts_rows_the_user_must_fix_or_exclude() {
    let rows: &[&[&str]] = &[
        &["13800138000", "张三"],
        &["+86 138 0013 8000", "张三"],
        &["abc", "李四"],
        &["13900139000", ""],
        &["13700137000", "a\u{7}b"],
        &["010-88881234", "王五"],
        &["13800138000", ""],
    ];
    // Rows 4 (number), 5 (empty variable) and 6 (control character); not the duplicates
    // (3, and 8 although its variable is empty), not the landline warning (7).
    let mut l = list(rows, &["name"], ValidationOptions::default());
    assert_eq!(l.summary().blocking, 3);
    // The same rows as the blocking problems of rows that are not left out anyway.
    let own_blocking = |l: &ContactList| {
        let mut rows: Vec<u32> = l
            .problems()
            .iter()
            .filter(|p| p.blocking)
            .filter(|p| {
                let status = l.row(p.row).unwrap().status;
                !matches!(status, ContactStatus::Excluded | ContactStatus::Duplicate)
            })
            .map(|p| p.row)
            .collect();
        rows.dedup();
        rows
    };
    assert_eq!(own_blocking(&l), [4, 5, 6]);
    l.set_excluded(4, true).unwrap();
    assert_eq!(l.summary().blocking, 2);
    assert_eq!(own_blocking(&l), [5, 6]);
    let allowed = list(
        rows,
        &["name"],
        ValidationOptions {
            allow_empty_variables: true,
            ..ValidationOptions::default()
        },
    );
    assert_eq!(allowed.summary().blocking, 2);
    assert_eq!(own_blocking(&allowed), [4, 6]);
    let json = serde_json::to_value(allowed.summary()).unwrap();
    assert_eq!(json["blocking"], 2);
}

#[test]
fn excluding_the_blocking_rows_in_one_call_equals_excluding_them_one_by_one() {
    let rows: &[&[&str]] = &[
        &["13800138000", "张三"],
        &["+86 138 0013 8000", "张三"],
        &["abc", "李四"],
        &["13900139000", ""],
        &["13700137000", "a\u{7}b"],
        &["010-88881234", "王五"],
        &["13800138000", ""],
        &["13600136000", ""],
        &["13600136000", "赵六"],
    ];
    let mut one_call = list(rows, &["name"], ValidationOptions::default());
    let mut by_row = list(rows, &["name"], ValidationOptions::default());
    let blocking: Vec<u32> = by_row
        .problems()
        .into_iter()
        .filter(|p| p.blocking && p.duplicate_of.is_none())
        .map(|p| p.row)
        .collect();
    for row in &blocking {
        by_row.set_excluded(*row, true).unwrap();
    }
    assert_eq!(one_call.exclude_blocking_rows(), blocking.len());
    assert_eq!(one_call.summary().blocking, 0);
    assert_eq!(
        serde_json::to_value(one_call.summary()).unwrap(),
        serde_json::to_value(by_row.summary()).unwrap()
    );
    assert_eq!(one_call.problems(), by_row.problems());
    // Row 10 was a duplicate of row 9 (empty variable, now excluded): it is called.
    assert_eq!(one_call.row(10).unwrap().status, ContactStatus::Valid);
    assert_eq!(one_call.exclude_blocking_rows(), 0);
}

#[test]
fn fixing_and_excluding_revalidate_the_list() {
    let mut l = list(
        &[&["13800138000"], &["1380013800"], &["13800138000"]],
        &[] as &[&str],
        ValidationOptions::default(),
    );
    assert_eq!(l.summary().invalid, 1);
    let fixed = l.fix_number(3, "139-0013-9000").unwrap();
    assert_eq!(fixed.status, ContactStatus::Fixed);
    assert_eq!(fixed.original, "139-0013-9000");
    assert_eq!(l.row(4).unwrap().status, ContactStatus::Duplicate);
    // Excluding the first occurrence lets the later one through.
    l.set_excluded(2, true).unwrap();
    assert_eq!(l.row(4).unwrap().status, ContactStatus::Valid);
    assert_eq!(l.row(2).unwrap().status, ContactStatus::Excluded);
    assert!(l.fix_number(1, "x").is_err());
    assert_eq!(
        l.page(
            0,
            10,
            RowFilter {
                only_problems: true
            }
        )
        .total,
        1
    );
    assert_eq!(l.page(1, 1, RowFilter::default()).rows[0].row, 3);
}

#[test]
fn header_only_and_blank_rows() {
    let err = ContactList::from_rows(
        &["x"],
        Vec::<Vec<&str>>::new(),
        ValidationOptions::default(),
    )
    .unwrap_err();
    assert_eq!(err.code(), "sheet.header_only");
    let l = list(
        &[&["13800138000"], &[], &["13900139000"]],
        &[] as &[&str],
        ValidationOptions::default(),
    );
    assert_eq!(l.summary().blank_rows, 1);
    assert_eq!(l.summary().rows, 2);
}
