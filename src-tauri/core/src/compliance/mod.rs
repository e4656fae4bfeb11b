//! Calling responsibly: who must never be called (the do-not-call list), how often one
//! number may be called across all campaigns and robots, and when (calling hours in China
//! time). Both front ends screen every review and every send through here.
//!
//! The numbers are the contacts' normalised numbers (`sheet::phone::normalize`), so
//! `+86 138-0013-8000` on the list stops `13800138000` in a sheet.

pub mod dnc;
pub mod hours;
pub mod rules;
pub mod screen;

/// A normalised number as one integer: its digits and, in the low four bits, how many there
/// are (a landline's leading 0 survives). The same key the contact list sorts duplicates by.
pub fn number_key(digits: &str) -> Option<u64> {
    if digits.is_empty() || digits.len() > 15 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let n: u64 = digits.parse().ok()?;
    Some(n * 16 + digits.len() as u64)
}

/// The digits a [`number_key`] was made from.
pub fn number_of_key(key: u64) -> String {
    let digits = (key % 16) as usize;
    format!("{:0digits$}", key / 16)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn keys_keep_leading_zeros_and_round_trip() {
        for n in ["13800138000", "01012345678", "0755123456", "1"] {
            let key = number_key(n).expect(n);
            assert_eq!(number_of_key(key), n);
        }
        assert_ne!(number_key("01012345678"), number_key("1012345678"));
        assert_eq!(number_key(""), None);
        assert_eq!(number_key("138-0013"), None);
        assert!(i64::try_from(number_key("999999999999999").expect("15 digits")).is_ok());
    }
}
