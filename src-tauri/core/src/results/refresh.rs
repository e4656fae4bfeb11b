//! Refreshing a campaign's results: ask the API about every person whose result can still
//! change, store the answers in the journal, report progress, stop when cancelled.
//!
//! Two ways to ask (UNCERTAIN which works for `BatchRobotSmartCall` tasks, §4.1):
//! `QueryRobotTaskCallList` (a page of calls per request: cheap) and `QueryCallDetailByTaskId`
//! (one callee and day per request: documented for these tasks). [`QueryMode::Auto`] tries
//! the list first and, the first time the API refuses it, uses per-callee queries for the
//! rest of the run.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, MutexGuard};

use serde::{Deserialize, Serialize};
use tokio::task::JoinSet;

use super::cancel::CancelToken;
use super::model::{CallRecord, PersonResult};
use super::query::{parse_china_time, Fetcher, Stop};
use super::store::{self, PersonKey};
use super::view::load_results;
use super::ResultsError;
use crate::aliyun::tasks::RobotTaskCall;
use crate::aliyun::{CallError, Client};
use crate::campaign::journal::Journal;
use crate::campaign::model::{BatchRow, BatchState, SystemClock, WallClock};
use crate::campaign::retry::RetryPolicy;
use crate::error_code::ErrorCode;
use crate::text::UserError;

/// Default pace: a tenth of the documented 100/s quota of the query APIs, leaving room for
/// other tools on the same account.
pub const DEFAULT_REFRESH_QPS: f64 = 10.0;

/// The fastest a refresh reads, whatever is asked for: a fifth of the query APIs' 100/s
/// account quota (`docs/api/dyvms.md` §5.3), which every tool on the account shares. Reads
/// are never urgent; throttling them only slows the refresh down.
pub const MAX_REFRESH_QPS: f64 = 20.0;

/// The pace a refresh runs at when `requested` is asked for: capped at [`MAX_REFRESH_QPS`],
/// and the default for a value that is not a positive number.
pub fn refresh_qps(requested: f64) -> f64 {
    if requested.is_finite() && requested > 0.0 {
        requested.min(MAX_REFRESH_QPS)
    } else {
        DEFAULT_REFRESH_QPS
    }
}

/// Which API a refresh reads results with.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum QueryMode {
    /// Task call list first; per-callee once the API refuses the list.
    Auto,
    /// `QueryRobotTaskCallList` only.
    TaskCallList,
    /// `QueryCallDetailByTaskId` only.
    PerCallee,
}

/// How a refresh runs.
#[derive(Debug, Clone, PartialEq)]
pub struct RefreshOptions {
    /// Requests per second, retries included.
    pub qps: f64,
    /// Per-callee requests in flight at once.
    pub concurrency: usize,
    /// Backoff for read failures that are safe to repeat (throttling, 5xx, timeouts).
    pub retry: RetryPolicy,
    pub mode: QueryMode,
    /// Rows per `QueryRobotTaskCallList` page.
    pub page_size: u32,
    /// Ask again about people whose result is final (e.g. for a fresh recording link).
    pub include_final: bool,
    /// In task-list mode, ask per callee for the recording link of answered calls (the list
    /// has none). Off: one request per list page only; links come from
    /// [`Refresher::refresh_person`] when the user wants one.
    pub recording_links: bool,
    /// Seed of the backoff jitter.
    pub rng_seed: u64,
}

impl Default for RefreshOptions {
    fn default() -> Self {
        RefreshOptions {
            qps: DEFAULT_REFRESH_QPS,
            concurrency: 4,
            retry: RetryPolicy {
                max_attempts: 4,
                base_delay: std::time::Duration::from_millis(500),
                max_delay: std::time::Duration::from_secs(8),
            },
            mode: QueryMode::Auto,
            page_size: 100,
            include_final: false,
            recording_links: true,
            rng_seed: 0x5eed,
        }
    }
}

/// Progress of a refresh, after each person (or page) is settled.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RefreshProgress {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// People settled so far in this run.
    pub done: u32,
    /// People this run asks about.
    pub total: u32,
    /// API requests sent so far.
    pub requests: u32,
    /// The API in use right now.
    pub mode: QueryMode,
}

/// One person the API could not tell us about this time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PersonFailure {
    pub batch_index: u32,
    pub number: String,
    pub error: UserError,
}

