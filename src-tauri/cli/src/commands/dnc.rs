//! `smartdial dnc`: the do-not-call list (免打扰名单). Numbers on it are never sent: `check`,
//! `submit` and `recall` leave them out, and only `dnc remove` lets one through again.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::compliance::dnc::{self, DncChange, DncEntry, DncSource};
use smartdial_core::sheet::ImportOptions;
use smartdial_core::text::{echo, Lang, Localized, UserError};

use crate::commands::sending;
use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
    /// Print JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Put numbers on the list (any way a sheet writes them: +86, spaces, dashes…).
    Add {
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
        /// Why (e.g. 投诉, 客户要求不再来电).
        #[arg(long)]
        reason: Option<String>,
    },
    /// Put every number of a sheet on the list (.xlsx .xls .ods .csv …).
    Import {
        file: PathBuf,
        /// Sheet name (default: the first visible sheet).
        #[arg(long, value_name = "NAME")]
        sheet: Option<String>,
        /// Phone column: header text, letter (B) or 1-based number (default: detected).
        #[arg(long, value_name = "HEADER")]
        phone_column: Option<String>,
        /// 1-based header row (default: detected).
        #[arg(long, value_name = "N")]
        header_row: Option<usize>,
        #[arg(long)]
        reason: Option<String>,
    },
    /// List the numbers, newest first.
    List {
        /// Only numbers or reasons containing this text.
        #[arg(long)]
        search: Option<String>,
        /// How many to show (0: all).
        #[arg(long, default_value_t = 50)]
        limit: u32,
    },
    /// Take numbers off the list: they may be called again.
    Remove {
        #[arg(required = true, value_name = "NUMBER")]
        numbers: Vec<String>,
    },
    /// Write the whole list to an Excel file.
    Export {
        #[arg(value_name = "OUT.xlsx")]
        out: PathBuf,
    },
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match dnc_command(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn dnc_command(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let lang = ctx.lang;
    let mut journal = sending::open_journal(ctx)?;
    let now = SystemClock.now_ms();
    match &args.action {
        Action::Add { numbers, reason } => {
            let change = dnc::add(
                &mut journal,
                numbers.iter().map(String::as_str),
                reason.as_deref(),
                DncSource::Manual,
                now,
            )?;
            Ok(print_change(lang, args.json, &change, Verb::Add))
        }
        Action::Import {
            file,
            sheet,
            phone_column,
            header_row,
            reason,
        } => {
            let options = ImportOptions {
                sheet: sheet.clone(),
                phone_column: phone_column.clone(),
                header_row: *header_row,
                ..ImportOptions::default()
            };
            let change = dnc::import(&mut journal, file, &options, reason.as_deref(), now)?;
            Ok(print_change(lang, args.json, &change, Verb::Add))
        }
        Action::Remove { numbers } => {
            let change = dnc::remove(&mut journal, numbers.iter().map(String::as_str))?;
            Ok(print_change(lang, args.json, &change, Verb::Remove))
        }
        Action::List { search, limit } => {
            let limit = if *limit == 0 { u32::MAX } else { *limit };
            let page = dnc::list(&journal, search.as_deref(), 0, limit)?;
            if args.json {
                return Ok(print_json(&page));
            }
            println!(
                "{}",
                Localized::new(
                    format!(
                        "免打扰名单：{} 个号码（显示 {} 个）",
                        page.total,
                        page.entries.len()
                    ),
                    format!(
                        "Do-not-call list: {} numbers ({} shown)",
                        page.total,
                        page.entries.len()
                    ),
                )
                .get(lang)
            );
            for e in &page.entries {
                println!("{}", entry_line(lang, e));
            }
            Ok(ExitCode::SUCCESS)
        }
        Action::Export { out } => {
            let n = dnc::export_xlsx(&journal, out, lang)?;
            #[derive(Serialize)]
            struct Exported<'a> {
                file: &'a std::path::Path,
                numbers: u64,
            }
            if args.json {
                return Ok(print_json(&Exported {
                    file: out,
                    numbers: n,
                }));
            }
            println!(
                "{}",
                Localized::new(
                    format!("已把 {n} 个号码写入 {}", out.display()),
                    format!("Wrote {n} numbers to {}", out.display()),
                )
                .get(lang)
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}

enum Verb {
    Add,
    Remove,
}

fn print_change(lang: Lang, json: bool, change: &DncChange, verb: Verb) -> ExitCode {
    if json {
        return print_json(change);
    }
    let line = match verb {
        Verb::Add => Localized::new(
            format!(
                "已加入免打扰名单 {} 个号码；{} 个原来就在名单中。",
                change.changed, change.unchanged
            ),
            format!(
                "Added {} numbers to the do-not-call list; {} were on it already.",
                change.changed, change.unchanged
            ),
        ),
        Verb::Remove => Localized::new(
            format!(
                "已从免打扰名单移除 {} 个号码（以后可以再拨打）；{} 个本来就不在名单中。",
                change.changed, change.unchanged
            ),
            format!(
                "Removed {} numbers from the do-not-call list (they may be called again); {} were not on it.",
                change.changed, change.unchanged
            ),
        ),
    };
    println!("{}", line.get(lang));
    if change.not_number_count > 0 {
        println!(
            "{}",
            Localized::new(
                format!("{} 项不是电话号码，已跳过：", change.not_number_count),
                format!(
                    "{} items are not phone numbers and were skipped:",
                    change.not_number_count
                ),
            )
            .get(lang)
        );
        for n in &change.not_numbers {
            println!("  \"{}\": {}", echo(&n.text), n.message.get(lang));
        }
    }
    ExitCode::SUCCESS
}

fn entry_line(lang: Lang, e: &DncEntry) -> String {
    let when = smartdial_core::china_time::format(e.added_at_ms);
    let reason = e.reason.as_deref().map(echo).unwrap_or_default();
    match lang {
        Lang::ZhCn => format!("  {}  {when} 加入  {reason}", e.number),
        Lang::En => format!("  {}  added {when}  {reason}", e.number),
    }
}
