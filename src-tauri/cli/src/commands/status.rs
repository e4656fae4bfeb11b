//! `smartdial status TASK_ID [--callee NUMBER] [--json]`: ask Alibaba Cloud directly what
//! happened in one task (every call, or one callee's). Stores nothing.

use std::fmt::Write as _;
use std::process::ExitCode;
use std::sync::Arc;

use smartdial_core::campaign::model::SystemClock;
use smartdial_core::results::refresh::RefreshOptions;
use smartdial_core::results::status::{query_status, TaskStatusReport};
use smartdial_core::results::view::batch_for_task;
use smartdial_core::text::{Lang, Localized, UserError};

use crate::commands::results::{campaign_client, emit, pad};
use crate::commands::sending::{self, internal};
use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The TaskId BatchRobotSmartCall returned (see `smartdial campaigns CAMPAIGN`).
    task_id: String,
    /// Only this called number.
    #[arg(long)]
    callee: Option<String>,
    /// Seconds to wait for each reply.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match status(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn status(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let task_id = args.task_id.trim();
    let journal = sending::open_journal(ctx)?;
    let batch = batch_for_task(&journal, task_id).map_err(|e| e.to_user_error())?;
    let client = match &batch {
        Some(b) => {
            let campaign = journal
                .campaign(b.campaign_id)
                .map_err(|e| e.to_user_error())?;
            campaign_client(ctx, &campaign, args.timeout)?
        }
        None => {
            let (_, credentials) = sending::credentials(ctx, ctx.global.profile.as_deref())?;
            sending::client(&sending::endpoint(ctx, None), credentials, args.timeout)?
        }
    };
    drop(journal);
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(internal)?;
    let report = runtime
        .block_on(query_status(
            &client,
            task_id,
            args.callee.as_deref().map(str::trim),
            batch.as_ref(),
            &RefreshOptions::default(),
            Arc::new(SystemClock),
        ))
        .map_err(|e| e.to_user_error())?;
    if args.json {
        return Ok(print_json(&report));
    }
    print_text(ctx.lang, &report);
    Ok(ExitCode::SUCCESS)
}

fn print_text(lang: Lang, report: &TaskStatusReport) {
    let mut out = String::new();
    macro_rules! say {
        () => {
            out.push('\n')
        };
        ($($arg:tt)+) => {{
            let _ = writeln!(out, $($arg)+);
        }};
    }
    let task = Localized::new("任务", "Task");
    let no_state = Localized::new(
        "(阿里云未提供任务状态)",
        "(Alibaba Cloud gave no task state)",
    );
    let state = report.task.as_ref().and_then(|t| t.status.as_deref());
    say!(
        "{} {}  {}",
        task.get(lang),
        report.task_id,
        state.unwrap_or(no_state.get(lang))
    );
    for c in &report.calls {
        let r = c.record.as_ref();
        say!(
            "  {:<13} {} {:<8} {:<40} {:>5}  {}",
            c.number,
            pad(c.outcome_label.get(lang), 28),
            r.and_then(|r| r.status_code.as_deref()).unwrap_or(""),
            r.and_then(|r| r.state_desc.as_deref()).unwrap_or(""),
            r.and_then(|r| r.duration_secs)
                .map(|d| format!("{d}s"))
                .unwrap_or_default(),
            r.and_then(|r| r.call_time.as_deref())
                .map(|t| smartdial_core::china_time::describe_api(t)
                    .get(lang)
                    .to_owned())
                .unwrap_or_default()
        );
    }
    if report.calls.is_empty() {
        say!(
            "  {}",
            Localized::new("还没有通话记录。", "No call records yet.").get(lang)
        );
    }
    emit(&out);
}