/// What a refresh did.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RefreshReport {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// People asked about.
    pub checked: u32,
    /// People whose call record was found (now or again).
    pub found: u32,
    /// People still without a record.
    pub still_pending: u32,
    /// People skipped because their result is final.
    pub skipped_final: u32,
    /// People in batches that were not accepted, or marked sent without a TaskId (nothing
    /// to ask).
    pub not_sent: u32,
    /// People in tasks scheduled for later: not asked (nothing can exist yet).
    pub not_due: u32,
    pub requests: u32,
    /// The API the run ended with.
    pub mode: QueryMode,
    /// Why the task call list was given up for per-callee queries, if it was.
    pub degraded: Option<UserError>,
    /// People whose query failed (their stored result is unchanged). At most 50 listed.
    pub failures: Vec<PersonFailure>,
    pub failure_count: u32,
    pub cancelled: bool,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub finished_at_ms: i64,
}

/// Where progress goes: the CLI draws a bar, the desktop forwards Tauri events.
pub type ProgressSink<'a> = &'a (dyn Fn(RefreshProgress) + Send + Sync);

/// [`Refresher::refresh`] with the system clock.
pub async fn refresh_campaign(
    journal: &Mutex<Journal>,
    client: &Client,
    campaign_id: i64,
    options: &RefreshOptions,
    progress: ProgressSink<'_>,
    cancel: &CancelToken,
) -> Result<RefreshReport, ResultsError> {
    Refresher::new(client.clone(), options.clone())
        .refresh(journal, campaign_id, progress, cancel)
        .await
}

/// Refreshes results; holds the client, options and clock.
pub struct Refresher {
    client: Client,
    options: RefreshOptions,
    clock: Arc<dyn WallClock>,
}

/// One person to ask about.
#[derive(Debug, Clone)]
struct Target {
    key: PersonKey,
    /// Unix ms on the day the call was (to be) placed.
    day_ms: i64,
}

const MAX_LISTED_FAILURES: usize = 50;

/// How long after the call day a person missing from the task call list is trusted to be
/// "not called yet" before being asked for directly.
const LIST_GRACE_MS: i64 = 24 * 3600 * 1000;

fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    journal.lock().unwrap_or_else(|p| p.into_inner())
}

/// Errors that mean the whole account is unusable: no point asking about anyone else.
fn is_fatal(e: &CallError) -> bool {
    e.is_account_level()
}

impl Refresher {
    pub fn new(client: Client, options: RefreshOptions) -> Refresher {
        Refresher {
            client,
            options,
            clock: Arc::new(SystemClock),
        }
    }

    /// Now, by the refresher's clock.
    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    /// Injects the clock that stamps `fetched_at` and decides which days to query.
    pub fn with_clock(mut self, clock: Arc<dyn WallClock>) -> Refresher {
        self.clock = clock;
        self
    }

