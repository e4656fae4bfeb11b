//! Reading call records from the API: paced under the quota, read-only calls retried with
//! backoff when that is safe, and cancellable between requests.

use std::future::Future;
use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;
use rand::rngs::StdRng;
use rand::SeedableRng;

use super::cancel::CancelToken;
use super::model::CallRecord;
use crate::aliyun::tasks::RobotTaskCall;
use crate::aliyun::{CallError, Client, ErrorClass};
use crate::campaign::model::WallClock;
use crate::campaign::pacing::RateLimiter;
use crate::campaign::retry::RetryPolicy;

const DAY_MS: i64 = 24 * 3600 * 1000;

/// Why a read stopped without an answer.
#[derive(Debug)]
pub enum Stop {
    /// The user cancelled.
    Cancelled,
    /// The API failed and retrying is not safe or did not help.
    Call(CallError),
}

/// The pacing, retry and cancellation every read shares.
pub struct Fetcher {
    client: Client,
    limiter: RateLimiter,
    retry: RetryPolicy,
    rng: Mutex<StdRng>,
    clock: Arc<dyn WallClock>,
    cancel: CancelToken,
    requests: AtomicU32,
}

impl std::fmt::Debug for Fetcher {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Fetcher")
            .field("client", &self.client)
            .field("interval", &self.limiter.interval())
            .finish()
    }
}

impl Fetcher {
    /// At most `qps` requests per second (retries included).
    pub fn new(
        client: Client,
        qps: f64,
        retry: RetryPolicy,
        clock: Arc<dyn WallClock>,
        rng_seed: u64,
        cancel: CancelToken,
    ) -> Fetcher {
        Fetcher {
            client,
            limiter: RateLimiter::new(qps),
            retry,
            rng: Mutex::new(StdRng::seed_from_u64(rng_seed)),
            clock,
            cancel,
            requests: AtomicU32::new(0),
        }
    }

    /// Requests sent so far (retries included).
    pub fn requests(&self) -> u32 {
        self.requests.load(Ordering::SeqCst)
    }

    pub fn now_ms(&self) -> i64 {
        self.clock.now_ms()
    }

    pub fn cancel_token(&self) -> &CancelToken {
        &self.cancel
    }

    /// One read-only call: waits for a slot, retries `RetrySafe` failures with backoff.
    async fn read<T, F, Fut>(&self, call: F) -> Result<T, Stop>
    where
        F: Fn() -> Fut,
        Fut: Future<Output = Result<T, CallError>>,
    {
        let mut attempt = 1;
        loop {
            if self.cancel.is_cancelled() {
                return Err(Stop::Cancelled);
            }
            tokio::select! {
                _ = self.limiter.acquire() => {}
                _ = self.cancel.cancelled() => return Err(Stop::Cancelled),
            }
            self.requests.fetch_add(1, Ordering::SeqCst);
            match call().await {
                Ok(v) => return Ok(v),
                Err(e) if e.class() == ErrorClass::RetrySafe && self.retry.may_retry(attempt) => {
                    let delay = {
                        let mut rng = self.rng.lock().unwrap_or_else(|p| p.into_inner());
                        self.retry.delay(attempt, None, &mut *rng)
                    };
                    tracing::debug!(
                        code = e.code().unwrap_or(""),
                        attempt,
                        ?delay,
                        "read failed; retrying"
                    );
                    tokio::select! {
                        _ = tokio::time::sleep(delay) => {}
                        _ = self.cancel.cancelled() => return Err(Stop::Cancelled),
                    }
                    attempt += 1;
                }
                Err(e) => return Err(Stop::Call(e)),
            }
        }
    }

    /// `QueryCallDetailByTaskId` for one callee, on the day of `day_ms` and, when that day is
    /// over (China time), on the next day too: a call placed near midnight may be filed there.
    pub async fn callee_record(
        &self,
        task_id: &str,
        callee: &str,
        day_ms: i64,
    ) -> Result<Option<CallRecord>, Stop> {
        let mut days = vec![day_ms];
        if china_day(self.now_ms()) > china_day(day_ms) {
            days.push(day_ms + DAY_MS);
        }
        for day in days {
            let found = self
                .read(|| {
                    self.client
                        .query_call_detail_by_task_id(task_id, callee, day)
                })
                .await?;
            if let Some(detail) = found {
                return Ok(Some(CallRecord::from_call_detail(&detail, self.now_ms())));
            }
        }
        Ok(None)
    }

    /// Every row of `QueryRobotTaskCallList` for a task, page by page. Stops at a short page,
    /// at the reply's `TotalCount`, or after enough pages for `expected` rows (plus one, so a
    /// server that ignores paging cannot keep us looping).
    pub async fn task_call_list(
        &self,
        task_id: &str,
        page_size: u32,
        expected: usize,
    ) -> Result<Vec<RobotTaskCall>, Stop> {
        let page_size = page_size.clamp(1, 1000);
        let max_pages = expected / page_size as usize + 2;
        let mut rows = Vec::new();
        for page_no in 1..=max_pages as u32 {
            let page = self
                .read(|| {
                    self.client
                        .query_robot_task_call_list(task_id, page_no, page_size)
                })
                .await?;
            let short = page.rows.len() < page_size as usize;
            rows.extend(page.rows);
            let complete = page.total.is_some_and(|t| rows.len() as u64 >= t);
            if short || complete {
                break;
            }
        }
        Ok(rows)
    }
}

/// China Standard Time is UTC+8 all year (no daylight saving).
const CHINA_OFFSET_MS: i64 = 8 * 3600 * 1000;

/// The calendar day in China of a Unix-ms instant.
pub fn china_day(ms: i64) -> NaiveDate {
    chrono::DateTime::from_timestamp_millis(ms.saturating_add(CHINA_OFFSET_MS))
        .unwrap_or_default()
        .date_naive()
}

/// `yyyy-MM-dd HH:mm:ss` (or `yyyy.MM.dd`) in China time → Unix ms.
pub fn parse_china_time(text: &str) -> Option<i64> {
    crate::china_time::parse_api(text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn china_days_and_times() {
        // 2026-11-25 15:59:59 UTC = 23:59:59 China; one second later is the next day.
        let before = parse_china_time("2026-11-25 23:59:59").unwrap_or_default();
        assert_eq!(china_day(before).to_string(), "2026-11-25");
        assert_eq!(china_day(before + 1000).to_string(), "2026-11-26");
        assert_eq!(parse_china_time("2026.11.25 23:59:59"), Some(before));
        assert_eq!(parse_china_time("yesterday"), None);
    }
}
