//! The request-rate cap: requests leave at most `qps` per second, evenly spaced.

use std::time::Duration;

use tokio::sync::Mutex;
use tokio::time::Instant;

/// A token bucket of depth one: each request takes the next free slot, `1/qps` after the
/// previous one. Depth one (no burst) keeps the rate under the cap over every window, which
/// is what a per-second server quota counts. Uses tokio's clock, so tests can pause time.
#[derive(Debug)]
pub struct RateLimiter {
    interval: Duration,
    next_slot: Mutex<Option<Instant>>,
}

impl RateLimiter {
    /// `qps` requests per second; values below 0.01 are treated as 0.01.
    pub fn new(qps: f64) -> Self {
        let qps = if qps.is_finite() { qps.max(0.01) } else { 0.01 };
        RateLimiter {
            interval: Duration::from_secs_f64(1.0 / qps),
            next_slot: Mutex::new(None),
        }
    }

    pub fn interval(&self) -> Duration {
        self.interval
    }

    /// Waits for the next slot.
    pub async fn acquire(&self) {
        let at = {
            let mut next = self.next_slot.lock().await;
            let now = Instant::now();
            let at = match *next {
                Some(slot) if slot > now => slot,
                _ => now,
            };
            *next = Some(at + self.interval);
            at
        };
        tokio::time::sleep_until(at).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn slots_are_spaced_by_the_interval() {
        let limiter = RateLimiter::new(20.0);
        let start = Instant::now();
        for _ in 0..21 {
            limiter.acquire().await;
        }
        // 21 requests: the first at once, then 20 gaps of 50 ms.
        assert_eq!(start.elapsed(), Duration::from_millis(1000));
    }

    #[tokio::test(start_paused = true)]
    async fn an_idle_limiter_does_not_bank_a_burst() {
        let limiter = RateLimiter::new(10.0);
        limiter.acquire().await;
        tokio::time::sleep(Duration::from_secs(5)).await;
        let start = Instant::now();
        limiter.acquire().await;
        limiter.acquire().await;
        assert_eq!(start.elapsed(), Duration::from_millis(100));
    }
}
