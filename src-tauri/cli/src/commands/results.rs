//! `smartdial results [CAMPAIGN] [--refresh] [--json]`: what happened to each person of a
//! campaign — counts by outcome and one line per person — optionally asking the API first.

use std::fmt::Write as _;
use std::io::IsTerminal;
use std::process::ExitCode;
use std::sync::Mutex;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use smartdial_core::aliyun::Client;
use smartdial_core::campaign::journal::Journal;
use smartdial_core::campaign::model::{CampaignSummary, SystemClock, WallClock};
use smartdial_core::results::{
    load_results, most_recent_campaign, refresh_campaign, CampaignResults, CancelToken, QueryMode,
    RefreshOptions, RefreshReport,
};
use smartdial_core::text::{Lang, Localized, UserError};

use crate::commands::sending::{self, internal, ENV_PROFILE};
use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The campaign number (see `smartdial campaigns`); default: the most recent.
    campaign: Option<i64>,
    /// Ask Alibaba Cloud for new results first (only people whose result can still change).
    #[arg(long)]
    refresh: bool,
    /// With --refresh: ask again about everyone, e.g. for fresh recording links.
    #[arg(long, requires = "refresh")]
    all: bool,
    /// Requests per second while refreshing (at most 20).
    #[arg(long, default_value_t = smartdial_core::results::refresh::DEFAULT_REFRESH_QPS)]
    qps: f64,
    /// Which API to read results with: auto (task call list, else per callee), list, callee.
    #[arg(long, default_value = "auto", value_parser = ["auto", "list", "callee"])]
    query: String,
    /// Seconds to wait for each reply.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultsJson<'a> {
    results: &'a CampaignResults,
    refresh: Option<&'a RefreshReport>,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match results(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

/// The client for a campaign: `--profile`, else the profile it was sent with (or the
/// environment), at `--endpoint` or the endpoint it was sent to.
pub fn campaign_client(
    ctx: &Context,
    campaign: &CampaignSummary,
    timeout: u64,
) -> Result<Client, UserError> {
    let profile = match ctx.global.profile.as_deref() {
        Some(p) => Some(p.to_owned()),
        None if campaign.profile == ENV_PROFILE => None,
        None => Some(campaign.profile.clone()),
    };
    let (_, credentials) = sending::credentials(ctx, profile.as_deref())?;
    let endpoint = sending::endpoint(ctx, Some(&campaign.endpoint));
    sending::client(&endpoint, credentials, timeout)
}

fn results(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let journal = sending::open_journal(ctx)?;
    let id = match args.campaign {
        Some(id) => id,
        None => most_recent_campaign(&journal).map_err(|e| e.to_user_error())?,
    };
    let campaign = journal.campaign(id).map_err(|e| e.to_user_error())?;
    let journal = Mutex::new(journal);
    let report = if args.refresh {
        let client = campaign_client(ctx, &campaign, args.timeout)?;
        Some(refresh(ctx, args, &journal, &client, id)?)
    } else {
        None
    };
    let journal = journal.into_inner().unwrap_or_else(|p| p.into_inner());
    let results =
        load_results(&journal, id, SystemClock.now_ms()).map_err(|e| e.to_user_error())?;
    if args.json {
        return Ok(print_json(&ResultsJson {
            results: &results,
            refresh: report.as_ref(),
        }));
    }
    print_text(ctx.lang, &results, report.as_ref());
    Ok(ExitCode::SUCCESS)
}

fn refresh(
    ctx: &Context,
    args: &Args,
    journal: &Mutex<Journal>,
    client: &Client,
    id: i64,
) -> Result<RefreshReport, UserError> {
    let options = RefreshOptions {
        qps: smartdial_core::results::refresh::refresh_qps(args.qps),
        include_final: args.all,
        mode: match args.query.as_str() {
            "list" => QueryMode::TaskCallList,
            "callee" => QueryMode::PerCallee,
            _ => QueryMode::Auto,
        },
        ..RefreshOptions::default()
    };
    refresh_with(ctx, &options, args.json, journal, client, id)
}

/// Asks for the results of everyone whose result can still change, with a progress bar on a
/// terminal (none with `json`); Ctrl-C stops it keeping what was stored.
pub fn refresh_with(
    ctx: &Context,
    options: &RefreshOptions,
    json: bool,
    journal: &Mutex<Journal>,
    client: &Client,
    id: i64,
) -> Result<RefreshReport, UserError> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .map_err(internal)?;
    let bar = if json || !std::io::stderr().is_terminal() {
        ProgressBar::hidden()
    } else {
        let bar = ProgressBar::new(0);
        if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
            bar.set_style(style.progress_chars("=> "));
        }
        bar.set_message(
            Localized::new("正在查询通话结果", "asking for call results")
                .get(ctx.lang)
                .to_owned(),
        );
        bar
    };
    let cancel = CancelToken::new();
    let result = runtime.block_on(async {
        let on_interrupt = cancel.clone();
        let watcher = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                on_interrupt.cancel();
            }
        });
        let progress_bar = bar.clone();
        let report = refresh_campaign(
            journal,
            client,
            id,
            options,
            &move |p| {
                progress_bar.set_length(u64::from(p.total));
                progress_bar.set_position(u64::from(p.done));
            },
            &cancel,
        )
        .await;
        watcher.abort();
        report
    });
    bar.finish_and_clear();
    result.map_err(|e| e.to_user_error())
}

