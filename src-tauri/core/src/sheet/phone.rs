//! Mainland China phone numbers as dyvms takes them (`docs/api/dyvms.md` §6):
//! mobiles `1[3-9]` + 9 digits, landlines `0` + area code + local number, an optional
//! `+86`/`0086`/`86` prefix; anything else with `+`/`00` is international and rejected.
//!
//! ```
//! use smartdial_core::sheet::phone::{normalize, PhoneRules};
//!
//! let n = normalize("+86 138-0013-8000", &PhoneRules::default()).unwrap();
//! assert_eq!(n.number, "13800138000");
//! // Idempotent: the result normalises to itself with nothing left to fix.
//! assert_eq!(normalize(&n.number, &PhoneRules::default()).unwrap().number, n.number);
//! ```

use serde::{Deserialize, Serialize};

use super::reason::Reason;

/// The settings that change which numbers are accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct PhoneRules {
    /// Reject landlines. The dyvms docs disagree on whether BatchRobotSmartCall calls
    /// landlines (zh: mainland numbers; SDK: mainland mobiles only), so this is a setting.
    pub mobile_only: bool,
}

/// Mobile or landline.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum PhoneKind {
    Mobile,
    Landline,
}

/// A number in its canonical form: ASCII digits only, no country code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Normalized {
    pub number: String,
    pub kind: PhoneKind,
    /// `Ok`, `Cleaned`, `CountryCodeRemoved` or `Landline` (a warning).
    pub reason: Reason,
}

fn is_separator(c: char) -> bool {
    matches!(
        c,
        ' ' | '\t'
            | '\u{00A0}'
            | '\u{3000}'
            | '\u{2002}'..='\u{200B}'
            | '\u{FEFF}'
            | '-'
            | '\u{FF0D}'
            | '\u{2010}'..='\u{2015}'
            | '\u{2212}'
            | '.'
            | '\u{FF0E}'
            | '\u{3002}'
            | '('
            | ')'
            | '\u{FF08}'
            | '\u{FF09}'
            | '['
            | ']'
    )
}

fn is_mobile(d: &[u8]) -> bool {
    d.len() == 11 && d[0] == b'1' && (b'3'..=b'9').contains(&d[1])
}

/// `0` + area code (2–3 digits, not starting with 0) + local number (7–8 digits).
fn is_landline(d: &[u8]) -> bool {
    (10..=12).contains(&d.len()) && d[0] == b'0' && d[1] != b'0'
}

/// Cleans and checks one number. Never panics; `normalize(normalize(x).number)` gives the
/// same number back with reason `Ok` (or `Landline`).
pub fn normalize(input: &str, rules: &PhoneRules) -> Result<Normalized, Reason> {
    let mut digits: Vec<u8> = Vec::with_capacity(16);
    let mut plus = false;
    let mut cleaned = false;
    let trimmed = input.trim();
    if trimmed.is_empty() {
        return Err(Reason::Empty);
    }
    for c in trimmed.chars() {
        match c {
            '0'..='9' => digits.push(c as u8),
            '\u{FF10}'..='\u{FF19}' => {
                digits.push(b'0' + (c as u32 - 0xFF10) as u8);
                cleaned = true;
            }
            '+' | '\u{FF0B}' if digits.is_empty() && !plus => {
                plus = true;
                if c != '+' {
                    cleaned = true;
                }
            }
            c if is_separator(c) => cleaned = true,
            _ => return Err(Reason::BadCharacters),
        }
        if digits.len() > 32 {
            return Err(Reason::TooLong);
        }
    }
    if digits.is_empty() {
        return Err(Reason::BadCharacters);
    }
    let mut country_code = false;
    let mut rest: &[u8] = &digits;
    if plus {
        match rest.strip_prefix(b"86") {
            Some(r) => {
                rest = r;
                country_code = true;
            }
            None => return Err(Reason::International),
        }
    } else if rest.starts_with(b"00") {
        match rest.strip_prefix(b"0086") {
            Some(r) => {
                rest = r;
                country_code = true;
            }
            None => return Err(Reason::International),
        }
    } else if rest.len() == 13 && rest.starts_with(b"86") && is_mobile(&rest[2..]) {
        rest = &rest[2..];
        country_code = true;
    }
    let (number, kind) = if is_mobile(rest) {
        (rest.to_vec(), PhoneKind::Mobile)
    } else if is_landline(rest) {
        (rest.to_vec(), PhoneKind::Landline)
    } else if country_code && !rest.is_empty() && rest[0] != b'0' && {
        // After +86 a landline drops its trunk 0: +86 10 8888 1234 is 010 8888 1234.
        let mut with_zero = Vec::with_capacity(rest.len() + 1);
        with_zero.push(b'0');
        with_zero.extend_from_slice(rest);
        is_landline(&with_zero)
    } {
        let mut with_zero = vec![b'0'];
        with_zero.extend_from_slice(rest);
        (with_zero, PhoneKind::Landline)
    } else {
        return Err(length_reason(rest));
    };
    if kind == PhoneKind::Landline && rules.mobile_only {
        return Err(Reason::LandlineNotAllowed);
    }
    let reason = if kind == PhoneKind::Landline {
        Reason::Landline
    } else if country_code {
        Reason::CountryCodeRemoved
    } else if cleaned {
        Reason::Cleaned
    } else {
        Reason::Ok
    };
    // Only ASCII digits were pushed, so this cannot fail.
    let number = String::from_utf8(number).unwrap_or_default();
    Ok(Normalized {
        number,
        kind,
        reason,
    })
}

