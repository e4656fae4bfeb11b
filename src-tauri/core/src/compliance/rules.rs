//! The calling rules a marketer sets once: calling hours, how often one number may be
//! called, and how long before the window closes sending stops. Kept in the settings file
//! (`Settings::calling`); the CLI reads and writes them by key (`smartdial settings`).

use serde::{Deserialize, Serialize};

use super::hours::{parse_days, parse_ranges, CallingHours};
use crate::error_code::ErrorCode;
use crate::text::{echo, Localized, UserError};

/// The most a per-number limit may be loosened to: beyond it a limit protects nobody.
pub const MAX_PER_DAY: u32 = 20;
/// The longest stop margin: half a default morning window.
pub const MAX_STOP_MARGIN_MINUTES: u32 = 180;

/// Who may be called, how often and when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase", default)]
pub struct CallingRules {
    /// China time.
    #[cfg_attr(feature = "ts", ts(type = "{ days: number[]; ranges: string }"))]
    pub hours: CallingHours,
    /// Answered calls per number in 24 hours, across all campaigns and robots (a call whose
    /// outcome is not known yet counts as answered).
    pub max_answered_per_day: u32,
    /// Calls per number in 24 hours, whatever their outcome.
    pub max_attempts_per_day: u32,
    /// No new batch starts this many minutes before the calling window closes.
    pub stop_margin_minutes: u32,
}

impl Default for CallingRules {
    fn default() -> Self {
        CallingRules {
            hours: CallingHours::default(),
            max_answered_per_day: 1,
            max_attempts_per_day: 3,
            stop_margin_minutes: 30,
        }
    }
}

/// The keys `smartdial settings get|set` knows, in the order `settings get` lists them.
pub const KEYS: [&str; 5] = [
    "calling-hours",
    "calling-days",
    "max-answered-per-day",
    "max-attempts-per-day",
    "stop-margin-minutes",
];

impl CallingRules {
    pub fn stop_margin_ms(&self) -> i64 {
        i64::from(self.stop_margin_minutes) * 60_000
    }

    /// A scheduled start must fall in the calling hours, more than the stop margin before
    /// the window closes; otherwise the refusal names the next time that would do.
    pub fn check_schedule(&self, schedule_ms: i64) -> Result<(), UserError> {
        let next = self.hours.submit_from(schedule_ms, self.stop_margin_ms());
        if next == Some(schedule_ms) {
            return Ok(());
        }
        let when = crate::china_time::describe(schedule_ms);
        let hours = self.describe_hours();
        let (zh_next, en_next) = match next {
            Some(ms) => {
                let n = crate::china_time::describe(ms);
                (
                    format!("最近可以开始的时间是 {}，请改到这个时间或之后", n.zh_cn),
                    format!(
                        "The next allowed start is {}; schedule it then or later",
                        n.en
                    ),
                )
            }
            None => (
                String::from("请检查可呼叫时段"),
                String::from("Check the calling hours"),
            ),
        };
        Err(UserError::new(
            ErrorCode::CampaignOutsideCallingHours,
            Localized::new(
                format!("定时 {} 不在可呼叫时段内（{}）。", when.zh_cn, hours.zh_cn),
                format!(
                    "The schedule {} is outside the calling hours ({}).",
                    when.en, hours.en
                ),
            ),
            Localized::new(
                format!("{zh_next}；也可以在设置里修改可呼叫时段。"),
                format!("{en_next}, or change the calling hours in the settings."),
            ),
        ))
    }

