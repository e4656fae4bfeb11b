//! What `submit` and `resume` share: asking for confirmation, building the client, and
//! running the engine with a progress bar (or JSON) until the campaign stops.

use std::io::{BufRead, IsTerminal, Write};
use std::process::ExitCode;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};
use serde::Serialize;
use smartdial_core::aliyun::{
    Client, ClientConfig, Credentials, SignatureVersion, DEFAULT_ENDPOINT,
};
use smartdial_core::campaign::engine::{
    ControlHandle, Engine, EngineConfig, RunEnd, RunReport, DEFAULT_CONCURRENCY, DEFAULT_QPS,
    MAX_CONCURRENCY, MAX_QPS,
};
use smartdial_core::campaign::events::EngineEvent;
use smartdial_core::campaign::journal::{unknown_hint, Journal};
use smartdial_core::campaign::model::{
    BatchRow, BatchState, CampaignSummary, SystemClock, WallClock,
};
use smartdial_core::campaign::resume::ResumeChoices;
use smartdial_core::text::{Lang, Localized, UserError};

use crate::commands::profile::{resolve_credentials, signature_for, CredentialSource};
use crate::context::Context;
use crate::output::{fail, print_json};
use smartdial_core::error_code::ErrorCode;

/// The profile name the journal records for credentials from the environment.
pub const ENV_PROFILE: &str = "(environment)";

/// Pacing and waiting options of every sending command.
#[derive(Debug, Clone, clap::Args)]
pub struct PaceArgs {
    /// Requests per second (at most 100, the API quota).
    #[arg(long, value_name = "N", default_value_t = DEFAULT_QPS)]
    pub qps: f64,
    /// Requests in flight at once.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CONCURRENCY)]
    pub concurrency: usize,
    /// Seconds to wait for each reply once the request is sent; after that the batch's
    /// outcome is unknown.
    #[arg(long, value_name = "SECONDS", default_value_t = 30)]
    pub timeout: u64,
}

impl PaceArgs {
    pub fn check(&self) -> Result<EngineConfig, UserError> {
        if !(self.qps > 0.0 && self.qps <= MAX_QPS) {
            return Err(UserError::new(
                ErrorCode::CliBadQps,
                Localized::new(
                    format!("--qps {} 不在 0 到 100 之间。", self.qps),
                    format!("--qps {} is not between 0 and 100.", self.qps),
                ),
                Localized::new(
                    "阿里云对这类接口每个账号每秒最多 100 次调用；默认 10 已足够快。",
                    "Alibaba Cloud allows at most 100 calls per second per account for these APIs; the default 10 is plenty.",
                ),
            ));
        }
        if self.concurrency == 0 || self.concurrency > MAX_CONCURRENCY {
            return Err(UserError::new(
                ErrorCode::CliBadConcurrency,
                Localized::new(
                    format!("--concurrency 应在 1 到 {MAX_CONCURRENCY} 之间。"),
                    format!("--concurrency must be between 1 and {MAX_CONCURRENCY}."),
                ),
                Localized::new("", ""),
            ));
        }
        Ok(EngineConfig {
            qps: self.qps,
            concurrency: self.concurrency,
            ..EngineConfig::default()
        })
    }
}

/// Asks the user to confirm on the terminal; refuses when there is no terminal to ask.
pub fn confirm(lang: Lang, yes: bool, question: &Localized) -> Result<(), UserError> {
    if yes {
        return Ok(());
    }
    let stdin = std::io::stdin();
    if !stdin.is_terminal() {
        return Err(UserError::new(
            ErrorCode::CliConfirmationNeeded,
            Localized::new(
                format!("{}但没有终端可以确认。", question.zh_cn),
                format!("{} There is no terminal to confirm on.", question.en),
            ),
            Localized::new(
                "确认无误后加上 --yes 再运行。",
                "Check the details, then run again with --yes.",
            ),
        ));
    }
    let prompt = Localized::new(
        format!("{}输入 yes 继续：", question.zh_cn),
        format!("{} Type yes to go on: ", question.en),
    );
    let prompt = prompt.get(lang);
    eprint!("{prompt}");
    let _ = std::io::stderr().flush();
    let mut line = String::new();
    let _ = stdin.lock().read_line(&mut line);
    let answer = line.trim().to_lowercase();
    if matches!(answer.as_str(), "y" | "yes" | "是" | "确认") {
        Ok(())
    } else {
        Err(UserError::new(
            ErrorCode::CliNotConfirmed,
            Localized::new("已取消，没有发送任何请求。", "Cancelled; nothing was sent."),
            Localized::new("", ""),
        ))
    }
}

