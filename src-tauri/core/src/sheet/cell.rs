//! Cells to text without losing digits. Excel keeps every number as a 64-bit float, so a
//! phone number typed without a text format arrives as `13800138000.0`; a CSV saved by Excel
//! may even hold `1.38001E+10`, where digits are already gone.

use std::borrow::Cow;

use super::grid::CellRef;
use super::reason::Reason;

/// Largest integer a 64-bit float holds exactly (2^53).
const EXACT_FLOAT_LIMIT: f64 = 9_007_199_254_740_992.0;

/// Removes surrounding whitespace and Excel's "store as text" apostrophe.
pub fn clean_text(text: &str) -> &str {
    let t = text.trim();
    let t = t.strip_prefix('\'').unwrap_or(t);
    t.trim()
}

/// The text of a phone cell, or why it cannot hold a phone number.
pub fn phone_text(cell: CellRef<'_>) -> Result<Cow<'_, str>, Reason> {
    match cell {
        CellRef::Empty => Err(Reason::Empty),
        CellRef::Text(t) => text_number(clean_text(t)),
        CellRef::Number(f) => float_digits(f).map(Cow::Owned).ok_or(Reason::InexactNumber),
        CellRef::Int(i) => Ok(Cow::Owned(i.to_string())),
        CellRef::Bool(_) => Err(Reason::BadCharacters),
        CellRef::Date(_) => Err(Reason::DateCell),
        CellRef::Error(_) => Err(Reason::CellError),
    }
}

/// Integer-valued floats as plain digits; `None` for fractions, negatives, NaN or values
/// beyond 2^53 (their digits are not all stored).
pub fn float_digits(f: f64) -> Option<String> {
    if f.is_finite() && f >= 0.0 && f.fract() == 0.0 && f < EXACT_FLOAT_LIMIT {
        Some(format!("{}", f as u64))
    } else {
        None
    }
}

/// Text phone values that are really numbers written by a program: `13800138000.0` (pandas)
/// is fine; `1.38001E+10` (Excel's CSV export of a General cell) has lost digits unless the
/// mantissa still carries at least 11 significant digits.
fn text_number(t: &str) -> Result<Cow<'_, str>, Reason> {
    if let Some((int, frac)) = t.split_once('.') {
        if !int.is_empty()
            && int.bytes().all(|b| b.is_ascii_digit())
            && !frac.is_empty()
            && frac.bytes().all(|b| b == b'0')
        {
            return Ok(Cow::Borrowed(int));
        }
    }
    let lower_e = t.find(['e', 'E']);
    if let Some(pos) = lower_e {
        let (mantissa, exp) = (&t[..pos], &t[pos + 1..]);
        let exp = exp.strip_prefix('+').unwrap_or(exp);
        let mantissa_ok = !mantissa.is_empty()
            && mantissa.bytes().all(|b| b.is_ascii_digit() || b == b'.')
            && mantissa.bytes().filter(|b| *b == b'.').count() <= 1;
        if mantissa_ok && !exp.is_empty() && exp.bytes().all(|b| b.is_ascii_digit()) {
            let significant = mantissa
                .bytes()
                .filter(u8::is_ascii_digit)
                .skip_while(|b| *b == b'0')
                .count();
            if significant < 11 {
                return Err(Reason::ScientificNotation);
            }
            let value: f64 = t.parse().map_err(|_| Reason::ScientificNotation)?;
            return float_digits(value)
                .map(Cow::Owned)
                .ok_or(Reason::ScientificNotation);
        }
    }
    Ok(Cow::Borrowed(t))
}