fn print_text(lang: Lang, results: &CampaignResults, report: Option<&RefreshReport>) {
    let mut out = String::new();
    macro_rules! say {
        () => {
            out.push('\n')
        };
        ($($arg:tt)+) => {{
            let _ = writeln!(out, $($arg)+);
        }};
    }
    let c = &results.campaign;
    say!(
        "#{} {} · {} · {} {}",
        c.id,
        c.task_name,
        c.source_name,
        results.people.len(),
        Localized::new("人", "people").get(lang)
    );
    if let Some(at) = results.last_fetched_at_ms {
        say!(
            "{}{}",
            Localized::new("最近查询：", "Last refreshed: ").get(lang),
            smartdial_core::china_time::describe(at).get(lang)
        );
    }
    if let Some(r) = report {
        let mode = match r.mode {
            QueryMode::Auto => "auto",
            QueryMode::TaskCallList => "QueryRobotTaskCallList",
            QueryMode::PerCallee => "QueryCallDetailByTaskId",
        };
        let stopped = if r.cancelled {
            Localized::new("，已中途停止", ", stopped early")
        } else {
            Localized::new("", "")
        };
        let summary = Localized::new(
            format!(
                "本次查询：{} 人，找到 {} 条记录，{} 人仍在等待结果，{} 人已有最终结果未再查询，{} 次请求({mode}){}",
                r.checked, r.found, r.still_pending, r.skipped_final, r.requests, stopped.zh_cn
            ),
            format!(
                "Refreshed {} people: {} records found, {} still waiting, {} already final, {} requests ({mode}){}",
                r.checked, r.found, r.still_pending, r.skipped_final, r.requests, stopped.en
            ),
        );
        say!("{}", summary.get(lang));
        if r.not_due > 0 {
            let not_due = Localized::new(
                format!("{} 人所在的任务定时在以后开始，暂不查询。", r.not_due),
                format!(
                    "{} people are in tasks scheduled for later; not asked yet.",
                    r.not_due
                ),
            );
            say!("  {}", not_due.get(lang));
        }
        if let Some(why) = &r.degraded {
            let degraded = Localized::new(
                format!("任务通话列表不可用({})，已改为逐个号码查询。", why.code),
                format!(
                    "The task call list was refused ({}); asked number by number instead.",
                    why.code
                ),
            );
            say!("  {}", degraded.get(lang));
        }
        for f in &r.failures {
            say!(
                "  {} {}: {}",
                f.batch_index + 1,
                f.number,
                f.error.render(lang)
            );
        }
    }
    for count in results.counts.iter().filter(|c| c.count > 0) {
        say!("  {} {:>6}", pad(count.label.get(lang), 28), count.count);
    }
    say!();
    for p in &results.people {
        let duration = p
            .duration_secs
            .map(|d| {
                Localized::new(format!("{d} 秒"), format!("{d}s"))
                    .get(lang)
                    .to_owned()
            })
            .unwrap_or_default();
        let vars: Vec<String> = p.variables.iter().map(|v| v.value.clone()).collect();
        // Codes stay in `--json` and `smartdial status`: this list speaks outcomes.
        say!(
            "{:>5}  {:<13} {} {:>6}  {}  {}",
            p.source_row.map(|r| r.to_string()).unwrap_or_default(),
            p.number,
            pad(p.outcome_label.get(lang), 28),
            duration,
            vars.join(" / "),
            p.tags.join(",")
        );
    }
    if results.pending > 0 && report.is_none() {
        say!();
        let pending = Localized::new(
            "有人还在等待结果：加 --refresh 向阿里云查询最新结果。",
            "Some results are still pending: add --refresh to ask Alibaba Cloud.",
        );
        say!("{}", pending.get(lang));
    }
    emit(&out);
}

/// Writes to stdout, ignoring a closed pipe (`smartdial results | head` must not panic).
pub fn emit(text: &str) {
    use std::io::Write;
    let mut stdout = std::io::stdout().lock();
    let _ = stdout.write_all(text.as_bytes());
    let _ = stdout.flush();
}

/// `text` padded to `width` terminal columns (CJK characters take two).
pub fn pad(text: &str, width: usize) -> String {
    let used: usize = text
        .chars()
        .map(|c| if c >= '\u{2E80}' { 2 } else { 1 })
        .sum();
    format!("{text}{}", " ".repeat(width.saturating_sub(used)))
}
