//! `smartdial export OUT.xlsx [--campaign ID]`: the results report as an Excel file in the
//! CLI's language (one row per person, a summary sheet of counts, the codes on a last
//! sheet). Reads the journal only: run
//! `smartdial results --refresh` first for the latest results.

use std::path::PathBuf;
use std::process::ExitCode;

use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::results::export::write_results;
use smartdial_core::results::{load_results, most_recent_campaign};
use smartdial_core::text::{Localized, UserError};

use crate::commands::sending;
use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The .xlsx file to write.
    out: PathBuf,
    /// The campaign number; default: the most recent campaign.
    #[arg(long)]
    campaign: Option<i64>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match export(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn export(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let journal = sending::open_journal(ctx)?;
    let id = match args.campaign {
        Some(id) => id,
        None => most_recent_campaign(&journal).map_err(|e| e.to_user_error())?,
    };
    let results =
        load_results(&journal, id, SystemClock.now_ms()).map_err(|e| e.to_user_error())?;
    let people = write_results(&results, &args.out, ctx.lang).map_err(|e| e.to_user_error())?;
    if args.json {
        return Ok(print_json(&serde_json::json!({
            "campaignId": id,
            "file": args.out,
            "people": people,
            "pending": results.pending,
        })));
    }
    let file = args.out.display();
    let exported = Localized::new(
        format!("已导出活动 #{id} 的 {people} 人到 {file}"),
        format!("Exported {people} people of campaign #{id} to {file}"),
    );
    println!("{}", exported.get(ctx.lang));
    if results.pending > 0 {
        let pending = results.pending;
        let hint = Localized::new(
            format!("其中 {pending} 人还没有结果：先运行 `smartdial results {id} --refresh` 可获取最新结果。"),
            format!("{pending} people have no result yet: run `smartdial results {id} --refresh` first for the latest."),
        );
        println!("{}", hint.get(ctx.lang));
    }
    Ok(ExitCode::SUCCESS)
}
