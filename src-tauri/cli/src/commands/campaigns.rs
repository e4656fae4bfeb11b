//! `smartdial campaigns [CAMPAIGN] [--json]`: the journal — every campaign, or one campaign's
//! batches.

use std::process::ExitCode;

use smartdial_core::china_time;
use smartdial_core::text::{Lang, UserError};

use crate::commands::results::pad;
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
            "#{} {} · {} · {} · {} · {} {}",
            campaign.id,
            china_time::describe(campaign.created_at_ms).get(ctx.lang),
            campaign.state.label().get(ctx.lang),
            campaign.task_name,
            campaign.source_name,
            if zh { "话术ID" } else { "script ID" },
            campaign.dialog_id
        );
        for b in batches {
            let detail = b
                .task_id
                .clone()
                .map(|t| format!("{} {t}", if zh { "任务ID" } else { "task ID" }))
                .or_else(|| {
                    b.problem
                        .as_ref()
                        .map(|p| format!("{} [{}]", p.message.get(ctx.lang), p.code))
                })
                .unwrap_or_default();
            println!(
                "  {:>4}  {} {:>5} {}  {}  {}",
                b.index + 1,
                pad(b.state.label().get(ctx.lang), 12),
                b.called_numbers.len(),
                if zh { "人" } else { "people" },
                if zh {
                    format!("发送 {} 次", b.attempts)
                } else {
                    format!(
                        "{} {}",
                        b.attempts,
                        if b.attempts == 1 { "try" } else { "tries" }
                    )
                },
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
            "#{:<4} {}  {} {}/{} {}  {}/{} {}  {} {}  {}  ({}){}",
            c.id,
            china_time::describe(c.created_at_ms).get(ctx.lang),
            pad(c.state.label().get(ctx.lang), 10),
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