    /// Asks about every person of `campaign_id` whose result can still change (everyone
    /// with `include_final`) and stores the answers. Cancelling keeps what was stored and
    /// returns a report with `cancelled: true`. Only an account-level API error (bad key,
    /// no balance, ...) or a journal failure ends it with `Err`.
    pub async fn refresh(
        &self,
        journal: &Mutex<Journal>,
        campaign_id: i64,
        progress: ProgressSink<'_>,
        cancel: &CancelToken,
    ) -> Result<RefreshReport, ResultsError> {
        let (mut batches, settings, stored) = {
            let j = lock(journal);
            let batches = j.batches(campaign_id)?;
            let settings = j.settings(campaign_id)?;
            let stored = store::load(j.conn(), campaign_id)?;
            (batches, settings, stored)
        };
        // Batches accepted without a TaskId: find their tasks first, so their people are
        // asked about like everyone else's.
        super::task_lookup::find_missing_task_ids(&self.client, journal, campaign_id, &mut batches)
            .await?;
        let mut report = RefreshReport {
            campaign_id,
            checked: 0,
            found: 0,
            still_pending: 0,
            skipped_final: 0,
            not_sent: 0,
            not_due: 0,
            requests: 0,
            mode: self.options.mode,
            degraded: None,
            failures: Vec::new(),
            failure_count: 0,
            cancelled: false,
            finished_at_ms: 0,
        };
        let now_ms = self.clock.now_ms();
        let mut work: Vec<(BatchRow, Vec<Target>)> = Vec::new();
        for batch in batches {
            let task_id = match (&batch.state, &batch.task_id) {
                (BatchState::Sent, Some(t)) if !t.is_empty() => t.clone(),
                _ => {
                    report.not_sent += batch.called_numbers.len() as u32;
                    continue;
                }
            };
            // The call is placed when the batch is accepted, or at its scheduled time.
            let sent_at = batch.first_sent_at_ms.unwrap_or(batch.updated_at_ms);
            let day_ms = settings
                .schedule_time_ms
                .map_or(sent_at, |s| s.max(sent_at));
            if day_ms > now_ms {
                report.not_due += batch.called_numbers.len() as u32;
                continue;
            }
            let mut targets = Vec::new();
            for (pos, number) in batch.called_numbers.iter().enumerate() {
                let position = pos as u32;
                let is_final = stored
                    .get(&(batch.index, position))
                    .is_some_and(|s| s.outcome.is_final());
                if is_final && !self.options.include_final {
                    report.skipped_final += 1;
                    continue;
                }
                targets.push(Target {
                    key: PersonKey {
                        campaign_id,
                        batch_index: batch.index,
                        position,
                        task_id: task_id.clone(),
                        number: number.clone(),
                        source_row: batch.source_rows.get(pos).copied(),
                    },
                    day_ms,
                });
            }
            if !targets.is_empty() {
                work.push((batch, targets));
            }
        }
        let total: u32 = work.iter().map(|(_, t)| t.len() as u32).sum();
        let fetcher = Arc::new(Fetcher::new(
            self.client.clone(),
            self.options.qps,
            self.options.retry,
            self.clock.clone(),
            self.options.rng_seed,
            cancel.clone(),
        ));
        let recording_links = self.options.recording_links;
        let mut run = Run {
            journal,
            fetcher: fetcher.clone(),
            progress,
            report,
            total,
            done: 0,
            recording_links,
        };
        run.emit();
        let mut use_list = self.options.mode != QueryMode::PerCallee;
        for (_batch, targets) in work {
            if cancel.is_cancelled() {
                run.report.cancelled = true;
                break;
            }
            let mut per_callee = targets;
            if use_list {
                run.report.mode = QueryMode::TaskCallList;
                match run.via_task_list(&per_callee, self.options.page_size).await {
                    // Anyone the list still lacks a day after the call is asked directly.
                    Ok(leftover) => per_callee = leftover,
                    Err(RunStop::Cancelled) => {
                        run.report.cancelled = true;
                        break;
                    }
                    Err(RunStop::Journal(e)) => return Err(e),
                    Err(RunStop::Call(e)) if is_fatal(&e) => return Err(ResultsError::Api(e)),
                    Err(RunStop::Call(e)) if self.options.mode == QueryMode::Auto => {
                        // Remembered for the rest of this run: the list is not asked again.
                        tracing::info!(
                            code = e.code().unwrap_or(""),
                            "task call list refused; using per-callee queries"
                        );
                        run.report.degraded = Some(e.to_user_error());
                        use_list = false;
                    }
                    Err(RunStop::Call(e)) => return Err(ResultsError::Api(e)),
                }
            }
            if !per_callee.is_empty() {
                if !use_list {
                    run.report.mode = QueryMode::PerCallee;
                }
                match run.per_callee(per_callee, self.options.concurrency).await {
                    Ok(()) => {}
                    Err(RunStop::Cancelled) => {
                        run.report.cancelled = true;
                        break;
                    }
                    Err(RunStop::Journal(e)) => return Err(e),
                    Err(RunStop::Call(e)) => return Err(ResultsError::Api(e)),
                }
            }
        }
        run.report.requests = fetcher.requests();
        run.report.finished_at_ms = self.clock.now_ms();
        run.emit();
        Ok(run.report)
    }
}

