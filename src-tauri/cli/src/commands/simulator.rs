//! `smartdial simulator`: a local dyvms stand-in for the demo mode and for tests.
//!
//! Prints one line with the endpoint and the demo AccessKey id on stdout, then serves until
//! Ctrl-C or SIGTERM. Faults can be set here and changed later through
//! `POST /__simulator/faults`.

use std::net::{IpAddr, SocketAddr};
use std::process::ExitCode;

use serde::Serialize;
use smartdial_core::simulator::{
    BatchTaskVisibility, FaultPlan, Simulator, SimulatorConfig, DEFAULT_SEED, DEMO_ACCESS_KEY_ID,
    DEMO_ACCESS_KEY_SECRET,
};
use smartdial_core::text::{Localized, UserError};

use crate::context::Context;
use crate::output::fail;
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Port to listen on; 0 picks a free one (printed).
    #[arg(long, default_value_t = 0)]
    port: u16,
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1")]
    bind: IpAddr,
    /// Seed of TaskIds and call outcomes (same seed, same outcomes).
    #[arg(long, default_value_t = DEFAULT_SEED)]
    seed: u64,
    /// Print the ready line as JSON.
    #[arg(long)]
    json: bool,

    /// Only count and fault these actions (comma-separated; default all).
    #[arg(long, value_delimiter = ',')]
    fault_actions: Vec<String>,
    /// Delay every answer by this many milliseconds.
    #[arg(long, default_value_t = 0)]
    latency_ms: u64,
    /// Answer the first N requests with Throttling.User.
    #[arg(long, default_value_t = 0)]
    throttle_first: u32,
    /// Throttle requests beyond N per second (Throttling.User).
    #[arg(long)]
    max_per_second: Option<u32>,
    /// Answer every Nth request with HTTP 500 before processing it.
    #[arg(long)]
    error_500_every: Option<u32>,
    /// Process every Nth request (task created), then answer HTTP 500.
    #[arg(long)]
    error_500_after_processing_every: Option<u32>,
    /// Answer every Nth request with an HTML 502 page.
    #[arg(long)]
    html_502_every: Option<u32>,
    /// Close the connection without answering every Nth request (not processed).
    #[arg(long)]
    drop_connection_every: Option<u32>,
    /// Process every Nth request, then close the connection without answering.
    #[arg(long)]
    drop_after_processing_every: Option<u32>,
    /// Label every Nth JSON answer text/html.
    #[arg(long)]
    wrong_content_type_every: Option<u32>,
    /// Process every Nth request, then send only half of the answer.
    #[arg(long)]
    truncated_body_every: Option<u32>,
    /// Process every Nth request, then answer with an empty body.
    #[arg(long)]
    empty_body_every: Option<u32>,
    /// Break the Data JSON of every Nth query answer.
    #[arg(long)]
    malformed_data_every: Option<u32>,
    /// Answer the Nth BatchRobotSmartCall with a code, e.g. 2:isv.AMOUNT_NOT_ENOUGH (repeatable).
    #[arg(long = "batch-answer", value_name = "N:CODE")]
    batch_answers: Vec<String>,
    /// Refuse these actions with Forbidden.RAM, as for a RAM user whose policy lacks them
    /// (comma-separated, e.g. QueryRobotInfoList).
    #[arg(long = "deny-action", value_delimiter = ',')]
    denied_actions: Vec<String>,
    /// Create the task of every Nth BatchRobotSmartCall but answer OK without its TaskId.
    #[arg(long)]
    ok_without_task_id_every: Option<u32>,
    /// Refuse V3-signed requests (ACS3-HMAC-SHA256) with InvalidSignatureMethod, like a
    /// gateway that only takes V1: a profile check then falls back to V1.
    #[arg(long)]
    refuse_v3: bool,

    /// Most callees per BatchRobotSmartCall.
    #[arg(long, default_value_t = 1000)]
    callee_limit: usize,
    /// HTTP status of business (isv.*) errors.
    #[arg(long, default_value_t = 400)]
    business_error_status: u16,
    /// Make the robot-task APIs refuse BatchRobotSmartCall TaskIds (the docs are unclear).
    #[arg(long)]
    robot_task_apis_refuse_batch_tasks: bool,
    /// Show a call's details only after it ended (realistic) instead of when it is placed.
    #[arg(long)]
    results_after_call_end: bool,
    /// Milliseconds between two callees of one task being dialled.
    #[arg(long, default_value_t = 0)]
    call_spacing_ms: u64,
    /// Answer 414 to query strings longer than this many bytes (no limit by default).
    #[arg(long)]
    max_query_bytes: Option<usize>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct Ready {
    endpoint: String,
    access_key_id: &'static str,
}

