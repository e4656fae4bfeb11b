//! Moments written for a person to read.

use chrono::TimeZone;

/// `YYYY-MM-DD HH:MM` in the computer's time zone (what the user saw when it ran).
pub fn local_time(ms: i64) -> String {
    match chrono::Local.timestamp_millis_opt(ms).single() {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => ms.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_moment_reads_to_the_minute_and_nonsense_reads_as_the_number() {
        let text = local_time(1_735_689_600_000);
        assert_eq!(text.len(), "2025-01-01 08:00".len(), "{text}");
        assert_eq!(local_time(i64::MAX), i64::MAX.to_string());
    }
}
