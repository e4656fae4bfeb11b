//! Calling hours in China time: on which weekdays and between which times robot calls may
//! start. Alibaba refuses robot calls outside its own periods (`isv.VOICE_ROBOT_NOT_PERIOD`)
//! and the 2018 campaign against nuisance calls asks callers to keep hours reasonable; the
//! marketer sets the hours once and every send, schedule and resume obeys them.
//!
//! ```
//! use smartdial_core::china_time::parse_schedule;
//! use smartdial_core::compliance::hours::CallingHours;
//!
//! let hours = CallingHours::default(); // every day, 09:00–12:00 and 14:00–21:00
//! let lunch = parse_schedule("2026-12-07 12:30").unwrap();
//! assert!(!hours.is_open(lunch));
//! assert_eq!(hours.next_open(lunch), Some(parse_schedule("2026-12-07 14:00").unwrap()));
//! ```

use std::fmt;

use chrono::{DateTime, Datelike, Duration, NaiveDate, NaiveTime, TimeZone, Utc};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::china_time::ZONE;

const MINUTES_PER_DAY: u16 = 24 * 60;
const MS_PER_MINUTE: i64 = 60_000;

/// One daily range, in minutes after China midnight: `start < end <= 24:00`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct TimeRange {
    start: u16,
    end: u16,
}

impl TimeRange {
    /// `start` and `end` in minutes after midnight; `None` unless `start < end <= 1440`.
    pub fn new(start: u16, end: u16) -> Option<TimeRange> {
        (start < end && end <= MINUTES_PER_DAY).then_some(TimeRange { start, end })
    }

    pub fn start_minute(self) -> u16 {
        self.start
    }

    pub fn end_minute(self) -> u16 {
        self.end
    }
}

impl fmt::Display for TimeRange {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let hm = |m: u16| format!("{:02}:{:02}", m / 60, m % 60);
        write!(f, "{}-{}", hm(self.start), hm(self.end))
    }
}

/// Why a calling-hours text could not be read; the text says what was wrong.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct HoursParseError(pub String);

/// Weekdays (Monday = 1) and daily ranges in China time.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallingHours {
    /// Index 0 is Monday.
    days: [bool; 7],
    /// Sorted, not overlapping, not touching.
    ranges: Vec<TimeRange>,
}

impl Default for CallingHours {
    /// Every day, 09:00–12:00 and 14:00–21:00.
    fn default() -> Self {
        CallingHours {
            days: [true; 7],
            ranges: vec![
                TimeRange {
                    start: 9 * 60,
                    end: 12 * 60,
                },
                TimeRange {
                    start: 14 * 60,
                    end: 21 * 60,
                },
            ],
        }
    }
}

impl CallingHours {
    /// Hours from weekday numbers (Monday = 1 … Sunday = 7) and ranges; overlapping or
    /// touching ranges are joined. Needs at least one day and one range.
    pub fn new(days: &[u8], ranges: &[TimeRange]) -> Result<CallingHours, HoursParseError> {
        let mut set = [false; 7];
        for &d in days {
            if !(1..=7).contains(&d) {
                return Err(HoursParseError(format!("weekday {d}")));
            }
            set[usize::from(d - 1)] = true;
        }
        if !set.iter().any(|&d| d) {
            return Err(HoursParseError("no weekday".into()));
        }
        let mut sorted = ranges.to_vec();
        sorted.sort();
        let mut joined: Vec<TimeRange> = Vec::with_capacity(sorted.len());
        for r in sorted {
            match joined.last_mut() {
                Some(last) if r.start <= last.end => last.end = last.end.max(r.end),
                _ => joined.push(r),
            }
        }
        if joined.is_empty() {
            return Err(HoursParseError("no time range".into()));
        }
        Ok(CallingHours {
            days: set,
            ranges: joined,
        })
    }

    /// The weekdays, Monday = 1.
    pub fn days(&self) -> Vec<u8> {
        (1..=7u8)
            .filter(|d| self.days[usize::from(d - 1)])
            .collect()
    }

    pub fn ranges(&self) -> &[TimeRange] {
        &self.ranges
    }

