use super::*;
use crate::china_time::{format, parse_schedule};

fn at(text: &str) -> i64 {
    parse_schedule(text).expect("test time")
}

fn hours(days: &str, ranges: &str) -> CallingHours {
    CallingHours::new(
        &parse_days(days).expect("days"),
        &parse_ranges(ranges).expect("ranges"),
    )
    .expect("hours")
}

const HALF_HOUR: i64 = 30 * 60_000;

#[test]
fn the_default_is_every_day_morning_and_afternoon() {
    let h = CallingHours::default();
    assert_eq!(h.days_text(), "1-7");
    assert_eq!(h.ranges_text(), "09:00-12:00,14:00-21:00");
    assert!(h.is_open(at("2026-12-07 09:00")));
    assert!(h.is_open(at("2026-12-07 11:59")));
    assert!(!h.is_open(at("2026-12-07 12:00")), "the end is exclusive");
    assert!(!h.is_open(at("2026-12-07 03:00")));
    assert_eq!(
        h.window_at(at("2026-12-07 10:00")),
        Some((at("2026-12-07 09:00"), at("2026-12-07 12:00")))
    );
    assert_eq!(h.window_at(at("2026-12-07 13:00")), None);
}

#[test]
fn the_next_opening_is_later_today_or_on_the_next_allowed_day() {
    let h = CallingHours::default();
    assert_eq!(
        h.next_open(at("2026-12-07 10:00")),
        Some(at("2026-12-07 10:00"))
    );
    assert_eq!(
        h.next_open(at("2026-12-07 12:30")),
        Some(at("2026-12-07 14:00"))
    );
    assert_eq!(
        h.next_open(at("2026-12-07 21:00")),
        Some(at("2026-12-08 09:00"))
    );
    assert_eq!(
        h.next_open(at("2026-12-07 03:00")),
        Some(at("2026-12-07 09:00"))
    );
    // 2026-12-12 is a Saturday.
    let weekdays = hours("1-5", "09:00-18:00");
    assert_eq!(
        weekdays.next_open(at("2026-12-11 18:00")),
        Some(at("2026-12-14 09:00"))
    );
    assert_eq!(
        weekdays.next_open(at("2026-12-12 10:00")),
        Some(at("2026-12-14 09:00"))
    );
}

#[test]
fn times_are_china_time_whatever_offset_they_were_written_in() {
    let h = CallingHours::default();
    // 03:00 in Paris (UTC+1) is 10:00 in Beijing.
    assert!(h.is_open(at("2026-12-07 03:00 +01:00")));
    assert!(
        !h.is_open(at("2026-12-07 14:00 +01:00")),
        "21:00 in Beijing"
    );
}

#[test]
fn a_new_batch_waits_when_the_window_closes_within_the_margin() {
    let h = CallingHours::default();
    assert_eq!(
        h.submit_from(at("2026-12-07 11:00"), HALF_HOUR),
        Some(at("2026-12-07 11:00"))
    );
    assert_eq!(
        h.submit_from(at("2026-12-07 11:45"), HALF_HOUR),
        Some(at("2026-12-07 14:00"))
    );
    assert_eq!(
        h.submit_from(at("2026-12-07 20:31"), HALF_HOUR),
        Some(at("2026-12-08 09:00"))
    );
    // A window shorter than the margin is skipped.
    let short = hours("1-7", "09:00-09:20,14:00-15:00");
    assert_eq!(
        short.submit_from(at("2026-12-07 08:00"), HALF_HOUR),
        Some(at("2026-12-07 14:00"))
    );
}

#[test]
fn windows_join_across_midnight() {
    let night = hours("1-7", "22:00-24:00,00:00-02:00");
    assert_eq!(
        night.window_at(at("2026-12-07 23:00")),
        Some((at("2026-12-07 22:00"), at("2026-12-08 02:00")))
    );
    assert_eq!(
        night.submit_from(at("2026-12-07 23:50"), HALF_HOUR),
        Some(at("2026-12-07 23:50")),
        "midnight is not a closing time"
    );
    let always = hours("1-7", "00:00-24:00");
    assert!(always.is_open(at("2026-12-07 03:00")));
    assert_eq!(
        always.submit_from(at("2026-12-07 23:59"), HALF_HOUR),
        Some(at("2026-12-07 23:59"))
    );
}

#[test]
fn next_open_is_the_first_open_minute_for_any_start() {
    let cases = [
        CallingHours::default(),
        hours("1-5", "09:00-18:00"),
        hours("2,4,6", "08:30-09:00,21:00-24:00"),
        hours("7", "00:00-24:00"),
    ];
    for h in &cases {
        let mut ms = at("2026-12-07 00:07");
        let stop = at("2026-12-21 00:00");
        while ms < stop {
            let next = h.next_open(ms).expect("always opens within a week");
            assert!(h.is_open(next), "{} → {}", format(ms), format(next));
            let mut probe = ms;
            while probe < next {
                assert!(
                    !h.is_open(probe),
                    "{} is open before {}",
                    format(probe),
                    format(next)
                );
                probe += 60_000;
            }
            ms += 97 * 60_000;
        }
    }
}

#[test]
fn text_forms_a_marketer_types_are_read() {
    assert_eq!(
        hours("1-7", "9:00～12:00，14:00至21:00").ranges_text(),
        "09:00-12:00,14:00-21:00"
    );
    assert_eq!(
        hours("1-7", "１４：００-２１：００").ranges_text(),
        "14:00-21:00"
    );
    assert_eq!(
        hours("1-7", "14:00-21:00,09:00-12:00,11:00-12:30").ranges_text(),
        "09:00-12:30,14:00-21:00",
        "sorted and joined"
    );
    assert_eq!(parse_days("1-5,7").expect("days"), vec![1, 2, 3, 4, 5, 7]);
    assert_eq!(hours("1,2,3,5,6", "09:00-10:00").days_text(), "1-3,5-6");
    for bad in [
        "",
        "9-12",
        "25:00-26:00",
        "12:00-09:00",
        "09:00-24:30",
        "9:0-10:00",
        "abc",
    ] {
        assert!(parse_ranges(bad).is_err(), "{bad:?} should be refused");
    }
    for bad in ["", "0", "8", "5-1", "一"] {
        assert!(parse_days(bad).is_err(), "{bad:?} should be refused");
    }
}

#[test]
fn settings_files_hold_the_text_forms() {
    let h = hours("1-5", "09:00-12:00");
    let json = serde_json::to_string(&h).expect("json");
    assert_eq!(json, r#"{"days":[1,2,3,4,5],"ranges":"09:00-12:00"}"#);
    assert_eq!(
        serde_json::from_str::<CallingHours>(&json).expect("back"),
        h
    );
    assert!(serde_json::from_str::<CallingHours>(r#"{"days":[],"ranges":"09:00-12:00"}"#).is_err());
    assert!(serde_json::from_str::<CallingHours>(r#"{"days":[1],"ranges":"nine"}"#).is_err());
}
