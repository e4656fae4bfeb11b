//! `smartdial check FILE`: read a contact sheet, clean and check every number, and report
//! counts and problems (text, or `--json` for scripts). Optionally exports the problem rows
//! and the cleaned list as .xlsx.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smartdial_core::sheet::contacts::Problem;
use smartdial_core::sheet::mapping::SavedMappings;
use smartdial_core::sheet::{export, import};
use smartdial_core::text::{echo, Lang, Localized, UserError};

use crate::commands::contacts_args::ContactArgs;
use crate::commands::screening;
use crate::context::Context;
use crate::output::{fail, print_json};
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The contact file (.xlsx .xlsm .xlsb .xls .ods .csv .txt).
    file: PathBuf,
    #[command(flatten)]
    contacts: ContactArgs,
    /// Remember this mapping for sheets with the same header row.
    #[arg(long)]
    save_mapping: bool,
    /// Write the problem rows to this .xlsx.
    #[arg(long, value_name = "OUT.xlsx")]
    problems_out: Option<PathBuf>,
    /// Write the cleaned, callable list to this .xlsx.
    #[arg(long, value_name = "OUT.xlsx")]
    cleaned_out: Option<PathBuf>,
    /// How many problems the text report lists.
    #[arg(long, default_value_t = 10)]
    show: usize,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct JsonVariable {
    name: String,
    column: String,
    letter: String,
}

#[derive(Debug, Serialize)]
struct JsonProblem {
    row: u32,
    column: String,
    value: String,
    code: String,
    message: String,
    blocking: bool,
    #[serde(skip_serializing_if = "Option::is_none")]
    duplicate_of: Option<u32>,
}

#[derive(Debug, Serialize)]
struct JsonNotice {
    code: String,
    message: String,
}

#[derive(Debug, Serialize)]
struct Report {
    file: String,
    sheet: String,
    header_row: u32,
    phone_column: String,
    phone_column_letter: String,
    variables: Vec<JsonVariable>,
    rows: u32,
    valid: u32,
    fixed: u32,
    invalid: u32,
    duplicates: u32,
    /// People on the do-not-call list (left out).
    do_not_call: u32,
    /// People over the per-number limits (left out).
    over_limit: u32,
    landlines: u32,
    blank_rows: u32,
    sendable: u32,
    notices: Vec<JsonNotice>,
    problems: Vec<JsonProblem>,
}

fn json_problem(p: &Problem, lang: Lang) -> JsonProblem {
    JsonProblem {
        row: p.row,
        column: p.column.clone(),
        value: p.value.clone(),
        code: p.code.clone(),
        message: p.message.get(lang).to_string(),
        blocking: p.blocking,
        duplicate_of: p.duplicate_of,
    }
}