pub fn internal(detail: impl std::fmt::Display) -> UserError {
    UserError::new(
        ErrorCode::Internal,
        Localized::new("内部错误。".to_owned(), format!("Internal error: {detail}")),
        Localized::new("", ""),
    )
}

/// Opens the journal in the data folder.
pub fn open_journal(ctx: &Context) -> Result<Journal, UserError> {
    Journal::open(&ctx.paths.journal_file(), SystemClock.now_ms()).map_err(|e| e.to_user_error())
}

/// Credentials, the signature their calls carry, and the profile label the journal records.
pub fn credentials(
    ctx: &Context,
    profile: Option<&str>,
) -> Result<(String, SigningKey), UserError> {
    let (source, creds) = resolve_credentials(ctx, profile)?;
    let signature = signature_for(ctx, &source)?;
    let label = match source {
        CredentialSource::Environment => ENV_PROFILE.to_owned(),
        CredentialSource::Profile(name) => name,
    };
    Ok((
        label,
        SigningKey {
            credentials: creds,
            signature,
        },
    ))
}

/// An AccessKey and the signature version its calls carry.
pub struct SigningKey {
    pub credentials: Credentials,
    pub signature: SignatureVersion,
}

/// The endpoint from `--endpoint` / `SMARTDIAL_ENDPOINT`, else `fallback`, else production.
pub fn endpoint(ctx: &Context, fallback: Option<&str>) -> String {
    ctx.global
        .endpoint
        .clone()
        .filter(|e| !e.trim().is_empty())
        .or_else(|| fallback.map(str::to_owned))
        .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned())
}

pub fn client(endpoint: &str, key: SigningKey, timeout: u64) -> Result<Client, UserError> {
    let mut config = ClientConfig::with_endpoint(endpoint.to_owned());
    config.read_timeout = Duration::from_secs(timeout.max(1));
    config.signature = key.signature;
    Client::new(config, key.credentials).map_err(|e| e.to_user_error())
}

/// One batch in the JSON report.
#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct BatchReport {
    index: u32,
    task_name: String,
    numbers: usize,
    state: BatchState,
    attempts: u32,
    task_id: Option<String>,
    request_id: Option<String>,
    error_code: Option<String>,
    message: Option<String>,
    hint: Option<String>,
    decision: Option<String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct RunJson<'a> {
    campaign: &'a CampaignSummary,
    end: &'static str,
    reason: Option<&'a UserError>,
    all_sent: bool,
    batches: Vec<BatchReport>,
}

fn end_word(end: &RunEnd) -> &'static str {
    match end {
        RunEnd::Finished => "finished",
        RunEnd::Paused(_) => "paused",
        RunEnd::Stopped(_) => "stopped",
        RunEnd::Cancelled => "cancelled",
        RunEnd::Detached => "detached",
        RunEnd::LeaseLost => "leaseLost",
    }
}