/// The text of a template-variable cell as Excel would display it, or the problem.
pub fn variable_text(cell: CellRef<'_>) -> Result<Cow<'_, str>, Reason> {
    match cell {
        CellRef::Empty => Ok(Cow::Borrowed("")),
        CellRef::Text(t) => Ok(Cow::Borrowed(clean_text(t))),
        CellRef::Number(f) => Ok(Cow::Owned(display_float(f))),
        CellRef::Int(i) => Ok(Cow::Owned(i.to_string())),
        CellRef::Bool(b) => Ok(Cow::Borrowed(if b { "TRUE" } else { "FALSE" })),
        CellRef::Date(t) => Ok(Cow::Borrowed(t)),
        CellRef::Error(_) => Err(Reason::VariableCellError),
    }
}

/// Any cell as display text (header names, previews, exports). Errors show as Excel shows them.
pub fn display_text(cell: CellRef<'_>) -> Cow<'_, str> {
    match cell {
        CellRef::Error(e) => Cow::Borrowed(e),
        CellRef::Text(t) => Cow::Borrowed(t.trim()),
        other => variable_text(other).unwrap_or(Cow::Borrowed("")),
    }
}

/// A float with at most 15 significant digits (what Excel shows), no exponent, no `.0`.
pub fn display_float(f: f64) -> String {
    if let Some(d) = float_digits(f.abs()) {
        return if f < 0.0 { format!("-{d}") } else { d };
    }
    if !f.is_finite() {
        return f.to_string();
    }
    let magnitude = f.abs().log10().floor() as i32;
    let decimals = (14 - magnitude).clamp(0, 30) as usize;
    let s = format!("{f:.decimals$}");
    if s.contains('.') {
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        s
    }
}

/// True for characters that break a TtsParam value: C0/C1 controls (line breaks, tabs),
/// except none are allowed.
pub fn has_control_chars(s: &str) -> bool {
    s.chars().any(char::is_control)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn floats_keep_every_digit_or_are_rejected() {
        assert_eq!(
            phone_text(CellRef::Number(13800138000.0)).unwrap(),
            "13800138000"
        );
        assert_eq!(
            phone_text(CellRef::Number(1.3800138e10)).unwrap(),
            "13800138000"
        );
        assert_eq!(
            phone_text(CellRef::Number(138001380.5)).unwrap_err(),
            Reason::InexactNumber
        );
        assert_eq!(
            phone_text(CellRef::Number(1e20)).unwrap_err(),
            Reason::InexactNumber
        );
        assert_eq!(
            phone_text(CellRef::Int(13800138000)).unwrap(),
            "13800138000"
        );
    }

    #[test]
    fn text_cells_lose_apostrophes_and_program_artifacts() {
        assert_eq!(
            phone_text(CellRef::Text(" '13800138000 ")).unwrap(),
            "13800138000"
        );
        assert_eq!(
            phone_text(CellRef::Text("13800138000.0")).unwrap(),
            "13800138000"
        );
        assert_eq!(
            phone_text(CellRef::Text("1.38001E+10")).unwrap_err(),
            Reason::ScientificNotation
        );
        assert_eq!(
            phone_text(CellRef::Text("1.3800138000E+10")).unwrap(),
            "13800138000"
        );
        assert_eq!(
            phone_text(CellRef::Date("2024-01-01")).unwrap_err(),
            Reason::DateCell
        );
        assert_eq!(
            phone_text(CellRef::Error("#N/A")).unwrap_err(),
            Reason::CellError
        );
        assert_eq!(phone_text(CellRef::Empty).unwrap_err(), Reason::Empty);
    }

    proptest::proptest! {
        #[test]
        fn exact_floats_print_every_digit(n in 0u64..(1u64 << 53)) {
            proptest::prop_assert_eq!(float_digits(n as f64), Some(n.to_string()));
        }

        #[test]
        fn phone_text_never_panics(s in "\\PC{0,30}", f in proptest::num::f64::ANY) {
            let _ = phone_text(CellRef::Text(&s));
            let _ = phone_text(CellRef::Number(f));
            let _ = display_float(f);
        }
    }

    #[test]
    fn variable_values_display_like_excel() {
        assert_eq!(display_float(0.1 + 0.2), "0.3");
        assert_eq!(display_float(2.5), "2.5");
        assert_eq!(display_float(-3.0), "-3");
        assert_eq!(display_float(1234567.0), "1234567");
        assert_eq!(variable_text(CellRef::Text(" 张三 ")).unwrap(), "张三");
        assert_eq!(
            variable_text(CellRef::Error("#REF!")).unwrap_err(),
            Reason::VariableCellError
        );
        assert!(has_control_chars("a\nb"));
        assert!(!has_control_chars("张三 先生"));
    }
}