    /// True when calls may start at `ms`.
    pub fn is_open(&self, ms: i64) -> bool {
        self.window_at(ms).is_some()
    }

    /// The open stretch that holds `ms` (start inclusive, end exclusive), joined across
    /// midnight when one day's last range ends at 24:00 and the next day's starts at 00:00.
    pub fn window_at(&self, ms: i64) -> Option<(i64, i64)> {
        let (day, minute) = china_day_minute(ms)?;
        let range = self
            .day_ranges(day)
            .find(|r| r.start <= minute && minute < r.end)?;
        let start = self.extend_back(day, *range);
        let end = self.extend_forward(day, *range);
        Some((start, end))
    }

    /// The first instant at or after `ms` when calls may start (`ms` itself when open).
    pub fn next_open(&self, ms: i64) -> Option<i64> {
        if self.is_open(ms) {
            return Some(ms);
        }
        let (day, minute) = china_day_minute(ms)?;
        // Eight days reach the same weekday again: a valid CallingHours always opens.
        for offset in 0..8 {
            let d = day + Duration::days(offset);
            if let Some(r) = self.day_ranges(d).find(|r| offset > 0 || r.start > minute) {
                return china_ms(d, r.start);
            }
        }
        None
    }

    /// When a new batch may be submitted at `now`: now, if the window is open and stays
    /// open for more than `margin_ms`; otherwise the start of the next window that does.
    pub fn submit_from(&self, now: i64, margin_ms: i64) -> Option<i64> {
        let mut at = now;
        // Each step jumps past one window: a week holds at most 7 × ranges of them.
        for _ in 0..(7 * self.ranges.len() + 2) {
            let start = self.next_open(at)?;
            let (_, end) = self.window_at(start)?;
            if end - start > margin_ms {
                return Some(start);
            }
            at = end;
        }
        None
    }

    fn day_ranges(&self, day: NaiveDate) -> impl Iterator<Item = &TimeRange> {
        let open = self.days[day.weekday().num_days_from_monday() as usize];
        self.ranges.iter().filter(move |_| open)
    }

    fn extend_back(&self, mut day: NaiveDate, mut range: TimeRange) -> i64 {
        for _ in 0..7 {
            if range.start != 0 {
                break;
            }
            let prev = day - Duration::days(1);
            match self.day_ranges(prev).last() {
                Some(r) if r.end == MINUTES_PER_DAY => {
                    day = prev;
                    range = *r;
                }
                _ => break,
            }
        }
        china_ms(day, range.start).unwrap_or(i64::MIN)
    }

    fn extend_forward(&self, mut day: NaiveDate, mut range: TimeRange) -> i64 {
        for _ in 0..7 {
            if range.end != MINUTES_PER_DAY {
                break;
            }
            let next = day + Duration::days(1);
            match self.day_ranges(next).next() {
                Some(r) if r.start == 0 => {
                    day = next;
                    range = *r;
                }
                _ => break,
            }
        }
        china_ms(day, range.end).unwrap_or(i64::MAX)
    }

    /// `09:00-12:00,14:00-21:00`.
    pub fn ranges_text(&self) -> String {
        join(self.ranges.iter().map(|r| r.to_string()))
    }

    /// `1-7`, `1-5`, `1-5,7`.
    pub fn days_text(&self) -> String {
        let days = self.days();
        let mut parts = Vec::new();
        let mut i = 0;
        while i < days.len() {
            let mut j = i;
            while j + 1 < days.len() && days[j + 1] == days[j] + 1 {
                j += 1;
            }
            parts.push(if j > i {
                format!("{}-{}", days[i], days[j])
            } else {
                days[i].to_string()
            });
            i = j + 1;
        }
        join(parts.into_iter())
    }
}

fn join(parts: impl Iterator<Item = String>) -> String {
    parts.collect::<Vec<_>>().join(",")
}