/// Sends the campaign and reports; exit status 0 only when every batch is `sent`.
pub fn run_campaign(
    ctx: &Context,
    journal: Journal,
    client: Client,
    campaign_id: i64,
    choices: ResumeChoices,
    config: EngineConfig,
    json: bool,
) -> ExitCode {
    let lang = ctx.lang;
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => return fail(lang, json, &internal(e)),
    };
    let journal = Arc::new(Mutex::new(journal));
    let engine = Engine::new(journal.clone(), Arc::new(client), config);
    let control = ControlHandle::new();
    let result = runtime.block_on(async {
        let (tx, mut rx) = tokio::sync::mpsc::unbounded_channel();
        let bar = if json || !std::io::stderr().is_terminal() {
            ProgressBar::hidden()
        } else {
            progress_bar()
        };
        // Without a terminal (logs, CI, tests) the notices still go to stderr, one a line.
        let plain = !json && bar.is_hidden();
        let ui_bar = bar.clone();
        let printer = tokio::spawn(async move {
            while let Some(event) = rx.recv().await {
                if let Some(line) = show_event(&ui_bar, lang, &event) {
                    if plain {
                        eprintln!("{line}");
                    } else {
                        ui_bar.println(line);
                    }
                }
            }
        });
        let on_interrupt = control.clone();
        let interrupt_bar = bar.clone();
        let watcher = tokio::spawn(async move {
            if tokio::signal::ctrl_c().await.is_ok() {
                let line = Localized::new(
                    "正在停止：不再发送新的批次，等待已发出的请求返回…",
                    "Stopping: no new batches; waiting for requests in flight…",
                );
                let line = line.get(lang);
                if interrupt_bar.is_hidden() {
                    eprintln!("{line}");
                } else {
                    interrupt_bar.println(line);
                }
                on_interrupt.detach();
            }
        });
        let report = engine
            .run_with(campaign_id, choices, &control, Some(tx))
            .await;
        watcher.abort();
        let _ = printer.await;
        bar.finish_and_clear();
        report
    });
    let report = match result {
        Ok(report) => report,
        Err(e) => return fail(lang, json, &e.to_user_error()),
    };
    let batches = match journal.lock() {
        Ok(j) => j.batches(campaign_id).unwrap_or_default(),
        Err(_) => Vec::new(),
    };
    print_report(lang, json, &report, &batches)
}

fn progress_bar() -> ProgressBar {
    let bar = ProgressBar::new(0);
    if let Ok(style) = ProgressStyle::with_template("{spinner} [{bar:30}] {pos}/{len} {msg}") {
        bar.set_style(style.progress_chars("=> "));
    }
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}

/// Updates the bar; returns a notice line to print, if the event deserves one.
fn show_event(bar: &ProgressBar, lang: Lang, event: &EngineEvent) -> Option<String> {
    match event {
        EngineEvent::Started(p) | EngineEvent::Progress(p) => {
            bar.set_length(u64::from(p.counts.total()));
            let done = p.counts.total() - p.counts.planned - p.counts.sending;
            bar.set_position(u64::from(done));
            let eta = p
                .eta_seconds
                .map(|s| {
                    Localized::new(format!(" · 约 {s} 秒"), format!(" · ETA {s}s"))
                        .get(lang)
                        .to_owned()
                })
                .unwrap_or_default();
            let (sent, total) = (p.sent_numbers, p.total_numbers);
            bar.set_message(
                Localized::new(
                    format!("批 · 已发送 {sent}/{total} 人{eta}"),
                    format!("batches · {sent}/{total} people sent{eta}"),
                )
                .get(lang)
                .to_owned(),
            );
            None
        }
        EngineEvent::Retrying(r) => {
            let (n, code, attempt) = (r.index + 1, &r.code, r.attempt + 1);
            let delay = r.delay_ms as f64 / 1000.0;
            Some(
                Localized::new(
                    format!("第 {n} 批被限流或未送达（{code}），{delay:.1} 秒后重试（第 {attempt} 次）"),
                    format!("Batch {n}: throttled or not delivered ({code}); retrying in {delay:.1}s (attempt {attempt})"),
                )
                .get(lang)
                .to_owned(),
            )
        }
        EngineEvent::Batch(b) => {
            if let (BatchState::Rejected | BatchState::Unknown, Some(problem)) =
                (b.state, &b.problem)
            {
                let (n, problem) = (b.index + 1, problem.render(lang));
                let line = if b.state == BatchState::Unknown {
                    Localized::new(
                        format!("第 {n} 批结果未知：{problem}"),
                        format!("Batch {n} outcome unknown: {problem}"),
                    )
                } else {
                    Localized::new(
                        format!("第 {n} 批被拒绝：{problem}"),
                        format!("Batch {n} rejected: {problem}"),
                    )
                };
                return Some(line.get(lang).to_owned());
            }
            None
        }
        EngineEvent::Campaign(_) => None,
    }
}

