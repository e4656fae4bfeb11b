//! The HTTP side: the API endpoint, the admin endpoints under `/__simulator/`, and the
//! handles that start and stop a simulator (async, or on its own thread for sync tests).

mod admin;
pub use admin::recording_wav;

use admin::*;
use std::collections::BTreeMap;
use std::net::{Ipv4Addr, SocketAddr};
use std::sync::{Arc, Mutex, MutexGuard};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{ConnectInfo, Path, Query, State};
use axum::http::{header, HeaderMap, HeaderValue, Method, StatusCode, Uri};
use axum::response::Response;
use axum::routing::{get, post};
use axum::Router;
use chrono::{DateTime, Duration, Utc};
use serde::Deserialize;
use serde_json::json;
use tokio::net::TcpListener;
use tokio::sync::oneshot;

use crate::aliyun::signature::HttpMethod;
use crate::aliyun::SignatureVersion;
use crate::text::{Localized, UserError};

use super::actions::{dispatch, Ctx, Handled, World};
use super::config::SimulatorConfig;
use super::conn::{ConnHandle, KillableListener};
use super::faults::{BeforeFault, FaultPlan, FaultState};
use super::gateway::{self, NonceBook};
use super::gateway_v3;
use super::outcomes::splitmix;
use super::record::{RecordedRequest, SimulatorRecord};
use super::reply::{ApiError, Reply, HTML_414, HTML_502};
use crate::error_code::ErrorCode;

/// Why a simulator could not start.
#[derive(Debug, thiserror::Error)]
pub enum SimulatorError {
    #[error("could not listen on {addr}: {source}")]
    Bind {
        addr: SocketAddr,
        source: std::io::Error,
    },
    #[error("could not start the simulator's runtime: {0}")]
    Runtime(std::io::Error),
    #[error("the simulator thread stopped before it was ready")]
    ThreadDied,
}

impl SimulatorError {
    /// The failure as a user reads it.
    pub fn to_user_error(&self) -> UserError {
        match self {
            SimulatorError::Bind { addr, source } => UserError::new(
                ErrorCode::SimulatorBindFailed,
                Localized::new(
                    format!(
                        "无法在 {addr} 启动模拟器：{}。",
                        crate::os_error::io_reason(source).zh_cn
                    ),
                    format!("Could not start the simulator on {addr}: {source}"),
                ),
                Localized::new(
                    "端口可能已被占用。换一个端口，或用 --port 0 让系统自动选择。",
                    "The port may be in use. Pick another one, or use --port 0 to let the system choose.",
                ),
            ),
            SimulatorError::Runtime(_) | SimulatorError::ThreadDied => UserError::new(
                ErrorCode::SimulatorStartFailed,
                Localized::new(format!("模拟器无法启动：{self}"), format!("The simulator could not start: {self}")),
                Localized::new("请重试；如果反复出现，请附上日志联系我们。", "Try again; if it keeps happening, send us the log."),
            ),
        }
    }
}

/// How many API requests the record keeps (oldest dropped first).
pub const MAX_RECORDED_REQUESTS: usize = 100_000;

struct Inner {
    world: World,
    nonces: NonceBook,
    faults: FaultState,
    request_seq: u64,
    clock_offset: Duration,
}

pub(crate) struct Shared {
    config: SimulatorConfig,
    base_url: String,
    started: Instant,
    inner: Mutex<Inner>,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, Inner> {
        // A panic while holding the lock cannot leave the state half-written in a way that
        // matters to a test double; keep serving.
        self.inner.lock().unwrap_or_else(|p| p.into_inner())
    }

    fn now(&self, inner: &Inner) -> DateTime<Utc> {
        self.config.clock.now_utc() + inner.clock_offset
    }
}

/// Starts simulators.
#[derive(Debug, Clone, Copy)]
pub struct Simulator;

