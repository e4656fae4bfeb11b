//! China time (Asia/Shanghai): where the calls happen, so the clock every schedule, calling
//! hour and "when was this sent" is stated in, whatever zone the marketer's computer is in.
//!
//! ```
//! use smartdial_core::china_time;
//! let ms = china_time::parse_schedule("2026-12-07 10:00").unwrap();
//! assert_eq!(china_time::format(ms), "2026-12-07 10:00");
//! assert_eq!(ms, china_time::parse_schedule("2026-12-07 03:00 +01:00").unwrap());
//! ```

use chrono::{DateTime, FixedOffset, Local, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::text::Localized;

/// The zone of the calls.
pub const ZONE: Tz = chrono_tz::Asia::Shanghai;

fn in_china(ms: i64) -> Option<DateTime<Tz>> {
    DateTime::<Utc>::from_timestamp_millis(ms).map(|t| t.with_timezone(&ZONE))
}

/// `YYYY-MM-DD HH:MM` in China time.
pub fn format(ms: i64) -> String {
    match in_china(ms) {
        Some(t) => t.format("%Y-%m-%d %H:%M").to_string(),
        None => ms.to_string(),
    }
}

/// `YYYY-MM-DD`: the China day of an instant (what `QueryRobotTaskList`'s `Time` filters on).
pub fn day(ms: i64) -> String {
    match in_china(ms) {
        Some(t) => t.format("%Y-%m-%d").to_string(),
        None => ms.to_string(),
    }
}

/// A time as a marketer reads it: China time with the zone named, plus the computer's own
/// time when its zone differs at that instant (`2026-12-07 10:00 北京时间（本机时间 03:00）`).
/// Every time the CLI prints and the reports write goes through here: one clock, one format.
pub fn describe(ms: i64) -> Localized {
    describe_for(ms, local_offset(ms))
}

/// Whose clock "this computer's time" is: the machine's own zone, or a fixed offset (for
/// tests, and for anything that must not depend on where it runs).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Here {
    Machine,
    Fixed(FixedOffset),
}

impl Here {
    /// [`describe`] with this computer's clock.
    pub fn describe(self, ms: i64) -> Localized {
        match self {
            Here::Machine => describe(ms),
            Here::Fixed(offset) => describe_for(ms, offset),
        }
    }

    /// [`describe_api`] with this computer's clock.
    pub fn describe_api(self, text: &str) -> Localized {
        match parse_api(text) {
            Some(ms) => self.describe(ms),
            None => Localized::new(text, text),
        }
    }
}

/// A time as Alibaba Cloud writes it in call records: China wall time,
/// `yyyy-MM-dd HH:mm:ss` or `yyyy.MM.dd HH:mm:ss` (seconds optional) → Unix ms.
pub fn parse_api(text: &str) -> Option<i64> {
    let text = text.trim();
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y.%m.%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y.%m.%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(text, f).ok())?;
    ZONE.from_local_datetime(&naive)
        .earliest()
        .map(|t| t.timestamp_millis())
}

/// [`describe`] for a time written by Alibaba Cloud (see [`parse_api`]); text that is not
/// such a time is shown as it came.
pub fn describe_api(text: &str) -> Localized {
    Here::Machine.describe_api(text)
}

/// [`describe`] for an RFC 3339 stamp (how profiles record when they were added); other
/// text is shown as it came.
pub fn describe_rfc3339(text: &str) -> Localized {
    match DateTime::parse_from_rfc3339(text.trim()) {
        Ok(t) => describe(t.timestamp_millis()),
        Err(_) => Localized::new(text, text),
    }
}

/// [`describe`] for a computer whose zone is `local` at that instant.
pub fn describe_for(ms: i64, local: FixedOffset) -> Localized {
    let china = format(ms);
    let Some(at) = DateTime::<Utc>::from_timestamp_millis(ms) else {
        return Localized::new(china.clone(), china);
    };
    let china_offset = at.with_timezone(&ZONE).offset().fix();
    if china_offset == local {
        return Localized::new(format!("{china} 北京时间"), format!("{china} China time"));
    }
    let here = at.with_timezone(&local);
    let shown = if here.date_naive() == at.with_timezone(&ZONE).date_naive() {
        here.format("%H:%M").to_string()
    } else {
        here.format("%Y-%m-%d %H:%M").to_string()
    };
    Localized::new(
        format!("{china} 北京时间（本机时间 {shown}）"),
        format!("{china} China time ({shown} on this computer)"),
    )
}

