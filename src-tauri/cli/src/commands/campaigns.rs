//! `smartdial campaigns [CAMPAIGN] [--json]`: the journal — every campaign, or one campaign's
//! batches.

use std::process::ExitCode;

use smartdial_core::china_time;
use smartdial_core::text::{Localized, UserError};

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
    let lang = ctx.lang;
    let people = Localized::new("人", "people");
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
            Localized::new("话术ID", "script ID").get(lang),
            campaign.dialog_id
        );
        for b in batches {
            let detail = b
                .task_id
                .clone()
                .map(|t| format!("{} {t}", Localized::new("任务ID", "task ID").get(lang)))
                .or_else(|| {
                    b.problem
                        .as_ref()
                        .map(|p| format!("{} [{}]", p.message.get(lang), p.code))
                })
                .unwrap_or_default();
            let tries = Localized::new(
                format!("发送 {} 次", b.attempts),
                format!(
                    "{} {}",
                    b.attempts,
                    if b.attempts == 1 { "try" } else { "tries" }
                ),
            );
            println!(
                "  {:>4}  {} {:>5} {}  {}  {}",
                b.index + 1,
                pad(b.state.label().get(ctx.lang), 12),
                b.called_numbers.len(),
                people.get(lang),
                tries.get(lang),
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
            Localized::new("还没有外呼活动。", "No campaigns yet.").get(lang)
        );
        return Ok(ExitCode::SUCCESS);
    }
    let batches = Localized::new("批", "batches");
    let unknown = Localized::new("结果未知", "unknown");
    let sending_now = Localized::new(" · 正在发送", " · sending now");
    for c in campaigns {
        let n = &c.batches;
        println!(
            "#{:<4} {}  {} {}/{} {}  {}/{} {}  {} {}  {}  ({}){}",
            c.id,
            china_time::describe(c.created_at_ms).get(ctx.lang),
            pad(c.state.label().get(ctx.lang), 10),
            n.sent,
            n.total(),
            batches.get(lang),
            c.sent_numbers,
            c.total_numbers,
            people.get(lang),
            unknown.get(lang),
            n.unknown,
            c.task_name,
            c.source_name,
            if c.busy { sending_now.get(lang) } else { "" }
        );
    }
    Ok(ExitCode::SUCCESS)
}