/// Reads `09:00-12:00,14:00-21:00` (`00:00-24:00` is all day; `，`, `、`, `;` and the dashes
/// `–`, `—`, `~`, `～`, `至` also work, and full-width digits and colons).
pub fn parse_ranges(text: &str) -> Result<Vec<TimeRange>, HoursParseError> {
    let text = ascii_fold(text);
    let mut out = Vec::new();
    for part in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let (a, b) = part
            .split_once(['-', '~'])
            .ok_or_else(|| HoursParseError(part.to_owned()))?;
        let start = parse_clock(a.trim()).ok_or_else(|| HoursParseError(part.to_owned()))?;
        let end = parse_clock(b.trim()).ok_or_else(|| HoursParseError(part.to_owned()))?;
        out.push(TimeRange::new(start, end).ok_or_else(|| HoursParseError(part.to_owned()))?);
    }
    if out.is_empty() {
        return Err(HoursParseError(text));
    }
    Ok(out)
}

/// Reads `1-7`, `1-5,7`, `1,3,5` (Monday = 1).
pub fn parse_days(text: &str) -> Result<Vec<u8>, HoursParseError> {
    let text = ascii_fold(text);
    let mut out = Vec::new();
    for part in text
        .split([',', ';'])
        .map(str::trim)
        .filter(|p| !p.is_empty())
    {
        let fail = || HoursParseError(part.to_owned());
        let day = |s: &str| s.trim().parse::<u8>().ok().filter(|d| (1..=7).contains(d));
        match part.split_once(['-', '~']) {
            Some((a, b)) => {
                let (a, b) = (day(a).ok_or_else(fail)?, day(b).ok_or_else(fail)?);
                if a > b {
                    return Err(fail());
                }
                out.extend(a..=b);
            }
            None => out.push(day(part).ok_or_else(fail)?),
        }
    }
    if out.is_empty() {
        return Err(HoursParseError(text));
    }
    Ok(out)
}

/// `9:00`, `09:00`, `24:00`; minutes after midnight.
fn parse_clock(text: &str) -> Option<u16> {
    let (h, m) = text.split_once(':')?;
    let digits =
        |s: &str, max: usize| (1..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit());
    if !digits(h, 2) || m.len() != 2 || !digits(m, 2) {
        return None;
    }
    let (h, m): (u16, u16) = (h.parse().ok()?, m.parse().ok()?);
    if m >= 60 || h > 24 || (h == 24 && m != 0) {
        return None;
    }
    Some(h * 60 + m)
}

/// Full-width digits and punctuation a Chinese keyboard types, as ASCII.
fn ascii_fold(text: &str) -> String {
    text.chars()
        .map(|c| match c {
            '\u{FF10}'..='\u{FF19}' => char::from(b'0' + (c as u32 - 0xFF10) as u8),
            '：' => ':',
            '，' | '、' | '；' => ',',
            '–' | '—' | '－' | '至' | '到' => '-',
            '～' => '~',
            _ => c,
        })
        .collect()
}

fn china_day_minute(ms: i64) -> Option<(NaiveDate, u16)> {
    let t = DateTime::<Utc>::from_timestamp_millis(ms)?.with_timezone(&ZONE);
    let minute = t.time().signed_duration_since(NaiveTime::MIN).num_minutes() as u16;
    Some((t.date_naive(), minute))
}

fn china_ms(day: NaiveDate, minute: u16) -> Option<i64> {
    let midnight = day.and_hms_opt(0, 0, 0)?;
    let t = ZONE.from_local_datetime(&midnight).single()?;
    Some(t.timestamp_millis() + i64::from(minute) * MS_PER_MINUTE)
}

/// On the wire (settings file, IPC): `{"days": [1,…,7], "ranges": "09:00-12:00,14:00-21:00"}`.
#[derive(Serialize, Deserialize)]
struct HoursWire {
    days: Vec<u8>,
    ranges: String,
}

impl Serialize for CallingHours {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        HoursWire {
            days: self.days(),
            ranges: self.ranges_text(),
        }
        .serialize(serializer)
    }
}

impl<'de> Deserialize<'de> for CallingHours {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let wire = HoursWire::deserialize(deserializer)?;
        let ranges = parse_ranges(&wire.ranges).map_err(serde::de::Error::custom)?;
        CallingHours::new(&wire.days, &ranges).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
#[path = "hours_tests.rs"]
mod tests;