impl Simulator {
    /// Listens on `bind` (port 0 picks a free port) and serves until shut down.
    pub async fn start(
        config: SimulatorConfig,
        bind: SocketAddr,
    ) -> Result<RunningSimulator, SimulatorError> {
        let listener = TcpListener::bind(bind)
            .await
            .map_err(|source| SimulatorError::Bind { addr: bind, source })?;
        let addr = listener
            .local_addr()
            .map_err(|source| SimulatorError::Bind { addr: bind, source })?;
        let host = if addr.ip().is_unspecified() {
            Ipv4Addr::LOCALHOST.into()
        } else {
            addr.ip()
        };
        let base_url = format!("http://{}", SocketAddr::new(host, addr.port()));
        let faults = FaultState::new(config.faults.clone());
        let shared = Arc::new(Shared {
            config,
            base_url,
            started: Instant::now(),
            inner: Mutex::new(Inner {
                world: World::default(),
                nonces: NonceBook::default(),
                faults,
                request_seq: 0,
                clock_offset: Duration::zero(),
            }),
        });
        let router = Router::new()
            .route("/__simulator/record", get(admin_record))
            .route(
                "/__simulator/faults",
                get(admin_get_faults).post(admin_set_faults),
            )
            .route("/__simulator/reset", post(admin_reset))
            .route("/__simulator/clock", post(admin_clock))
            .route("/__simulator/info", get(admin_info))
            .route("/__simulator/recordings/{file}", get(recording))
            .fallback(api)
            .with_state(shared.clone());
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let serve = axum::serve(
            KillableListener::new(listener),
            router.into_make_service_with_connect_info::<ConnHandle>(),
        )
        .with_graceful_shutdown(async {
            let _ = stop_rx.await;
        });
        let task = tokio::spawn(async move {
            if let Err(err) = serve.await {
                tracing::warn!("simulator stopped with an error: {err}");
            }
        });
        tracing::info!("dyvms simulator listening on {}", shared.base_url);
        Ok(RunningSimulator {
            control: SimulatorControl { shared },
            stop: Some(stop_tx),
            task: Some(task),
        })
    }

    /// Starts a simulator on 127.0.0.1 (free port) on its own thread and runtime, for code
    /// that is not async. It stops when the handle is dropped.
    pub fn spawn_in_thread(config: SimulatorConfig) -> Result<SimulatorHandle, SimulatorError> {
        Simulator::spawn_in_thread_on(config, SocketAddr::from((Ipv4Addr::LOCALHOST, 0)))
    }

    /// Same, on a chosen address.
    pub fn spawn_in_thread_on(
        config: SimulatorConfig,
        bind: SocketAddr,
    ) -> Result<SimulatorHandle, SimulatorError> {
        let (ready_tx, ready_rx) = std::sync::mpsc::channel();
        let (stop_tx, stop_rx) = oneshot::channel::<()>();
        let thread = std::thread::Builder::new()
            .name("dyvms-simulator".into())
            .spawn(move || {
                let runtime = match tokio::runtime::Builder::new_current_thread()
                    .enable_all()
                    .build()
                {
                    Ok(rt) => rt,
                    Err(err) => {
                        let _ = ready_tx.send(Err(SimulatorError::Runtime(err)));
                        return;
                    }
                };
                runtime.block_on(async move {
                    match Simulator::start(config, bind).await {
                        Ok(running) => {
                            let _ = ready_tx.send(Ok(running.control()));
                            let _ = stop_rx.await;
                            running.shutdown().await;
                        }
                        Err(err) => {
                            let _ = ready_tx.send(Err(err));
                        }
                    }
                });
            })
            .map_err(SimulatorError::Runtime)?;
        match ready_rx.recv() {
            Ok(Ok(control)) => Ok(SimulatorHandle {
                control,
                stop: Some(stop_tx),
                thread: Some(thread),
            }),
            Ok(Err(err)) => {
                let _ = thread.join();
                Err(err)
            }
            Err(_) => Err(SimulatorError::ThreadDied),
        }
    }
}

/// Reads and steers a running simulator; cheap to clone.
#[derive(Clone)]
pub struct SimulatorControl {
    shared: Arc<Shared>,
}

impl SimulatorControl {
    /// `http://127.0.0.1:PORT`: what `--endpoint` / `SMARTDIAL_ENDPOINT` should be.
    pub fn endpoint(&self) -> String {
        self.shared.base_url.clone()
    }

    /// Everything received so far.
    pub fn record(&self) -> SimulatorRecord {
        self.shared.lock().world.record.clone()
    }