    /// The hours in words: `每天 09:00-12:00、14:00-21:00（北京时间）`.
    pub fn describe_hours(&self) -> Localized {
        const ZH: [&str; 7] = ["周一", "周二", "周三", "周四", "周五", "周六", "周日"];
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        fn name(d: &str, names: &[&'static str; 7]) -> &'static str {
            d.parse::<usize>()
                .ok()
                .and_then(|d| names.get(d.wrapping_sub(1)))
                .copied()
                .unwrap_or("?")
        }
        let days = self.hours.days();
        let (zh_days, en_days) = if days.len() == 7 {
            ("每天".to_owned(), "every day".to_owned())
        } else {
            let mut zh = Vec::new();
            let mut en = Vec::new();
            for part in self.hours.days_text().split(',') {
                match part.split_once('-') {
                    Some((a, b)) => {
                        zh.push(format!("{}至{}", name(a, &ZH), name(b, &ZH)));
                        en.push(format!("{}–{}", name(a, &EN), name(b, &EN)));
                    }
                    None => {
                        zh.push(name(part, &ZH).to_owned());
                        en.push(name(part, &EN).to_owned());
                    }
                }
            }
            (zh.join("、"), en.join(", "))
        };
        let ranges: Vec<String> = self.hours.ranges().iter().map(|r| r.to_string()).collect();
        Localized::new(
            format!("{zh_days} {}，北京时间", ranges.join("、")),
            format!("{en_days} {}, China time", ranges.join(", ")),
        )
    }

    /// Checks the numbers (the hours are checked when they are read).
    pub fn validate(&self) -> Result<(), UserError> {
        limit("max-answered-per-day", self.max_answered_per_day)?;
        limit("max-attempts-per-day", self.max_attempts_per_day)?;
        if self.stop_margin_minutes > MAX_STOP_MARGIN_MINUTES {
            return Err(bad_value(
                "stop-margin-minutes",
                &self.stop_margin_minutes.to_string(),
                Localized::new(
                    format!("填 0 到 {MAX_STOP_MARGIN_MINUTES} 之间的分钟数，例如 30。"),
                    format!("Use 0 to {MAX_STOP_MARGIN_MINUTES} minutes, e.g. 30."),
                ),
            ));
        }
        Ok(())
    }

    /// The value of `key` as `settings get` prints it.
    pub fn get(&self, key: &str) -> Result<String, UserError> {
        Ok(match key {
            "calling-hours" => self.hours.ranges_text(),
            "calling-days" => self.hours.days_text(),
            "max-answered-per-day" => self.max_answered_per_day.to_string(),
            "max-attempts-per-day" => self.max_attempts_per_day.to_string(),
            "stop-margin-minutes" => self.stop_margin_minutes.to_string(),
            _ => return Err(unknown_key(key)),
        })
    }

    /// Sets `key` from text as a marketer types it; the rules are unchanged on error.
    pub fn set(&mut self, key: &str, value: &str) -> Result<(), UserError> {
        let mut next = self.clone();
        let number = |hint: Localized| {
            value
                .trim()
                .parse::<u32>()
                .map_err(|_| bad_value(key, value, hint))
        };
        match key {
            "calling-hours" => {
                let ranges =
                    parse_ranges(value).map_err(|_| bad_value(key, value, hours_hint()))?;
                next.hours = CallingHours::new(&next.hours.days(), &ranges)
                    .map_err(|_| bad_value(key, value, hours_hint()))?;
            }
            "calling-days" => {
                let days = parse_days(value).map_err(|_| bad_value(key, value, days_hint()))?;
                next.hours = CallingHours::new(&days, next.hours.ranges())
                    .map_err(|_| bad_value(key, value, days_hint()))?;
            }
            "max-answered-per-day" => next.max_answered_per_day = number(limit_hint())?,
            "max-attempts-per-day" => next.max_attempts_per_day = number(limit_hint())?,
            "stop-margin-minutes" => {
                next.stop_margin_minutes = number(Localized::new(
                    "填分钟数，例如 30。",
                    "Give a number of minutes, e.g. 30.",
                ))?
            }
            _ => return Err(unknown_key(key)),
        }
        next.validate()?;
        *self = next;
        Ok(())
    }
}

fn limit(key: &str, value: u32) -> Result<(), UserError> {
    if (1..=MAX_PER_DAY).contains(&value) {
        Ok(())
    } else {
        Err(bad_value(key, &value.to_string(), limit_hint()))
    }
}

fn hours_hint() -> Localized {
    Localized::new(
        "请写成北京时间的时段，用逗号分开，例如 09:00-12:00,14:00-21:00；全天写 00:00-24:00。",
        "Write China-time ranges separated by commas, e.g. 09:00-12:00,14:00-21:00; 00:00-24:00 means all day.",
    )
}

fn days_hint() -> Localized {
    Localized::new(
        "请用数字写星期几（星期一是 1，星期日是 7），例如 1-7 或 1-5。",
        "Write weekdays as numbers (Monday = 1, Sunday = 7), e.g. 1-7 or 1-5.",
    )
}

fn limit_hint() -> Localized {
    Localized::new(
        format!("填 1 到 {MAX_PER_DAY} 之间的整数。默认：接通 1 次、拨打 3 次。"),
        format!("Use a whole number from 1 to {MAX_PER_DAY}. Defaults: 1 answered, 3 attempts."),
    )
}

fn bad_value(key: &str, value: &str, hint: Localized) -> UserError {
    UserError::new(
        ErrorCode::SettingsBadValue,
        Localized::new(
            format!("“{}”不是 {key} 能用的值。", echo(value)),
            format!("\"{}\" is not a valid value for {key}.", echo(value)),
        ),
        hint,
    )
}

fn unknown_key(key: &str) -> UserError {
    UserError::new(
        ErrorCode::SettingsUnknownKey,
        Localized::new(
            format!("没有叫“{}”的设置。", echo(key)),
            format!("There is no setting called \"{}\".", echo(key)),
        ),
        Localized::new(
            format!("可以设置的有：{}。", KEYS.join("、")),
            format!("Settings you can change: {}.", KEYS.join(", ")),
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_are_the_documented_ones() {
        let r = CallingRules::default();
        assert_eq!(
            r.get("calling-hours").expect("get"),
            "09:00-12:00,14:00-21:00"
        );
        assert_eq!(r.get("calling-days").expect("get"), "1-7");
        assert_eq!(r.get("max-answered-per-day").expect("get"), "1");
        assert_eq!(r.get("max-attempts-per-day").expect("get"), "3");
        assert_eq!(r.get("stop-margin-minutes").expect("get"), "30");
        assert!(r.validate().is_ok());
    }

    #[test]
    fn a_schedule_outside_the_hours_is_refused_with_the_next_allowed_time() {
        let at = |t: &str| crate::china_time::parse_schedule(t).expect("time");
        let r = CallingRules::default();
        assert!(r.check_schedule(at("2026-12-07 10:00")).is_ok());
        let err = r.check_schedule(at("2026-12-07 03:00")).expect_err("night");
        assert_eq!(err.code, ErrorCode::CampaignOutsideCallingHours);
        assert!(
            err.hint.zh_cn.contains("2026-12-07 09:00"),
            "{}",
            err.hint.zh_cn
        );
        assert!(
            err.message.zh_cn.contains("每天 09:00-12:00、14:00-21:00"),
            "{}",
            err.message.zh_cn
        );
        let late = r
            .check_schedule(at("2026-12-07 20:45"))
            .expect_err("within the margin");
        assert!(
            late.hint.en.contains("2026-12-08 09:00"),
            "{}",
            late.hint.en
        );
        let mut weekdays = CallingRules::default();
        weekdays.set("calling-days", "1-5,7").expect("days");
        assert_eq!(
            weekdays.describe_hours().zh_cn,
            "周一至周五、周日 09:00-12:00、14:00-21:00，北京时间"
        );
    }

    #[test]
    fn every_key_round_trips_through_its_text() {
        let mut r = CallingRules::default();
        for (key, value) in [
            ("calling-hours", "08:00-20:00"),
            ("calling-days", "1-5"),
            ("max-answered-per-day", "2"),
            ("max-attempts-per-day", "5"),
            ("stop-margin-minutes", "0"),
        ] {
            r.set(key, value).expect(key);
            assert_eq!(r.get(key).expect(key), value);
        }
        assert_eq!(r.hours.days(), vec![1, 2, 3, 4, 5], "hours kept the days");
    }

    #[test]
    fn bad_values_say_what_to_write_and_change_nothing() {
        let mut r = CallingRules::default();
        for (key, value) in [
            ("calling-hours", "9-12"),
            ("calling-days", "8"),
            ("max-answered-per-day", "0"),
            ("max-attempts-per-day", "many"),
            ("stop-margin-minutes", "999"),
        ] {
            let err = r.set(key, value).expect_err(key);
            assert_eq!(err.code, ErrorCode::SettingsBadValue, "{key}");
            assert!(!err.hint.zh_cn.is_empty());
        }
        assert_eq!(r, CallingRules::default());
        assert_eq!(
            r.set("hours", "1").expect_err("unknown").code,
            ErrorCode::SettingsUnknownKey
        );
    }
}
