//! When to send a batch again, and after how long.

use std::time::Duration;

use rand::{Rng, RngCore};

/// Exponential backoff with jitter for requests that certainly did not arrive or were
/// throttled. Only those are retried; see [`super::dialer::FailureClass`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in total, the first included.
    pub max_attempts: u32,
    /// The wait before the second attempt (before jitter).
    pub base_delay: Duration,
    /// No wait is longer than this (before honouring a server's retry-after).
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    /// Six attempts over roughly 15–30 s: long enough to ride out a throttling burst, short
    /// enough that a user watching the progress bar is not left wondering.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 6,
            base_delay: Duration::from_millis(500),
            max_delay: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// Whether attempt number `attempt` (1-based) may be followed by another.
    pub fn may_retry(&self, attempt: u32) -> bool {
        attempt < self.max_attempts
    }

    /// The wait after failed attempt `attempt` (1-based): `base · 2^(attempt-1)`, capped,
    /// with "equal jitter" (half fixed, half random) so many clients throttled at once do
    /// not come back in lockstep, yet never retry immediately. A server-given retry-after
    /// is a floor.
    pub fn delay(
        &self,
        attempt: u32,
        retry_after: Option<Duration>,
        rng: &mut dyn RngCore,
    ) -> Duration {
        let exp = attempt.saturating_sub(1).min(20);
        let full = self
            .base_delay
            .saturating_mul(1u32 << exp)
            .min(self.max_delay);
        let half = full / 2;
        let jitter_ms = rng.random_range(0..=half.as_millis() as u64);
        let delay = half + Duration::from_millis(jitter_ms);
        match retry_after {
            Some(floor) => delay.max(floor),
            None => delay,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::rngs::StdRng;
    use rand::SeedableRng;

    #[test]
    fn delays_grow_stay_capped_and_jitter_within_half() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(7);
        for attempt in 1..=12 {
            let full = (p.base_delay * 2u32.pow(attempt - 1)).min(p.max_delay);
            for _ in 0..50 {
                let d = p.delay(attempt, None, &mut rng);
                assert!(
                    d >= full / 2 && d <= full,
                    "attempt {attempt}: {d:?} vs {full:?}"
                );
            }
        }
    }

    #[test]
    fn retry_after_is_a_floor_and_attempts_are_bounded() {
        let p = RetryPolicy::default();
        let mut rng = StdRng::seed_from_u64(1);
        assert!(p.delay(1, Some(Duration::from_secs(9)), &mut rng) >= Duration::from_secs(9));
        assert!(p.may_retry(5));
        assert!(!p.may_retry(6));
    }
}