    /// Replaces the fault plan and restarts its counters.
    pub fn set_faults(&self, plan: FaultPlan) {
        self.shared.lock().faults = FaultState::new(plan);
    }

    /// The active fault plan.
    pub fn faults(&self) -> FaultPlan {
        self.shared.lock().faults.plan.clone()
    }

    /// Forgets tasks, the record, used nonces, fault counters and clock shifts (the fault
    /// plan itself stays).
    pub fn reset(&self) {
        let mut inner = self.shared.lock();
        inner.world = World::default();
        inner.nonces.clear();
        let plan = inner.faults.plan.clone();
        inner.faults = FaultState::new(plan);
        inner.request_seq = 0;
        inner.clock_offset = Duration::zero();
    }

    /// Moves the simulator's clock forward (or back) on top of the injected clock, e.g. to
    /// let a scheduled task run.
    pub fn advance_clock(&self, by: Duration) {
        let mut inner = self.shared.lock();
        inner.clock_offset += by;
    }

    /// The simulator's current time.
    pub fn now(&self) -> DateTime<Utc> {
        let inner = self.shared.lock();
        self.shared.now(&inner)
    }
}

impl std::fmt::Debug for SimulatorControl {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SimulatorControl")
            .field("endpoint", &self.shared.base_url)
            .finish_non_exhaustive()
    }
}

/// A simulator serving on the current tokio runtime. Dropping it stops it too.
#[derive(Debug)]
pub struct RunningSimulator {
    control: SimulatorControl,
    stop: Option<oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<()>>,
}

impl RunningSimulator {
    pub fn control(&self) -> SimulatorControl {
        self.control.clone()
    }

    pub fn endpoint(&self) -> String {
        self.control.endpoint()
    }

    pub fn record(&self) -> SimulatorRecord {
        self.control.record()
    }

    pub fn set_faults(&self, plan: FaultPlan) {
        self.control.set_faults(plan)
    }

    pub fn reset(&self) {
        self.control.reset()
    }

    pub fn advance_clock(&self, by: Duration) {
        self.control.advance_clock(by)
    }

    /// Stops accepting, lets answers in flight finish (at most 2 s), then returns.
    pub async fn shutdown(mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            let abort = task.abort_handle();
            if tokio::time::timeout(std::time::Duration::from_secs(2), task)
                .await
                .is_err()
            {
                abort.abort();
            }
        }
    }
}

impl Drop for RunningSimulator {
    fn drop(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(task) = self.task.take() {
            task.abort();
        }
    }
}

