//! The one clock: wall-clock time injected wherever a decision depends on it (journal
//! timestamps, leases, schedules checked against now, request signatures, the simulator),
//! so tests are deterministic. Production code asks [`SystemClock`]; `Instant` stays for
//! measuring durations (pacing, timeouts), which no test needs to fix.

use std::sync::Mutex;

use chrono::{DateTime, Utc};

/// A source of wall-clock time.
pub trait WallClock: Send + Sync {
    /// Milliseconds since the Unix epoch, the unit of `ScheduleTime`, `QueryDate` and the
    /// journal's timestamps.
    fn now_ms(&self) -> i64;

    /// The same instant as a UTC time (a request's `Timestamp`).
    fn now_utc(&self) -> DateTime<Utc> {
        DateTime::from_timestamp_millis(self.now_ms()).unwrap_or_default()
    }
}

/// The computer's clock.
#[derive(Debug, Clone, Copy, Default)]
pub struct SystemClock;

/// The computer's clock now, in Unix milliseconds: for the front ends, which are not tested
/// with another clock (the engine, the journal and the signer take a [`WallClock`]).
pub fn now_ms() -> i64 {
    SystemClock.now_ms()
}

impl WallClock for SystemClock {
    fn now_ms(&self) -> i64 {
        Utc::now().timestamp_millis()
    }

    fn now_utc(&self) -> DateTime<Utc> {
        Utc::now()
    }
}

/// A clock that shows a set time until it is moved; for tests and reproducible runs.
#[derive(Debug)]
pub struct FixedClock(Mutex<DateTime<Utc>>);

impl FixedClock {
    pub fn new(at: DateTime<Utc>) -> Self {
        FixedClock(Mutex::new(at))
    }

    /// Parses an RFC 3339 time such as `2025-01-01T00:00:00Z`.
    pub fn at_rfc3339(text: &str) -> Result<Self, chrono::ParseError> {
        Ok(FixedClock::new(
            DateTime::parse_from_rfc3339(text)?.with_timezone(&Utc),
        ))
    }

    /// Moves the clock to another time.
    pub fn set(&self, at: DateTime<Utc>) {
        if let Ok(mut now) = self.0.lock() {
            *now = at;
        }
    }
}

impl WallClock for FixedClock {
    fn now_ms(&self) -> i64 {
        self.now_utc().timestamp_millis()
    }

    fn now_utc(&self) -> DateTime<Utc> {
        match self.0.lock() {
            Ok(now) => *now,
            Err(poisoned) => *poisoned.into_inner(),
        }
    }
}