fn mapping_error(err: std::io::Error, path: &std::path::Path) -> UserError {
    UserError::new(
        ErrorCode::MappingsUnreadable,
        Localized::new(
            format!(
                "无法读写已保存的列对应关系“{}”：{}。",
                path.display(),
                smartdial_core::os_error::io_reason(&err).zh_cn
            ),
            format!(
                "Could not read or write saved mappings {}: {err}",
                path.display()
            ),
        ),
        Localized::new(
            "可以删除该文件后重试",
            "You can delete that file and try again",
        ),
    )
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match check(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn check(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let lang = ctx.lang;
    let options = args.contacts.import_options()?;
    let mappings_path = ctx.paths.mappings_file();
    let saved =
        SavedMappings::load(&mappings_path).map_err(|e| mapping_error(e, &mappings_path))?;
    let imported = import(&args.file, &options, Some(&saved))?;
    let mut list = imported.contacts;
    screening::screen(ctx, &mut list)?;
    if args.save_mapping {
        let mut saved = saved;
        saved.remember(&list.sheet().grid, list.header_row(), list.mapping());
        saved
            .save(&mappings_path)
            .map_err(|e| mapping_error(e, &mappings_path))?;
    }
    if let Some(out) = &args.problems_out {
        export::write_problems(&list, out, lang)?;
    }
    if let Some(out) = &args.cleaned_out {
        export::write_cleaned(&list, out, lang)?;
    }
    let s = list.summary();
    let problems = list.problems();
    if args.json {
        let report = Report {
            file: args.file.display().to_string(),
            sheet: s.sheet.clone(),
            header_row: s.header_row,
            phone_column: s.phone_column.header.clone(),
            phone_column_letter: s.phone_column.letter.clone(),
            variables: s
                .variables
                .iter()
                .map(|v| JsonVariable {
                    name: v.name.clone(),
                    column: v.column.header.clone(),
                    letter: v.column.letter.clone(),
                })
                .collect(),
            rows: s.rows,
            valid: s.valid,
            fixed: s.fixed,
            invalid: s.invalid,
            duplicates: s.duplicates,
            do_not_call: s.do_not_call,
            over_limit: s.over_limit,
            landlines: s.landlines,
            blank_rows: s.blank_rows,
            sendable: s.sendable,
            notices: s
                .notices
                .iter()
                .map(|n| JsonNotice {
                    code: n.code.clone(),
                    message: n.message.get(lang).to_string(),
                })
                .collect(),
            problems: problems.iter().map(|p| json_problem(p, lang)).collect(),
        };
        return Ok(print_json(&report));
    }
    let header = Localized::new(
        format!(
            "文件 {} · 工作表“{}” · 表头第 {} 行 · 号码列“{}”（{} 列）",
            args.file.display(),
            echo(&s.sheet),
            s.header_row,
            echo(&s.phone_column.header),
            s.phone_column.letter
        ),
        format!(
            "File {} · sheet \"{}\" · header row {} · phone column \"{}\" ({})",
            args.file.display(),
            echo(&s.sheet),
            s.header_row,
            echo(&s.phone_column.header),
            s.phone_column.letter
        ),
    );
    println!("{}", header.get(lang));
    for v in &s.variables {
        let (name, column, letter) = (echo(&v.name), echo(&v.column.header), &v.column.letter);
        let line = Localized::new(
            format!("变量 {name} ← 列“{column}”（{letter} 列）"),
            format!("Variable {name} ← column \"{column}\" ({letter})"),
        );
        println!("{}", line.get(lang));
    }
    let counts = Localized::new(
        format!(
            "共 {} 行：有效 {}，已修正 {}，无效 {}，重复 {}；可拨打 {}（其中固话 {}）",
            s.rows, s.valid, s.fixed, s.invalid, s.duplicates, s.sendable, s.landlines
        ),
        format!(
            "{} rows: {} valid, {} fixed, {} invalid, {} duplicates; {} to call ({} landlines)",
            s.rows, s.valid, s.fixed, s.invalid, s.duplicates, s.sendable, s.landlines
        ),
    );
    println!("{}", counts.get(lang));
    if s.do_not_call + s.over_limit > 0 {
        let left_out = Localized::new(
            format!(
                "不拨打：免打扰名单 {} 人，超过每个号码的拨打上限 {} 人",
                s.do_not_call, s.over_limit
            ),
            format!(
                "Not called: {} on the do-not-call list, {} over the per-number limits",
                s.do_not_call, s.over_limit
            ),
        );
        println!("{}", left_out.get(lang));
    }
    for n in &s.notices {
        let mark = if n.is_informational() { "·" } else { "!" };
        println!("{mark} {} [{}]", n.message.get(lang), n.code);
    }
    if !problems.is_empty() {
        let (all, shown) = (problems.len(), args.show.min(problems.len()));
        let title = Localized::new(
            format!("问题（共 {all} 条，显示前 {shown} 条）："),
            format!("Problems ({all} in all, first {shown}):"),
        );
        println!("{}", title.get(lang));
        for p in problems.iter().take(args.show) {
            let row = Localized::new(format!("第 {} 行", p.row), format!("row {}", p.row));
            println!(
                "  {} \"{}\": {} [{}]",
                row.get(lang),
                echo(&p.value),
                p.message.get(lang),
                p.code
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