/// Prints how the run ended (text or JSON); exit status 0 only when every batch is `sent`.
pub fn print_report(lang: Lang, json: bool, report: &RunReport, batches: &[BatchRow]) -> ExitCode {
    let c = &report.campaign;
    let all_sent = c.batches.all_sent();
    let status = if all_sent {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    };
    let reason = match &report.end {
        RunEnd::Paused(r) | RunEnd::Stopped(r) => Some(r),
        _ => None,
    };
    if json {
        let out = RunJson {
            campaign: c,
            end: end_word(&report.end),
            reason,
            all_sent,
            batches: batches
                .iter()
                .map(|b| BatchReport {
                    index: b.index,
                    task_name: b.task_name.clone(),
                    numbers: b.called_numbers.len(),
                    state: b.state,
                    attempts: b.attempts,
                    task_id: b.task_id.clone(),
                    request_id: b.request_id.clone(),
                    error_code: b.error_code.clone(),
                    message: b.problem.as_ref().map(|p| p.message.get(lang).to_owned()),
                    hint: b.problem.as_ref().map(|p| p.hint.get(lang).to_owned()),
                    decision: b.decision.clone(),
                })
                .collect(),
        };
        let _ = print_json(&out);
        return status;
    }
    let n = &c.batches;
    let (id, total, sent, people, all) = (c.id, n.total(), n.sent, c.sent_numbers, c.total_numbers);
    let (rejected, unknown, planned, cancelled) = (n.rejected, n.unknown, n.planned, n.cancelled);
    println!(
        "{}",
        Localized::new(
            format!("外呼活动 #{id}：{total} 批中已发送 {sent}（{people}/{all} 人），拒绝 {rejected}，结果未知 {unknown}，未发送 {planned}，已取消 {cancelled}。"),
            format!("Campaign #{id}: {sent} of {total} batches sent ({people}/{all} people), {rejected} rejected, {unknown} unknown, {planned} not sent, {cancelled} cancelled."),
        )
        .get(lang)
    );
    for b in batches {
        // Sent batches carry a note only when they were accepted without a TaskId.
        if matches!(b.state, BatchState::Rejected | BatchState::Unknown) || b.problem.is_some() {
            let message = b
                .problem
                .as_ref()
                .map(|p| p.message.get(lang).to_owned())
                .unwrap_or_default();
            let code = b
                .problem
                .as_ref()
                .map(|p| p.code.to_string())
                .or_else(|| b.error_code.clone())
                .unwrap_or_default();
            let (n, name, state) = (b.index + 1, &b.task_name, b.state.label());
            println!(
                "{}",
                Localized::new(
                    format!("  第 {n} 批（{name}）{}：{message} [{code}]", state.zh_cn),
                    format!("  batch {n} ({name}) {}: {message} [{code}]", state.en),
                )
                .get(lang)
            );
        }
    }
    match &report.end {
        RunEnd::Stopped(r) => {
            eprintln!("{}", r.render(lang));
            eprintln!(
                "{}",
                Localized::new(
                    format!("活动已停止，后面的批次没有发送。解决上述问题后运行 `smartdial resume {}` 继续。", c.id),
                    format!("The campaign stopped; later batches were not sent. Fix the problem above, then run `smartdial resume {}`.", c.id),
                )
                .get(lang)
            );
        }
        RunEnd::Paused(r) => {
            eprintln!("{}", r.render(lang));
            eprintln!(
                "{}",
                Localized::new(
                    format!("活动已暂停。稍后运行 `smartdial resume {}` 继续发送剩余批次。", c.id),
                    format!("The campaign is paused. Run `smartdial resume {}` later to send the remaining batches.", c.id),
                )
                .get(lang)
            );
        }
        RunEnd::Detached => eprintln!(
            "{}",
            Localized::new(
                format!("已暂停。运行 `smartdial resume {}` 继续。", c.id),
                format!("Paused. Run `smartdial resume {}` to continue.", c.id),
            )
            .get(lang)
        ),
        RunEnd::LeaseLost => eprintln!(
            "{}",
            Localized::new(
                "另一个程序接管了这个活动，本程序已停止发送。",
                "Another process took over this campaign; this one stopped sending.",
            )
            .get(lang)
        ),
        RunEnd::Cancelled | RunEnd::Finished => {}
    }
    if n.unknown > 0 {
        eprintln!("{}", unknown_hint().get(lang));
    }
    status
}