/// A simulator on its own thread (see [`Simulator::spawn_in_thread`]); stops on drop.
#[derive(Debug)]
pub struct SimulatorHandle {
    control: SimulatorControl,
    stop: Option<oneshot::Sender<()>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl SimulatorHandle {
    pub fn control(&self) -> SimulatorControl {
        self.control.clone()
    }

    pub fn endpoint(&self) -> String {
        self.control.endpoint()
    }

    pub fn record(&self) -> SimulatorRecord {
        self.control.record()
    }

    pub fn set_faults(&self, plan: FaultPlan) {
        self.control.set_faults(plan)
    }

    pub fn reset(&self) {
        self.control.reset()
    }

    pub fn advance_clock(&self, by: Duration) {
        self.control.advance_clock(by)
    }

    /// Stops the simulator and waits for its thread.
    pub fn stop(mut self) {
        self.stop_now();
    }

    fn stop_now(&mut self) {
        if let Some(stop) = self.stop.take() {
            let _ = stop.send(());
        }
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

impl Drop for SimulatorHandle {
    fn drop(&mut self) {
        self.stop_now();
    }
}

// ---------------------------------------------------------------------------------------
// The API endpoint

fn parse_form(text: &[u8], into: &mut BTreeMap<String, String>) {
    for (name, value) in form_urlencoded::parse(text) {
        into.insert(name.into_owned(), value.into_owned());
    }
}

fn request_id(seed: u64, seq: u64) -> String {
    let a = splitmix(seed ^ seq.wrapping_mul(0x9e37_79b9_7f4a_7c15));
    let b = splitmix(a);
    let hex = format!("{a:016X}{b:016X}");
    format!(
        "{}-{}-{}-{}-{}",
        &hex[0..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..32]
    )
}

/// RFC 7231 IMF-fixdate, e.g. `Wed, 01 Jan 2025 00:00:00 GMT` (chrono's names are English).
pub fn http_date(at: DateTime<Utc>) -> String {
    at.format("%a, %d %b %Y %H:%M:%S GMT").to_string()
}

fn response(
    status: u16,
    content_type: &str,
    date: &str,
    request_id: Option<&str>,
    body: impl Into<Body>,
) -> Response {
    let mut builder = Response::builder()
        .status(StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR))
        .header(header::CONTENT_TYPE, content_type)
        .header(header::DATE, date);
    if let Some(id) = request_id {
        builder = builder.header("x-acs-request-id", id);
    }
    builder.body(body.into()).unwrap_or_else(|_| {
        let mut r = Response::new(Body::empty());
        *r.status_mut() = StatusCode::INTERNAL_SERVER_ERROR;
        r
    })
}

async fn api(
    State(shared): State<Arc<Shared>>,
    ConnectInfo(conn): ConnectInfo<ConnHandle>,
    method: Method,
    headers: HeaderMap,
    uri: Uri,
    body: Bytes,
) -> Response {
    let query = uri.query().unwrap_or("");
    if shared
        .config
        .max_query_bytes
        .is_some_and(|max| query.len() > max)
    {
        let date = {
            let inner = shared.lock();
            http_date(shared.now(&inner))
        };
        return response(414, "text/html", &date, None, HTML_414);
    }
    let mut params = BTreeMap::new();
    parse_form(query.as_bytes(), &mut params);
    // V3 signs the URL's parameters alone; body parameters are covered by the body's hash.
    let query_params = params.clone();
    let signature = if headers.contains_key(header::AUTHORIZATION) {
        Some(SignatureVersion::V3)
    } else if params.contains_key("Signature") {
        Some(SignatureVersion::V1)
    } else {
        None
    };
    let is_form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/x-www-form-urlencoded"));
    if method == Method::POST && is_form && !body.is_empty() {
        // Body parameters are signed together with the query ones (§1.4); the old SDK lets
        // the body win on a clash.
        parse_form(&body, &mut params);
    }
    let action = match signature {
        Some(SignatureVersion::V3) => gateway_v3::action_of(&headers),
        _ => params.get("Action").cloned().unwrap_or_default(),
    };
    let xml = params
        .get("Format")
        .is_some_and(|f| f.eq_ignore_ascii_case("XML"));
    let (verdict, seq) = {
        let mut inner = shared.lock();
        inner.request_seq += 1;
        (inner.faults.next(&action), inner.request_seq)
    };
    if verdict.latency_ms > 0 {
        tokio::time::sleep(std::time::Duration::from_millis(verdict.latency_ms)).await;
    }
    let rid = request_id(shared.config.seed, seq);
    let now = {
        let inner = shared.lock();
        shared.now(&inner)
    };
    let date = http_date(now);
    let log = |status: u16, code: &str, fault: Option<&str>| {
        let entry = RecordedRequest {
            seq,
            action: action.clone(),
            method: method.to_string(),
            received_at: now,
            elapsed_ms: shared
                .started
                .elapsed()
                .as_millis()
                .min(u128::from(u64::MAX)) as u64,
            http_status: status,
            code: code.to_owned(),
            fault: fault.map(str::to_owned),
            signature,
        };
        let mut inner = shared.lock();
        let requests = &mut inner.world.record.requests;
        requests.push(entry);
        // A demo can run for days: keep the newest requests only (batch calls are kept).
        if requests.len() > MAX_RECORDED_REQUESTS + MAX_RECORDED_REQUESTS / 10 {
            let excess = requests.len() - MAX_RECORDED_REQUESTS;
            requests.drain(..excess);
        }
    };

    let before_error = match verdict.before {
        Some(BeforeFault::Drop) => {
            conn.kill();
            log(0, "", Some("dropConnection"));
            return response(200, "text/plain", &date, None, Body::empty());
        }
        Some(BeforeFault::Html502) => {
            log(502, "", Some("html502"));
            return response(502, "text/html", &date, None, HTML_502);
        }
        Some(BeforeFault::Throttle) => Some((
            ApiError::gateway(
                400,
                "Throttling.User",
                "Request was denied due to user flow control.",
            ),
            "throttle",
        )),
        Some(BeforeFault::Error500) => Some((
            ApiError::gateway(500, "InternalError", "An internal server error occurred."),
            "error500",
        )),
        None => None,
    };
    if let Some((error, fault)) = before_error {
        let reply = Reply::error(&error);
        log(reply.status, reply.code(), Some(fault));
        let (text, ct) = reply.render(&rid, &action, xml);
        return response(reply.status, ct, &date, Some(&rid), text);
    }

    let handled: Handled = match method {
        Method::GET | Method::POST => {
            let signed_with = if method == Method::GET {
                HttpMethod::Get
            } else {
                HttpMethod::Post
            };
            let mut guard = shared.lock();
            let inner = &mut *guard;
            let checked = match signature {
                Some(SignatureVersion::V3) if inner.faults.plan.refuse_v3 => {
                    // The code is documented (developer.aliyun.com/ask/278265); the message
                    // is V1's guess.
                    Err(ApiError::gateway(
                        400,
                        "InvalidSignatureMethod",
                        "Specified signature method is not supported.",
                    ))
                }
                Some(SignatureVersion::V3) => gateway_v3::check(
                    &shared.config,
                    &mut inner.nonces,
                    method.as_str(),
                    &headers,
                    &query_params,
                    &body,
                    now,
                ),
                _ => gateway::check(&shared.config, &mut inner.nonces, signed_with, &params, now),
            };
            match checked {
                Err(e) => Reply::error(&e).into(),
                // RAM is checked after the signature proved who is calling.
                Ok(_) if inner.faults.plan.denies(&action) => {
                    Reply::error(&ApiError::forbidden_ram()).into()
                }
                Ok(_) => {
                    let scripted = (action == "BatchRobotSmartCall")
                        .then(|| inner.faults.next_batch())
                        .flatten();
                    let ctx = Ctx {
                        config: &shared.config,
                        now,
                        base_url: &shared.base_url,
                        malformed_data: verdict.after.malformed_data,
                    };
                    dispatch(&mut inner.world, &ctx, &action, &params, scripted)
                }
            }
        }
        // Code documented (UnsupportedHTTPMethod, 400); the message is a guess.
        _ => Reply::error(&ApiError::gateway(
            400,
            "UnsupportedHTTPMethod",
            "Specified http method is not supported.",
        ))
        .into(),
    };
    let mut reply = handled.reply;
    let after = verdict.after;
    let mark = |status: u16, fault: &str| {
        if let Some(i) = handled.batch_index {
            if let Some(entry) = shared.lock().world.record.batch_calls.get_mut(i) {
                entry.result.delivered = false;
                entry.result.http_status = status;
                entry.result.fault = Some(fault.to_owned());
            }
        }
    };
    if after.drop {
        mark(0, "dropAfterProcessing");
        conn.kill();
        log(0, reply.code(), Some("dropAfterProcessing"));
        return response(200, "text/plain", &date, None, Body::empty());
    }
    let mut fault = None;
    if after.error_500 {
        mark(500, "error500AfterProcessing");
        reply = Reply::error(&ApiError::gateway(
            500,
            "InternalError",
            "An internal server error occurred.",
        ));
        fault = Some("error500AfterProcessing");
    }
    let (mut text, mut ct) = reply.render(&rid, &action, xml);
    if fault.is_none() && (after.empty_body || after.truncated_body) {
        let name = if after.empty_body {
            "emptyBody"
        } else {
            "truncatedBody"
        };
        mark(reply.status, name);
        let mut keep = if after.empty_body { 0 } else { text.len() / 2 };
        while !text.is_char_boundary(keep) {
            keep -= 1;
        }
        text.truncate(keep);
        fault = Some(name);
    }
    if after.wrong_content_type && fault.is_none() {
        ct = "text/html;charset=utf-8";
        fault = Some("wrongContentType");
    }
    if after.malformed_data && fault.is_none() && text.contains("\"Data\"") {
        fault = Some("malformedData");
    }
    log(reply.status, reply.code(), fault);
    response(reply.status, ct, &date, Some(&rid), text)
}

#[cfg(test)]
mod tests;
