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

/// Peak memory (KB) and wall time of one `smartdial` run, from `/usr/bin/time` when the
/// machine has it (wall time alone otherwise).
fn measured(cli: &Cli, args: &[&str]) -> (std::process::Output, Option<u64>, std::time::Duration) {
    let time = std::path::Path::new("/usr/bin/time");
    let report = cli.data_path().join("time.txt");
    let started = std::time::Instant::now();
    let out = if time.exists() {
        let inner = cli.command();
        let mut cmd = std::process::Command::new(time);
        cmd.args(["-f", "%M", "-o"])
            .arg(&report)
            .arg(inner.get_program())
            .args(args);
        for (k, v) in inner.get_envs() {
            match v {
                Some(v) => cmd.env(k, v),
                None => cmd.env_remove(k),
            };
        }
        cmd.output().expect("run smartdial under /usr/bin/time")
    } else {
        cli.run(args)
    };
    let took = started.elapsed();
    let peak_kb = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last().and_then(|l| l.trim().parse().ok()));
    (out, peak_kb, took)
}

/// `check` on every hostile file (issue 11): the expected coded error (or a normal read)
/// within 10 s and 512 MB, never a crash. Figures: `cargo test -p smartdial-cli --test cli
/// hostile -- --nocapture`.
#[test]
fn check_answers_every_hostile_file_quickly_and_in_bounded_memory() {
    use smartdial_core::sheet::read::hostile::{write_corpus, Expect};
    const TIME_BOUND: std::time::Duration = std::time::Duration::from_secs(10);
    const MEMORY_BOUND_KB: u64 = 512 * 1024;
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli::new();
    for h in write_corpus(dir.path()).unwrap() {
        let file = h.path.display().to_string();
        let (out, peak_kb, took) = measured(&cli, &["check", &file, "--json"]);
        let v: Value = serde_json::from_str(&stdout(&out))
            .unwrap_or_else(|_| panic!("{}: no JSON; stderr {}", h.name, stderr(&out)));
        eprintln!(
            "{:<24} {:>7.3} s  {:>8} KB peak  {}",
            h.name,
            took.as_secs_f64(),
            peak_kb.map_or("?".to_string(), |k| k.to_string()),
            v["error"]["code"].as_str().unwrap_or("read")
        );
        assert!(took < TIME_BOUND, "{}: {took:?}", h.name);
        if let Some(kb) = peak_kb {
            assert!(kb < MEMORY_BOUND_KB, "{}: {kb} KB", h.name);
        }
        match h.expect {
            Expect::Reads => {
                assert!(out.status.success(), "{}: {}", h.name, stdout(&out));
                assert_eq!(v["valid"], 1, "{}", h.name);
            }
            Expect::Error { code, message } => {
                assert_eq!(out.status.code(), Some(1), "{}", h.name);
                assert_eq!(v["error"]["code"], code, "{}", h.name);
                let en = v["error"]["message"]["en"].as_str().unwrap();
                assert!(
                    en.contains(message) && en.contains(h.name),
                    "{}: {en}",
                    h.name
                );
                assert!(stdout(&out).len() < 2000, "{}: {}", h.name, stdout(&out));
            }
        }
    }
}

/// User text in `check`'s messages and report is cut to 40 characters + "…".
#[test]
fn check_caps_echoed_cells_headers_and_arguments() {
    let dir = tempfile::tempdir().unwrap();
    let cli = Cli::new();
    let long_header = "备".repeat(30_000);
    let bad_value = format!("\x1b[31m{}", "9".repeat(30_000));
    let p = dir.path().join("long.csv");
    std::fs::write(
        &p,
        format!("{long_header},手机号\n甲,13800138000\n乙,{bad_value}\n"),
    )
    .unwrap();
    let file = p.display().to_string();
    let out = cli.run(&["check", &file]);
    assert!(out.status.success(), "{}", stderr(&out));
    let text = stdout(&out);
    assert!(text.len() < 2000, "{text}");
    // ESC [31m and 35 nines are the first 40 characters; ESC is shown as a space.
    assert!(
        text.contains(&format!(" [31m{}…", "9".repeat(35))),
        "{text}"
    );
    assert!(
        !text.contains('\x1b'),
        "a cell drove the terminal: {text:?}"
    );
    // A missing column named by a long argument, and the headers listed beside it.
    let wanted = "列".repeat(10_000);
    let out = cli.run(&["check", &file, "--phone-column", &wanted]);
    assert_eq!(out.status.code(), Some(1));
    let err = stderr(&out);
    assert!(err.len() < 1000, "{err}");
    assert!(err.contains(&format!("{}…", "列".repeat(40))), "{err}");
    let out = cli.run(&[
        "check",
        &file,
        "--var",
        &format!("{}=x", "变".repeat(10_000)),
    ]);
    assert!(stderr(&out).len() < 1000, "{}", stderr(&out));
}

