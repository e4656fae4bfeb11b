//! `smartdial cancel [CAMPAIGN]`: the batches of a campaign not sent yet are never sent (for
//! a campaign whose schedule passed, or that is no longer wanted). What was sent stays sent.

use std::process::ExitCode;

use smartdial_core::campaign::engine::{RunEnd, RunReport};
use smartdial_core::campaign::journal::JournalError;
use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::campaign::resume::is_unsent;
use smartdial_core::text::{Localized, UserError};

use crate::commands::sending;
use crate::context::Context;
use crate::output::fail;
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The campaign number (see `smartdial campaigns`); default: the most recent unfinished.
    campaign: Option<i64>,
    /// Do not ask for confirmation.
    #[arg(long)]
    yes: bool,
    /// Print JSON on stdout.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match cancel(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn cancel(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let err = |e: JournalError| e.to_user_error();
    let mut journal = sending::open_journal(ctx)?;
    let id = match args.campaign {
        Some(id) => id,
        None => journal.latest_unfinished().map_err(err)?.ok_or_else(|| {
            UserError::new(
                ErrorCode::CampaignNothingToCancel,
                Localized::new(
                    "没有可以取消的外呼活动。",
                    "There is no unfinished campaign to cancel.",
                ),
                Localized::new(
                    "用 `smartdial campaigns` 查看所有活动。",
                    "Run `smartdial campaigns` to see every campaign.",
                ),
            )
        })?,
    };
    let unsent: Vec<_> = journal
        .batches(id)
        .map_err(err)?
        .into_iter()
        .filter(is_unsent)
        .collect();
    let people: usize = unsent.iter().map(|b| b.called_numbers.len()).sum();
    sending::confirm(
        ctx.lang,
        args.yes,
        &Localized::new(
            format!("取消外呼活动 #{id}：还没发送的 {} 批（{people} 人）将不再发送，已发送的不受影响。", unsent.len()),
            format!("Cancel campaign #{id}: the {} batches not sent yet ({people} people) will never be sent; what was sent is unaffected.", unsent.len()),
        ),
    )?;
    journal
        .cancel_unsent(id, SystemClock.now_ms())
        .map_err(err)?;
    let report = RunReport {
        end: RunEnd::Cancelled,
        campaign: journal.campaign(id).map_err(err)?,
    };
    let batches = journal.batches(id).map_err(err)?;
    sending::print_report(ctx.lang, args.json, &report, &batches);
    Ok(ExitCode::SUCCESS)
}