fn local_offset(ms: i64) -> FixedOffset {
    Local
        .timestamp_millis_opt(ms)
        .single()
        .map(|t| t.offset().fix())
        .unwrap_or_else(|| FixedOffset::east_opt(0).unwrap_or(Utc.fix()))
}

/// Why a schedule text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not a date and time: {0}")]
pub struct ScheduleParseError(pub String);

impl ScheduleParseError {
    pub fn message(&self) -> Localized {
        Localized::new(
            format!(
                "看不懂这个时间：“{}”。请写成“2026-12-07 10:00”（北京时间），或带上时区，如“2026-12-07 10:00 +08:00”。",
                crate::text::echo(&self.0)
            ),
            format!(
                "Cannot read the time \"{}\". Write it as \"2026-12-07 10:00\" (China time), or with an offset such as \"2026-12-07 10:00 +08:00\".",
                crate::text::echo(&self.0)
            ),
        )
    }
}

/// Reads a schedule as a marketer types it: `YYYY-MM-DD HH:MM[:SS]` (a `T` also works) in
/// China time, or with an explicit offset (`+08:00`, `+0100`, `Z`) or in RFC 3339.
pub fn parse_schedule(text: &str) -> Result<i64, ScheduleParseError> {
    let fail = || ScheduleParseError(text.to_owned());
    let trimmed = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(t.timestamp_millis());
    }
    // `2026-12-07T10:00`: only the date-time separator, not the T of a trailing "UTC".
    let normalized = match trimmed.get(10..11) {
        Some("T") => format!("{} {}", &trimmed[..10], &trimmed[11..]),
        _ => trimmed.to_owned(),
    };
    let (stamp, offset) = split_offset(&normalized);
    let naive = [
        "%Y-%m-%d %H:%M:%S",
        "%Y-%m-%d %H:%M",
        "%Y/%m/%d %H:%M:%S",
        "%Y/%m/%d %H:%M",
    ]
    .iter()
    .find_map(|f| NaiveDateTime::parse_from_str(stamp.trim(), f).ok())
    .or_else(|| {
        NaiveDate::parse_from_str(stamp.trim(), "%Y-%m-%d")
            .ok()
            .and_then(|d| d.and_hms_opt(0, 0, 0))
    })
    .ok_or_else(fail)?;
    match offset {
        Some(offset) => {
            let offset = parse_offset(offset).ok_or_else(fail)?;
            offset
                .from_local_datetime(&naive)
                .single()
                .map(|t| t.timestamp_millis())
                .ok_or_else(fail)
        }
        // China has had no daylight saving since 1991, so every wall time is unambiguous.
        None => ZONE
            .from_local_datetime(&naive)
            .earliest()
            .map(|t| t.timestamp_millis())
            .ok_or_else(fail),
    }
}

/// Splits a trailing ` +08:00`, `+0800`, `Z` or ` UTC` off a date-time.
fn split_offset(text: &str) -> (&str, Option<&str>) {
    let text = text.trim_end();
    for suffix in [" UTC", "Z"] {
        if let Some(stamp) = text.strip_suffix(suffix) {
            return (stamp, Some("+00:00"));
        }
    }
    // The offset sign comes after the time's last ':'-separated part; a '-' earlier is the date.
    if let Some(at) = text.rfind(['+', '-']) {
        if text[..at].contains(':') {
            return (&text[..at], Some(&text[at..]));
        }
    }
    (text, None)
}