/// An instructions sheet first, the contacts second (the way marketers' workbooks come).
fn two_sheet_workbook(cli: &Cli, contacts: bool) -> std::path::PathBuf {
    let path = cli.data_path().join(format!("双表-{contacts}.xlsx"));
    let mut wb = rust_xlsxwriter::Workbook::new();
    let ws = wb.add_worksheet().set_name("说明").unwrap();
    ws.write_string(0, 0, "请在“客户名单”表里填写客户的手机号，每行一位客户")
        .unwrap();
    let ws = wb.add_worksheet().set_name("客户名单").unwrap();
    ws.merge_range(
        0,
        0,
        0,
        1,
        "2026 双十一客户回访",
        &rust_xlsxwriter::Format::new(),
    )
    .unwrap();
    ws.write_string(1, 0, "姓名").unwrap();
    ws.write_string(1, 1, "手机号").unwrap();
    for (r, (name, phone)) in [("张三", "13800138000"), ("李四", "139 0013 9000")]
        .into_iter()
        .enumerate()
    {
        ws.write_string(r as u32 + 2, 0, name).unwrap();
        ws.write_string(r as u32 + 2, 1, if contacts { phone } else { "待补充" })
            .unwrap();
    }
    wb.save(&path).unwrap();
    path
}

#[test]
fn check_without_sheet_reads_the_contact_sheet_and_says_so() {
    let cli = Cli::new();
    let path = two_sheet_workbook(&cli, true);
    let p = path.to_str().unwrap();
    let v = json(&cli, &["check", p, "--json"]);
    assert_eq!(v["sheet"], "客户名单");
    assert_eq!(v["phone_column"], "手机号");
    assert_eq!(
        (v["rows"].as_u64(), v["sendable"].as_u64()),
        (Some(2), Some(2))
    );
    let chosen = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "sheet.chosen")
        .expect("the choice is said");
    assert!(
        chosen["message"]
            .as_str()
            .unwrap()
            .contains("\"客户名单\": it holds the phone numbers"),
        "{chosen}"
    );
    let out = cli
        .command()
        .args(["--lang", "zh-CN", "check", p])
        .output()
        .unwrap();
    let text = stdout(&out);
    assert!(text.contains("工作表“客户名单”"), "{text}");
    assert!(
        text.contains("已选择“客户名单”：这张表里有手机号 [sheet.chosen]"),
        "{text}"
    );

    // Named, the instructions sheet is read, and the answer says it has no numbers.
    let out = cli.run(&["check", p, "--sheet", "说明", "--json"]);
    assert!(!out.status.success());
    let v: Value = serde_json::from_str(&stdout(&out)).unwrap();
    assert_eq!(v["error"]["code"], "sheet.phone_column_not_found");
}

#[test]
fn check_on_a_workbook_without_phone_numbers_says_so() {
    let cli = Cli::new();
    // A phone column without one valid number: that sheet is read, and said to hold none.
    let path = two_sheet_workbook(&cli, false);
    let v = json(&cli, &["check", path.to_str().unwrap(), "--json"]);
    assert_eq!(v["sheet"], "客户名单");
    let notice = v["notices"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["code"] == "sheet.no_phone_column")
        .expect("no numbers is said");
    assert!(
        notice["message"]
            .as_str()
            .unwrap()
            .contains("None of the 2 sheets"),
        "{notice}"
    );
    assert_eq!(v["sendable"], 0);

    // No phone column anywhere: an error that says every sheet was looked at.
    let path = cli.data_path().join("无号码.xlsx");
    let mut wb = rust_xlsxwriter::Workbook::new();
    for name in ["说明", "统计"] {
        let ws = wb.add_worksheet().set_name(name).unwrap();
        ws.write_string(0, 0, "无").unwrap();
    }
    wb.save(&path).unwrap();
    let out = cli
        .command()
        .args(["--lang", "zh-CN", "check", path.to_str().unwrap()])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let err = stderr(&out);
    assert!(
        err.contains("的 2 张工作表里都找不到号码列（已打开“说明”")
            && err.contains("[sheet.phone_column_not_found]"),
        "{err}"
    );
}
