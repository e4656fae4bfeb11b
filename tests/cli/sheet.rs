//! `smartdial check` and `smartdial template` on real files: a messy checked-in CSV (title
//! row, blank row, BOM, CRLF, every kind of bad number) and files written by the tests.

use serde_json::Value;

use crate::support::{fixture_dir, stderr, stdout, Cli};

fn messy() -> String {
    fixture_dir().join("sheets/messy.csv").display().to_string()
}

fn json(cli: &Cli, args: &[&str]) -> Value {
    let out = cli.run(args);
    assert!(out.status.success(), "stderr: {}", stderr(&out));
    serde_json::from_str(&stdout(&out)).expect("JSON output")
}

fn codes(v: &Value) -> Vec<(u64, String)> {
    v["problems"]
        .as_array()
        .expect("problems")
        .iter()
        .map(|p| {
            (
                p["row"].as_u64().unwrap(),
                p["code"].as_str().unwrap().to_string(),
            )
        })
        .collect()
}

#[test]
fn check_json_reports_counts_mapping_and_every_problem() {
    let cli = Cli::new();
    let v = json(&cli, &["check", &messy(), "--var", "产品", "--json"]);
    assert_eq!(v["sheet"], "messy");
    assert_eq!(v["header_row"], 3);
    assert_eq!(v["phone_column"], "手机号码");
    assert_eq!(v["variables"][0]["name"], "产品");
    assert_eq!(v["variables"][0]["column"], "产品");
    assert_eq!(
        (
            &v["rows"],
            &v["valid"],
            &v["fixed"],
            &v["invalid"],
            &v["duplicates"]
        ),
        (
            &Value::from(8),
            &Value::from(1),
            &Value::from(3),
            &Value::from(3),
            &Value::from(1)
        )
    );
    assert_eq!(v["sendable"], 4);
    assert_eq!(
        codes(&v),
        [
            (6, "phone.scientific_notation".to_string()),
            (7, "phone.landline".to_string()),
            (8, "phone.duplicate".to_string()),
            (9, "phone.bad_characters".to_string()),
            (11, "phone.international".to_string()),
        ]
    );
    let dup = &v["problems"][2];
    assert_eq!(dup["value"], "13800138000");
    assert_eq!(dup["duplicate_of"], 4);
    // SMARTDIAL_LANG=en in the test environment.
    assert!(dup["message"].as_str().unwrap().contains("same as row 4"));
    assert_eq!(v["problems"][1]["blocking"], false);
}

#[test]
fn check_text_in_both_languages() {
    let cli = Cli::new();
    let out = cli.run(&["check", &messy()]);
    assert!(out.status.success());
    let text = stdout(&out);
    assert!(
        text.contains("8 rows: 1 valid, 3 fixed, 3 invalid, 1 duplicates; 4 to call (1 landlines)"),
        "{text}"
    );
    assert!(text.contains("row 6 \"1.38001E+10\""), "{text}");
    let out = cli
        .command()
        .args(["--lang", "zh-CN", "check", &messy()])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(
        text.contains("共 8 行：有效 1，已修正 3，无效 3，重复 1"),
        "{text}"
    );
    assert!(text.contains("第 9 行"), "{text}");
}

#[test]
fn mobile_only_and_overrides() {
    let cli = Cli::new();
    let v = json(&cli, &["check", &messy(), "--mobile-only", "--json"]);
    assert_eq!(
        (v["valid"].as_u64(), v["invalid"].as_u64()),
        (Some(0), Some(4))
    );
    assert!(codes(&v).contains(&(7, "phone.landline_not_allowed".to_string())));
    let v = json(
        &cli,
        &[
            "check",
            &messy(),
            "--header-row",
            "3",
            "--phone-column",
            "B",
            "--var",
            "称呼=A",
            "--json",
        ],
    );
    assert_eq!(v["phone_column"], "手机号码");
    assert_eq!(v["variables"][0]["column"], "姓名");
    // 备注 is empty in most rows: empty values block by default, not with the flag.
    let v = json(&cli, &["check", &messy(), "--var", "备注", "--json"]);
    assert!(codes(&v).contains(&(4, "variable.empty".to_string())));
    // Rows 5 (老客户) and 10 (全角) have a 备注 and a usable number.
    assert_eq!(v["sendable"], 2);
    let v = json(
        &cli,
        &[
            "check",
            &messy(),
            "--var",
            "备注",
            "--allow-empty-variables",
            "--json",
        ],
    );
    assert_eq!(v["sendable"], 4);
}