fn parse_offset(text: &str) -> Option<FixedOffset> {
    let text = text.trim();
    let (sign, rest) = match text.split_at_checked(1)? {
        ("+", rest) => (1, rest),
        ("-", rest) => (-1, rest),
        _ => return None,
    };
    let digits: String = rest.chars().filter(|c| *c != ':').collect();
    if !digits.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let (hours, minutes) = match digits.len() {
        2 => (digits.parse::<i32>().ok()?, 0),
        4 => (
            digits[..2].parse::<i32>().ok()?,
            digits[2..].parse::<i32>().ok()?,
        ),
        _ => return None,
    };
    if hours > 14 || minutes > 59 {
        return None;
    }
    FixedOffset::east_opt(sign * (hours * 3600 + minutes * 60))
}

#[cfg(test)]
mod tests {
    use super::*;

    // 2026-12-07 02:00 UTC = 10:00 in Shanghai.
    const AT: i64 = 1_796_608_800_000;

    #[test]
    fn a_bare_time_is_china_time() {
        assert_eq!(parse_schedule("2026-12-07 10:00"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-07T10:00:00"), Ok(AT));
        assert_eq!(parse_schedule(" 2026/12/07 10:00 "), Ok(AT));
    }

    #[test]
    fn an_explicit_offset_wins() {
        assert_eq!(parse_schedule("2026-12-07 10:00 +08:00"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-07 03:00 +01:00"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-06 21:00 -0500"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-07 02:00Z"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-07T02:00:00Z"), Ok(AT));
        assert_eq!(parse_schedule("2026-12-07 02:00 UTC"), Ok(AT));
    }

    #[test]
    fn nonsense_is_refused_with_a_capped_echo() {
        for bad in [
            "tomorrow",
            "2026-13-07 10:00",
            "2026-12-07 10:00 +99:00",
            "",
        ] {
            let err = parse_schedule(bad).expect_err(bad);
            assert!(err.message().zh_cn.contains("北京时间"), "{bad}");
        }
        let long = "9".repeat(500);
        let err = parse_schedule(&long).expect_err("long");
        assert!(err.message().zh_cn.chars().count() < 200);
    }

    #[test]
    fn descriptions_name_the_zone_and_the_local_time_when_it_differs() {
        let china = FixedOffset::east_opt(8 * 3600).unwrap();
        assert_eq!(describe_for(AT, china).zh_cn, "2026-12-07 10:00 北京时间");
        let berlin = FixedOffset::east_opt(3600).unwrap();
        assert_eq!(
            describe_for(AT, berlin).zh_cn,
            "2026-12-07 10:00 北京时间（本机时间 03:00）"
        );
        let new_york = FixedOffset::west_opt(5 * 3600).unwrap();
        assert_eq!(
            describe_for(AT, new_york).en,
            "2026-12-07 10:00 China time (2026-12-06 21:00 on this computer)"
        );
        assert_eq!(day(AT), "2026-12-07");
    }

    #[test]
    fn api_times_are_read_as_china_time_and_shown_in_the_one_format() {
        assert_eq!(parse_api("2026-12-07 10:00:00"), Some(AT));
        assert_eq!(parse_api("2026.12.07 10:00:00"), Some(AT));
        assert_eq!(parse_api(" 2026-12-07 10:00 "), Some(AT));
        assert_eq!(parse_api("soon"), None);
        let berlin = Here::Fixed(FixedOffset::east_opt(3600).unwrap());
        assert_eq!(
            berlin.describe_api("2026.12.07 10:00:05").zh_cn,
            "2026-12-07 10:00 北京时间（本机时间 03:00）"
        );
        assert_eq!(berlin.describe_api("不详").en, "不详");
        let china = Here::Fixed(FixedOffset::east_opt(8 * 3600).unwrap());
        assert_eq!(china.describe(AT).en, "2026-12-07 10:00 China time");
        // The profile stamp (UTC) lands on the same clock.
        let shown = describe_rfc3339("2026-12-07T02:00:00Z");
        assert!(
            shown.zh_cn.starts_with("2026-12-07 10:00 北京时间"),
            "{shown:?}"
        );
        assert_eq!(describe_rfc3339("yesterday").zh_cn, "yesterday");
    }
}