impl Refresher {
    /// Asks again about one person (`QueryCallDetailByTaskId` on the day of their call) and
    /// stores the answer: e.g. for a recording link before opening it. Returns the updated
    /// row.
    pub async fn refresh_person(
        &self,
        journal: &Mutex<Journal>,
        campaign_id: i64,
        batch_index: u32,
        position: u32,
    ) -> Result<PersonResult, ResultsError> {
        let (batch, settings, stored) = {
            let j = lock(journal);
            let batch = j.batch(campaign_id, batch_index)?;
            let settings = j.settings(campaign_id)?;
            let stored = store::load(j.conn(), campaign_id)?;
            (batch, settings, stored)
        };
        let (Some(task_id), Some(number)) = (
            batch
                .task_id
                .clone()
                .filter(|_| batch.state == BatchState::Sent),
            batch.called_numbers.get(position as usize).cloned(),
        ) else {
            return Err(ResultsError::Status(not_sent(batch_index, position)));
        };
        let sent_at = batch.first_sent_at_ms.unwrap_or(batch.updated_at_ms);
        let day_ms = stored
            .get(&(batch_index, position))
            .and_then(|s| s.record.as_ref())
            .and_then(|r| r.call_time.as_deref())
            .and_then(parse_china_time)
            .unwrap_or_else(|| {
                settings
                    .schedule_time_ms
                    .map_or(sent_at, |s| s.max(sent_at))
            });
        let fetcher = Fetcher::new(
            self.client.clone(),
            self.options.qps,
            self.options.retry,
            self.clock.clone(),
            self.options.rng_seed,
            CancelToken::new(),
        );
        let record = match fetcher.callee_record(&task_id, &number, day_ms).await {
            Ok(r) => r,
            Err(Stop::Call(e)) => return Err(ResultsError::Api(e)),
            Err(Stop::Cancelled) => return Err(ResultsError::Cancelled),
        };
        let key = PersonKey {
            campaign_id,
            batch_index,
            position,
            task_id,
            number,
            source_row: batch.source_rows.get(position as usize).copied(),
        };
        let j = lock(journal);
        store::save(j.conn(), &key, record.as_ref(), self.clock.now_ms())?;
        let results = load_results(&j, campaign_id, self.clock.now_ms())?;
        results
            .people
            .into_iter()
            .find(|p| p.batch_index == batch_index && p.position == position)
            .ok_or_else(|| ResultsError::Status(not_sent(batch_index, position)))
    }
}

fn not_sent(batch_index: u32, position: u32) -> UserError {
    UserError::new(
        ErrorCode::ResultsNotSent,
        crate::text::Localized::new(
            format!(
                "第 {} 批第 {} 人没有发出，没有通话结果可查。",
                batch_index + 1,
                position + 1
            ),
            format!(
                "Person {} of batch {} was not sent; there is no call to ask about.",
                position + 1,
                batch_index + 1
            ),
        ),
        crate::text::Localized::new("", ""),
    )
}

/// The state of one refresh run.
struct Run<'a> {
    journal: &'a Mutex<Journal>,
    fetcher: Arc<Fetcher>,
    progress: ProgressSink<'a>,
    report: RefreshReport,
    total: u32,
    done: u32,
    recording_links: bool,
}

