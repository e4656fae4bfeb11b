//! `smartdial resume [CAMPAIGN] [--resend-unknown | --mark-unknown-sent] [--schedule TIME |
//! --now] [--batch-size N]`: continue an interrupted, paused or stopped campaign from the
//! journal, with the choices its situation needs (a passed schedule, a smaller callee limit).

use std::process::ExitCode;

use smartdial_core::campaign::engine::{RunEnd, RunReport};
use smartdial_core::campaign::journal::{Journal, JournalError};
use smartdial_core::campaign::model::{BatchState, SystemClock, UnknownDecision, WallClock};
use smartdial_core::campaign::resume::{Reschedule, ResumeChoices};
use smartdial_core::text::{Localized, UserError};

use crate::commands::sending::{self, PaceArgs, ENV_PROFILE};
use crate::context::Context;
use crate::output::fail;
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The campaign number (see `smartdial campaigns`); default: the most recent unfinished.
    campaign: Option<i64>,
    /// Send the batches whose outcome is unknown again. People whose batch did arrive are
    /// called a second time: check first (console or query API).
    #[arg(long, conflicts_with = "mark_unknown_sent")]
    resend_unknown: bool,
    /// Record the batches whose outcome is unknown as sent (you checked that they arrived).
    #[arg(long)]
    mark_unknown_sent: bool,
    /// A new time for the batches not sent yet, when the campaign's schedule has passed:
    /// "YYYY-MM-DD HH:MM" in China time, or with an offset.
    #[arg(long, value_name = "YYYY-MM-DD HH:MM", conflicts_with = "now")]
    schedule: Option<String>,
    /// Call the batches not sent yet at once instead of at the passed schedule.
    #[arg(long)]
    now: bool,
    /// Re-split the batches not sent yet to at most N numbers each (when Alibaba Cloud
    /// refused a batch as too large).
    #[arg(long, value_name = "N", value_parser = clap::value_parser!(u32).range(1..=1000))]
    batch_size: Option<u32>,
    #[command(flatten)]
    pace: PaceArgs,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
    /// Print JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match resume(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn nothing_to_resume() -> UserError {
    UserError::new(
        ErrorCode::CampaignNothingToResume,
        Localized::new(
            "没有需要继续的外呼活动。",
            "There is no unfinished campaign to resume.",
        ),
        Localized::new(
            "用 `smartdial campaigns` 查看所有活动。",
            "Run `smartdial campaigns` to see every campaign.",
        ),
    )
}

fn resume(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let lang = ctx.lang;
    let config = args.pace.check()?;
    let journal = sending::open_journal(ctx)?;
    let id = match args.campaign {
        Some(id) => id,
        None => journal
            .latest_unfinished()
            .map_err(|e| e.to_user_error())?
            .ok_or_else(nothing_to_resume)?,
    };
    let campaign = journal.campaign(id).map_err(|e| e.to_user_error())?;
    let batches = journal.batches(id).map_err(|e| e.to_user_error())?;
    let decision = if args.resend_unknown {
        Some(UnknownDecision::Resend)
    } else if args.mark_unknown_sent {
        Some(UnknownDecision::MarkSent)
    } else {
        None
    };
    let reschedule = match (&args.schedule, args.now) {
        (Some(text), _) => Some(Reschedule::At {
            ms: crate::commands::submit::parse_schedule(text)?,
        }),
        (None, true) => Some(Reschedule::Now),
        (None, false) => None,
    };
    let choices = ResumeChoices {
        unknown: decision,
        reschedule,
        batch_size: args.batch_size,
    };
    let now = SystemClock.now_ms();
    let needs = journal
        .resume_needs(id, now)
        .map_err(|e| e.to_user_error())?;
    // What would only be refused again needs the user's choice first.
    if let Some(refusal) = needs.refusal(&choices, now) {
        return Err(refusal);
    }
    // Who this run will call: planned batches, refusals that may go again, and (only if
    // asked) the unknown ones.
    let people: usize = batches
        .iter()
        .filter(|b| match b.state {
            BatchState::Planned => true,
            BatchState::Rejected => b.retryable,
            BatchState::Unknown => decision == Some(UnknownDecision::Resend),
            _ => false,
        })
        .map(|b| b.called_numbers.len())
        .sum();
    let unknown = batches
        .iter()
        .filter(|b| b.state == BatchState::Unknown)
        .count();
    if people > 0 {
        let resent = if decision == Some(UnknownDecision::Resend) && unknown > 0 {
            Localized::new(
                format!("其中 {unknown} 批结果未知、将重新发送，可能会让部分人接到第二次电话。"),
                format!(" {unknown} of the batches had an unknown outcome and are resent: some people may be called a second time."),
            )
        } else {
            Localized::new("", "")
        };
        sending::confirm(
            lang,
            args.yes,
            &Localized::new(
                format!(
                    "继续外呼活动 #{id}（{}）：将给 {people} 人打电话。{}",
                    campaign.task_name, resent.zh_cn
                ),
                format!(
                    "Resuming campaign #{id} ({}): this will call {people} people.{}",
                    campaign.task_name, resent.en
                ),
            ),
        )?;
    }
    if people == 0 {
        // Nothing to send (e.g. only marking unknown batches as sent): no credentials or
        // network needed, but still under the lease so no sender is running meanwhile.
        return settle_without_sending(ctx, journal, id, decision, args.json);
    }
    let profile = match ctx.global.profile.as_deref() {
        Some(p) => Some(p.to_owned()),
        None if campaign.profile == ENV_PROFILE => None,
        None => Some(campaign.profile.clone()),
    };
    let (_, credentials) = sending::credentials(ctx, profile.as_deref())?;
    let endpoint = sending::endpoint(ctx, Some(&campaign.endpoint));
    let client = sending::client(&endpoint, credentials, args.pace.timeout)?;
    Ok(sending::run_campaign(
        ctx, journal, client, id, choices, config, args.json,
    ))
}

fn settle_without_sending(
    ctx: &Context,
    mut journal: Journal,
    id: i64,
    decision: Option<UnknownDecision>,
    json: bool,
) -> Result<ExitCode, UserError> {
    let err = |e: JournalError| e.to_user_error();
    let campaign = journal
        .settle_unknown(id, None, decision, SystemClock.now_ms())
        .map_err(err)?
        .campaign;
    let batches = journal.batches(id).map_err(err)?;
    let report = RunReport {
        end: RunEnd::Finished,
        campaign,
    };
    Ok(sending::print_report(ctx.lang, json, &report, &batches))
}