#[test]
fn saved_mapping_is_reused() {
    let cli = Cli::new();
    json(
        &cli,
        &[
            "check",
            &messy(),
            "--var",
            "话术变量=产品",
            "--save-mapping",
            "--json",
        ],
    );
    assert!(cli.data_path().join("mappings.json").exists());
    let v = json(&cli, &["check", &messy(), "--var", "话术变量", "--json"]);
    assert_eq!(v["variables"][0]["column"], "产品");
    // Without the saved mapping the name matches nothing.
    let fresh = Cli::new();
    let out = fresh.run(&["check", &messy(), "--var", "话术变量", "--json"]);
    assert!(!out.status.success());
    let err: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(err["error"]["code"], "sheet.variable_column_not_found");
}

#[test]
fn exports_are_readable_xlsx() {
    use calamine::{open_workbook_auto, Data, Reader};
    let cli = Cli::new();
    let problems = cli.data_path().join("problems.xlsx");
    let cleaned = cli.data_path().join("cleaned.xlsx");
    let out = cli.run(&[
        "check",
        &messy(),
        "--var",
        "姓名",
        "--problems-out",
        problems.to_str().unwrap(),
        "--cleaned-out",
        cleaned.to_str().unwrap(),
    ]);
    assert!(out.status.success(), "{}", stderr(&out));
    let mut wb = open_workbook_auto(&problems).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.get((0, 0)), Some(&Data::String("Row".into())));
    assert_eq!(range.get((1, 0)), Some(&Data::Float(6.0)));
    assert_eq!(range.get((1, 2)), Some(&Data::String("1.38001E+10".into())));
    let mut wb = open_workbook_auto(&cleaned).unwrap();
    let range = wb.worksheet_range_at(0).unwrap().unwrap();
    assert_eq!(range.height(), 5);
    assert_eq!(range.get((1, 0)), Some(&Data::String("13800138000".into())));
    assert_eq!(range.get((1, 1)), Some(&Data::String("张三".into())));
    assert_eq!(range.get((3, 0)), Some(&Data::String("01088881234".into())));
}

#[test]
fn template_writes_a_checkable_file_and_does_not_overwrite() {
    let cli = Cli::new();
    let out_path = cli.data_path().join("模板.xlsx");
    let p = out_path.to_str().unwrap();
    let out = cli.run(&["template", p]);
    assert!(out.status.success(), "{}", stderr(&out));
    let v = json(
        &cli,
        &["check", p, "--var", "姓名", "--var", "产品", "--json"],
    );
    assert_eq!(
        (v["rows"].as_u64(), v["valid"].as_u64()),
        (Some(2), Some(2))
    );
    assert_eq!(v["phone_column"], "手机号");
    let again = cli.run(&["template", p]);
    assert!(!again.status.success());
    assert!(stderr(&again).contains("[template.exists]"));
    assert!(cli.run(&["template", p, "--force"]).status.success());
}

#[test]
fn errors_name_the_file_with_a_code() {
    let cli = Cli::new();
    let empty = cli.data_path().join("空的.xlsx");
    std::fs::write(&empty, b"").unwrap();
    let out = cli.run(&["check", empty.to_str().unwrap()]);
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("空的.xlsx is empty") && err.contains("[sheet.empty_file]"),
        "{err}"
    );

    let out = cli.run(&["check", &messy(), "--sheet", "Sheet9", "--json"]);
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["error"]["code"], "sheet.sheet_not_found");
    assert!(v["error"]["message"]["en"]
        .as_str()
        .unwrap()
        .contains("messy.csv"));
    assert!(v["error"]["message"]["zhCn"]
        .as_str()
        .unwrap()
        .contains("messy.csv"));

    let out = cli.run(&["check", "/nonexistent/名单.xlsx"]);
    assert!(stderr(&out).contains("[sheet.not_found]"));
    let out = cli.run(&["check", &messy(), "--var", "=x"]);
    assert!(stderr(&out).contains("[cli.bad_variable]"));
}