impl Run<'_> {
    fn emit(&self) {
        (self.progress)(RefreshProgress {
            campaign_id: self.report.campaign_id,
            done: self.done,
            total: self.total,
            requests: self.fetcher.requests(),
            mode: self.report.mode,
        });
    }

    fn store(&mut self, key: &PersonKey, record: Option<&CallRecord>) -> Result<(), ResultsError> {
        let now = self.fetcher.now_ms();
        store::save(lock(self.journal).conn(), key, record, now)?;
        self.report.checked += 1;
        if record.is_some() {
            self.report.found += 1;
        } else {
            self.report.still_pending += 1;
        }
        self.done += 1;
        Ok(())
    }

    fn failed(&mut self, key: &PersonKey, error: &CallError) {
        self.report.failure_count += 1;
        self.report.checked += 1;
        self.done += 1;
        if self.report.failures.len() < MAX_LISTED_FAILURES {
            self.report.failures.push(PersonFailure {
                batch_index: key.batch_index,
                number: key.number.clone(),
                error: error.to_user_error(),
            });
        }
    }

    /// One task's call list, matched to the people asked about. Answered calls are asked
    /// again per callee (on the day the list gives) for the recording link, which the list
    /// does not carry.
    async fn via_task_list(
        &mut self,
        targets: &[Target],
        page_size: u32,
    ) -> Result<Vec<Target>, RunStop> {
        let Some(first) = targets.first() else {
            return Ok(Vec::new());
        };
        let task_id = first.key.task_id.clone();
        let rows = self
            .fetcher
            .task_call_list(&task_id, page_size, targets.len())
            .await?;
        // With redials a number can have several rows: the latest call wins.
        let mut by_number: HashMap<String, RobotTaskCall> = HashMap::new();
        for row in rows {
            let Some(number) = row.called.clone() else {
                continue;
            };
            let newer = by_number
                .get(&number)
                .is_none_or(|old| old.call_start_time <= row.call_start_time);
            if newer {
                by_number.insert(number, row);
            }
        }
        let mut leftover = Vec::new();
        for target in targets {
            let now = self.fetcher.now_ms();
            let mut record = by_number
                .get(&target.key.number)
                .map(|row| CallRecord::from_task_call(row, now));
            // Whether the list shows every call of a BatchRobotSmartCall task is UNCERTAIN:
            // someone still missing a day after the call is asked for directly.
            if record.is_none() && now - target.day_ms >= LIST_GRACE_MS {
                leftover.push(target.clone());
                continue;
            }
            if let Some(r) = record.as_ref().filter(|r| {
                self.recording_links && r.outcome.is_answered() && r.record_url.is_none()
            }) {
                let day = r
                    .call_time
                    .as_deref()
                    .and_then(parse_china_time)
                    .unwrap_or(target.day_ms);
                match self
                    .fetcher
                    .callee_record(&target.key.task_id, &target.key.number, day)
                    .await
                {
                    Ok(Some(detail)) => record = Some(detail),
                    Ok(None) => {}
                    Err(Stop::Cancelled) => return Err(RunStop::Cancelled),
                    // The list already told us the outcome; the link can come next time.
                    Err(Stop::Call(e)) if !is_fatal(&e) => {
                        tracing::debug!(
                            code = e.code().unwrap_or(""),
                            "recording link lookup failed"
                        )
                    }
                    Err(Stop::Call(e)) => return Err(RunStop::Call(e)),
                }
            }
            self.store(&target.key, record.as_ref())
                .map_err(RunStop::Journal)?;
            self.emit();
        }
        Ok(leftover)
    }

    /// One `QueryCallDetailByTaskId` (or two, across midnight) per person, a few in flight.
    async fn per_callee(
        &mut self,
        targets: Vec<Target>,
        concurrency: usize,
    ) -> Result<(), RunStop> {
        let mut pending = targets.into_iter();
        let mut in_flight = JoinSet::new();
        let limit = concurrency.clamp(1, 32);
        loop {
            while in_flight.len() < limit && !self.fetcher.cancel_token().is_cancelled() {
                let Some(target) = pending.next() else {
                    break;
                };
                let fetcher = self.fetcher.clone();
                in_flight.spawn(async move {
                    let result = fetcher
                        .callee_record(&target.key.task_id, &target.key.number, target.day_ms)
                        .await;
                    (target, result)
                });
            }
            let Some(joined) = in_flight.join_next().await else {
                break;
            };
            let Ok((target, result)) = joined else {
                continue;
            };
            match result {
                Ok(record) => {
                    self.store(&target.key, record.as_ref())
                        .map_err(RunStop::Journal)?;
                }
                Err(Stop::Cancelled) => {}
                Err(Stop::Call(e)) if is_fatal(&e) => {
                    in_flight.abort_all();
                    return Err(RunStop::Call(e));
                }
                Err(Stop::Call(e)) => self.failed(&target.key, &e),
            }
            self.emit();
        }
        if self.fetcher.cancel_token().is_cancelled() {
            return Err(RunStop::Cancelled);
        }
        Ok(())
    }
}

/// Why a run's inner loop stopped early.
enum RunStop {
    Cancelled,
    Call(CallError),
    Journal(ResultsError),
}

impl From<Stop> for RunStop {
    fn from(s: Stop) -> Self {
        match s {
            Stop::Cancelled => RunStop::Cancelled,
            Stop::Call(e) => RunStop::Call(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_refresh_reads_at_most_twenty_a_second_and_the_default_for_nonsense() {
        assert_eq!(refresh_qps(5.0), 5.0);
        assert_eq!(refresh_qps(50.0), MAX_REFRESH_QPS);
        for nonsense in [0.0, -1.0, f64::NAN, f64::INFINITY] {
            assert_eq!(refresh_qps(nonsense), DEFAULT_REFRESH_QPS);
        }
    }
}
