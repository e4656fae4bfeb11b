//! A batch's called numbers, held as the `CalledNumber` parameter itself: the digits joined
//! by `,`. A `Vec<String>` cost a heap string per number (about 56 bytes for 11 digits,
//! 50 MB for a million contacts); this is one string per batch.
//!
//! ```
//! use smartdial_core::campaign::numbers::CalledNumbers;
//!
//! let numbers = CalledNumbers::try_from(vec!["13800138000".to_string(), "01088881234".into()])?;
//! assert_eq!(numbers.len(), 2);
//! assert_eq!(numbers.as_param(), "13800138000,01088881234");
//! assert_eq!(numbers.iter().last(), Some("01088881234"));
//! # Ok::<(), smartdial_core::campaign::numbers::NotANumber>(())
//! ```

use serde::{Deserialize, Serialize, Serializer};

/// Numbers in order, each one or more ASCII digits (so `,` can never be part of one).
/// Serialised as a JSON array of strings, as the `Vec<String>` it replaces was.
#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(try_from = "Vec<String>")]
pub struct CalledNumbers {
    joined: String,
    len: usize,
}

/// A value refused by [`CalledNumbers::push`]: empty, or not only ASCII digits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a normalised phone number (ASCII digits only)")]
pub struct NotANumber(pub String);

impl CalledNumbers {
    /// An empty list with room for `bytes` bytes of digits and commas.
    pub fn with_capacity(bytes: usize) -> Self {
        CalledNumbers {
            joined: String::with_capacity(bytes),
            len: 0,
        }
    }

    /// Appends one number.
    pub fn push(&mut self, number: &str) -> Result<(), NotANumber> {
        if number.is_empty() || !number.bytes().all(|b| b.is_ascii_digit()) {
            return Err(NotANumber(number.to_owned()));
        }
        if self.len > 0 {
            self.joined.push(',');
        }
        self.joined.push_str(number);
        self.len += 1;
        Ok(())
    }

    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// The numbers, in order.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        // `split` yields one empty piece for an empty string.
        self.joined.split(',').filter(|n| !n.is_empty())
    }

    /// `CalledNumber` as sent: comma-separated, no spaces.
    pub fn as_param(&self) -> &str {
        &self.joined
    }

    /// Bytes held, to size the next batch's buffer.
    pub fn param_len(&self) -> usize {
        self.joined.len()
    }

    /// Gives back what doubling growth left unused; a plan keeps its batches until sent.
    pub fn shrink_to_fit(&mut self) {
        self.joined.shrink_to_fit();
    }

    /// One `String` per number, for the request and journal types that take a list.
    pub fn to_vec(&self) -> Vec<String> {
        self.iter().map(str::to_owned).collect()
    }
}

impl TryFrom<Vec<String>> for CalledNumbers {
    type Error = NotANumber;
    fn try_from(numbers: Vec<String>) -> Result<Self, NotANumber> {
        let mut out = CalledNumbers::with_capacity(numbers.iter().map(|n| n.len() + 1).sum());
        for n in &numbers {
            out.push(n)?;
        }
        Ok(out)
    }
}

impl Serialize for CalledNumbers {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pushes_iterates_and_joins_like_the_list_it_replaces() {
        let list = vec!["13800138000".to_string(), "0".into(), "01088881234".into()];
        let numbers = CalledNumbers::try_from(list.clone()).unwrap();
        assert_eq!(numbers.len(), 3);
        assert_eq!(numbers.iter().collect::<Vec<_>>(), list);
        assert_eq!(numbers.to_vec(), list);
        assert_eq!(numbers.as_param(), list.join(","));
        let empty = CalledNumbers::default();
        assert!(empty.is_empty());
        assert_eq!(empty.iter().count(), 0);
        assert_eq!(empty.as_param(), "");
    }

    #[test]
    fn only_digits_get_in() {
        let mut numbers = CalledNumbers::default();
        for bad in ["", "138,0013", "138 0013", "+8613800138000", "１３８"] {
            assert_eq!(numbers.push(bad), Err(NotANumber(bad.to_string())));
        }
        assert!(numbers.is_empty());
        assert!(CalledNumbers::try_from(vec!["1".to_string(), "a".into()]).is_err());
    }

    #[test]
    fn serialises_as_a_json_array_and_refuses_bad_ones_on_the_way_back() {
        let numbers = CalledNumbers::try_from(vec!["139".to_string(), "138".into()]).unwrap();
        let json = serde_json::to_string(&numbers).unwrap();
        assert_eq!(json, r#"["139","138"]"#);
        assert_eq!(
            serde_json::from_str::<CalledNumbers>(&json).unwrap(),
            numbers
        );
        assert!(serde_json::from_str::<CalledNumbers>(r#"["139,138"]"#).is_err());
        assert!(serde_json::from_str::<CalledNumbers>(r#"[""]"#).is_err());
    }
}