fn length_reason(d: &[u8]) -> Reason {
    let first = d.first().copied();
    if first == Some(b'1') {
        match d.len() {
            0..=10 => Reason::TooShort,
            11 => Reason::UnknownFormat,
            _ => Reason::TooLong,
        }
    } else if d.len() < 10 {
        Reason::TooShort
    } else if d.len() > 12 {
        Reason::TooLong
    } else {
        Reason::UnknownFormat
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn ok(s: &str) -> (String, Reason) {
        let n = normalize(s, &PhoneRules::default()).unwrap();
        (n.number, n.reason)
    }

    fn err(s: &str) -> Reason {
        normalize(s, &PhoneRules::default()).unwrap_err()
    }

    #[test]
    fn mobiles_in_every_usual_spelling() {
        assert_eq!(ok("13800138000"), ("13800138000".into(), Reason::Ok));
        assert_eq!(
            ok(" 138 0013 8000 "),
            ("13800138000".into(), Reason::Cleaned)
        );
        assert_eq!(ok("138-0013-8000"), ("13800138000".into(), Reason::Cleaned));
        assert_eq!(
            ok("(138)0013.8000"),
            ("13800138000".into(), Reason::Cleaned)
        );
        assert_eq!(
            ok("１３８００１３８０００"),
            ("13800138000".into(), Reason::Cleaned)
        );
        for s in [
            "+8613800138000",
            "+86 138 0013 8000",
            "008613800138000",
            "8613800138000",
            "＋86 13800138000",
        ] {
            assert_eq!(
                ok(s),
                ("13800138000".into(), Reason::CountryCodeRemoved),
                "{s}"
            );
        }
    }

    #[test]
    fn landlines_are_accepted_with_a_warning_unless_mobile_only() {
        assert_eq!(
            ok("010-8888 1234"),
            ("01088881234".into(), Reason::Landline)
        );
        assert_eq!(
            ok("0755-12345678"),
            ("075512345678".into(), Reason::Landline)
        );
        assert_eq!(
            ok("+86 10 8888 1234"),
            ("01088881234".into(), Reason::Landline)
        );
        assert_eq!(
            ok("0086 0571 8888 1234"),
            ("057188881234".into(), Reason::Landline)
        );
        let rules = PhoneRules { mobile_only: true };
        assert_eq!(
            normalize("01088881234", &rules).unwrap_err(),
            Reason::LandlineNotAllowed
        );
        assert!(normalize("13800138000", &rules).is_ok());
    }

    #[test]
    fn rejections_have_specific_reasons() {
        assert_eq!(err(""), Reason::Empty);
        assert_eq!(err("   "), Reason::Empty);
        assert_eq!(err("abc"), Reason::BadCharacters);
        assert_eq!(err("138001380O0"), Reason::BadCharacters);
        assert_eq!(err("+1 415 555 0100"), Reason::International);
        assert_eq!(err("0013912345678"), Reason::International);
        assert_eq!(err("1380013800"), Reason::TooShort);
        assert_eq!(err("138001380001"), Reason::TooLong);
        assert_eq!(err("12800138000"), Reason::UnknownFormat);
        assert_eq!(err("95588"), Reason::TooShort);
        assert_eq!(err("1+3800138000"), Reason::BadCharacters);
        assert_eq!(err("-"), Reason::BadCharacters);
    }

    proptest! {
        #[test]
        fn never_panics_and_is_idempotent(s in "\\PC{0,40}") {
            for rules in [PhoneRules::default(), PhoneRules { mobile_only: true }] {
                if let Ok(n) = normalize(&s, &rules) {
                    let again = normalize(&n.number, &rules).unwrap();
                    prop_assert_eq!(&again.number, &n.number);
                    prop_assert!(matches!(again.reason, Reason::Ok | Reason::Landline));
                    prop_assert_eq!(again.kind, n.kind);
                }
            }
        }

        #[test]
        fn phone_like_inputs_are_idempotent(s in "[+＋]?(00|86)?[0-9０-９ ()\\-.]{0,16}") {
            if let Ok(n) = normalize(&s, &PhoneRules::default()) {
                prop_assert_eq!(normalize(&n.number, &PhoneRules::default()).unwrap().number, n.number);
            }
        }
    }
}