fn bad_batch_answer(spec: &str) -> UserError {
    UserError::new(
        ErrorCode::SimulatorBadBatchAnswer,
        Localized::new(
            format!("无法理解 --batch-answer {spec}"),
            format!("Cannot read --batch-answer {spec}"),
        ),
        Localized::new(
            "格式是 序号:错误码，例如 2:isv.AMOUNT_NOT_ENOUGH",
            "The form is N:CODE, e.g. 2:isv.AMOUNT_NOT_ENOUGH",
        ),
    )
}

impl Args {
    fn config(&self) -> Result<SimulatorConfig, UserError> {
        let mut batch_answers = Vec::new();
        for spec in &self.batch_answers {
            batch_answers
                .push(FaultPlan::parse_batch_answer(spec).ok_or_else(|| bad_batch_answer(spec))?);
        }
        let faults = FaultPlan {
            actions: self.fault_actions.clone(),
            latency_ms: self.latency_ms,
            throttle_first: self.throttle_first,
            max_per_second: self.max_per_second,
            error_500_every: self.error_500_every,
            error_500_after_processing_every: self.error_500_after_processing_every,
            html_502_every: self.html_502_every,
            drop_connection_every: self.drop_connection_every,
            drop_after_processing_every: self.drop_after_processing_every,
            wrong_content_type_every: self.wrong_content_type_every,
            truncated_body_every: self.truncated_body_every,
            empty_body_every: self.empty_body_every,
            malformed_data_every: self.malformed_data_every,
            batch_answers,
            denied_actions: self.denied_actions.clone(),
            ok_without_task_id_every: self.ok_without_task_id_every,
            refuse_v3: self.refuse_v3,
        };
        Ok(SimulatorConfig {
            faults,
            seed: self.seed,
            callee_limit: self.callee_limit,
            business_error_status: self.business_error_status,
            batch_task_visibility: if self.robot_task_apis_refuse_batch_tasks {
                BatchTaskVisibility::Error
            } else {
                BatchTaskVisibility::Visible
            },
            results_after_call_end: self.results_after_call_end,
            call_spacing_ms: self.call_spacing_ms,
            max_query_bytes: self.max_query_bytes,
            ..SimulatorConfig::demo()
        })
    }
}

fn runtime_error(err: std::io::Error) -> UserError {
    UserError::new(
        ErrorCode::SimulatorStartFailed,
        Localized::new(
            format!(
                "模拟器无法启动：{}。",
                smartdial_core::os_error::io_reason(&err).zh_cn
            ),
            format!("The simulator could not start: {err}"),
        ),
        Localized::new("请重试。", "Try again."),
    )
}

/// Resolves when Ctrl-C or (on Unix) SIGTERM arrives.
async fn stop_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{signal, SignalKind};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    let config = match args.config() {
        Ok(config) => config,
        Err(err) => return fail(ctx.lang, args.json, &err),
    };
    let runtime = match tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(err) => return fail(ctx.lang, args.json, &runtime_error(err)),
    };
    let bind = SocketAddr::new(args.bind, args.port);
    runtime.block_on(async {
        let running = match Simulator::start(config, bind).await {
            Ok(running) => running,
            Err(err) => return fail(ctx.lang, args.json, &err.to_user_error()),
        };
        let ready = Ready {
            endpoint: running.endpoint(),
            access_key_id: DEMO_ACCESS_KEY_ID,
        };
        if args.json {
            println!("{}", serde_json::to_string(&ready).unwrap_or_default());
        } else {
            println!(
                "dyvms simulator listening on {} (AccessKeyId {})",
                ready.endpoint, ready.access_key_id
            );
        }
        // The demo secret is public (it only opens this simulator); the hint goes to stderr
        // so stdout stays one machine-readable line.
        let hint = Localized::new(
            format!(
                "演示用 AccessKey：{DEMO_ACCESS_KEY_ID} / {DEMO_ACCESS_KEY_SECRET}（只对本地模拟器有效）。设置 SMARTDIAL_ENDPOINT={} 后使用；按 Ctrl-C 停止。",
                ready.endpoint
            ),
            format!(
                "Demo AccessKey: {DEMO_ACCESS_KEY_ID} / {DEMO_ACCESS_KEY_SECRET} (works only with this local simulator). Set SMARTDIAL_ENDPOINT={} to use it; press Ctrl-C to stop.",
                ready.endpoint
            ),
        );
        eprintln!("{}", hint.get(ctx.lang));
        stop_signal().await;
        running.shutdown().await;
        ExitCode::SUCCESS
    })
}
