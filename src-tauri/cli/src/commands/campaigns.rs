//! `smartdial campaigns [CAMPAIGN] [--json]`: the journal — every campaign, or one campaign's
//! batches.

use std::process::ExitCode;

use smartdial_core::china_time;
use smartdial_core::text::{Lang, UserError};

use crate::commands::sending;
use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Show this campaign's batches instead of the list.
    campaign: Option<i64>,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match list(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn list(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let journal = sending::open_journal(ctx)?;
    let zh = ctx.lang == Lang::ZhCn;
    if let Some(id) = args.campaign {
        let campaign = journal.campaign(id).map_err(|e| e.to_user_error())?;
        let batches = journal.batches(id).map_err(|e| e.to_user_error())?;
        if args.json {
            return Ok(print_json(&serde_json::json!({
                "campaign": campaign,
                "batches": batches,
            })));
        }
        println!(
            "#{} {} · {} · {} · DialogId {}",
            campaign.id,
            china_time::describe(campaign.created_at_ms).get(ctx.lang),
            campaign.task_name,
            campaign.source_name,
            campaign.dialog_id
        );
        for b in batches {
            let detail = b
                .task_id
                .clone()
                .map(|t| format!("TaskId {t}"))
                .or_else(|| {
                    b.problem
                        .as_ref()
                        .map(|p| format!("{} [{}]", p.message.get(ctx.lang), p.code))
                })
                .unwrap_or_default();
            println!(
                "  {:>4}  {:<9} {:>5} {}  x{}  {}",
                b.index + 1,
                b.state.as_str(),
                b.called_numbers.len(),
                if zh { "人" } else { "people" },
                b.attempts,
                detail
            );
        }
        return Ok(ExitCode::SUCCESS);
    }
    let campaigns = journal.campaigns().map_err(|e| e.to_user_error())?;
    if args.json {
        return Ok(print_json(&campaigns));
    }
    if campaigns.is_empty() {
        println!(
            "{}",
            if zh {
                "还没有外呼活动。"
            } else {
                "No campaigns yet."
            }
        );
        return Ok(ExitCode::SUCCESS);
    }
    for c in campaigns {
        let n = &c.batches;
        println!(
            "#{:<4} {}  {:<9} {}/{} {}  {}/{} {}  {} {}  {}  ({}){}",
            c.id,
            china_time::describe(c.created_at_ms).get(ctx.lang),
            c.state.as_str(),
            n.sent,
            n.total(),
            if zh { "批" } else { "batches" },
            c.sent_numbers,
            c.total_numbers,
            if zh { "人" } else { "people" },
            if zh { "结果未知" } else { "unknown" },
            n.unknown,
            c.task_name,
            c.source_name,
            if c.busy {
                if zh {
                    " · 正在发送"
                } else {
                    " · sending now"
                }
            } else {
                ""
            }
        );
    }
    Ok(ExitCode::SUCCESS)
}
