//! `TtsParam`, the JSON `[{"number":"…","params":["…",…]},…]` the API takes, and the
//! compact form a plan holds until a request is built: each contact's `params` without what
//! every item repeats (the keys, the braces, and the number, which the batch holds already).
//! At a million contacts the repeated parts were a third of the plan's memory.
//!
//! ```
//! use smartdial_core::campaign::numbers::CalledNumbers;
//! use smartdial_core::campaign::tts::TtsValues;
//!
//! let numbers = CalledNumbers::try_from(vec!["13800138000".to_string()])?;
//! let json = r#"[{"number":"13800138000","params":["张三","是"]}]"#;
//! let values = TtsValues::from_json(json, &numbers).expect("matches the numbers");
//! assert_eq!(values.to_json(&numbers), json);
//! # Ok::<(), smartdial_core::campaign::numbers::NotANumber>(())
//! ```

use serde::Deserialize;

use super::numbers::CalledNumbers;
use crate::aliyun::signature::{percent_encoded_byte_len, percent_encoded_len};

/// A TtsParam item's fixed text around its number and values.
pub(crate) const ITEM_START: &str = "{\"number\":";
pub(crate) const ITEM_PARAMS: &str = ",\"params\":[";
pub(crate) const ITEM_END: &str = "]}";

/// One batch's template values: for each contact, the inside of its `params` array as
/// JSON, one contact per line. JSON strings escape line breaks, so a line is one contact.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TtsValues {
    lines: String,
    len: usize,
}

impl TtsValues {
    pub(crate) fn with_capacity(bytes: usize) -> Self {
        TtsValues {
            lines: String::with_capacity(bytes),
            len: 0,
        }
    }

    /// Contacts held.
    pub fn len(&self) -> usize {
        self.len
    }

    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Bytes held, to size the next batch's buffer.
    pub(crate) fn byte_len(&self) -> usize {
        self.lines.len()
    }

    /// Appends one contact's values. Returns the percent-encoded length they add inside
    /// `params`, separators included, counted in the same pass (a second pass over each
    /// contact doubled the planner's time).
    pub(crate) fn push_contact<S: AsRef<str>>(&mut self, values: &[S]) -> usize {
        if self.len > 0 {
            self.lines.push('\n');
        }
        self.len += 1;
        let mut encoded = 0;
        for (i, v) in values.iter().enumerate() {
            if i > 0 {
                self.lines.push(',');
                encoded += ENCODED_COMMA;
            }
            encoded += push_json_str(&mut self.lines, v.as_ref());
        }
        encoded
    }

    /// Takes the last contact out, as a one-contact `TtsValues` (it goes to the next batch).
    pub(crate) fn pop_contact(&mut self) -> TtsValues {
        let start = self.lines.rfind('\n').map_or(0, |p| p + 1);
        let last = self.lines.split_off(start);
        self.lines.truncate(start.saturating_sub(1));
        self.len = self.len.saturating_sub(1);
        TtsValues {
            lines: last,
            len: 1,
        }
    }

    /// Appends another's contacts.
    pub(crate) fn append(&mut self, other: &TtsValues) {
        if other.is_empty() {
            return;
        }
        if self.len > 0 {
            self.lines.push('\n');
        }
        self.lines.push_str(&other.lines);
        self.len += other.len;
    }

    /// Gives back what doubling growth left unused; a plan keeps its batches until sent.
    pub(crate) fn shrink_to_fit(&mut self) {
        self.lines.shrink_to_fit();
    }

    /// The `TtsParam` JSON, exactly as serde_json writes it, with `numbers` (the same
    /// contacts in the same order) as the items' numbers.
    pub fn to_json(&self, numbers: &CalledNumbers) -> String {
        let item_overhead = ITEM_START.len() + ITEM_PARAMS.len() + ITEM_END.len() + 3;
        let mut out = String::with_capacity(
            self.lines.len() + numbers.param_len() + self.len * item_overhead + 2,
        );
        out.push('[');
        let lines = self.lines.split('\n').take(self.len);
        for (i, (number, params)) in numbers.iter().zip(lines).enumerate() {
            if i > 0 {
                out.push(',');
            }
            out.push_str(ITEM_START);
            // Digits only (`CalledNumbers` holds nothing else): no escaping needed.
            out.push('"');
            out.push_str(number);
            out.push('"');
            out.push_str(ITEM_PARAMS);
            out.push_str(params);
            out.push_str(ITEM_END);
        }
        out.push(']');
        out
    }

    /// Reads a `TtsParam` back (a stored plan). `None` unless it is a JSON array with one
    /// item per number, in order, each naming that number and holding string params.
    pub fn from_json(json: &str, numbers: &CalledNumbers) -> Option<TtsValues> {
        #[derive(Deserialize)]
        struct Item {
            number: String,
            params: Vec<String>,
        }
        let items: Vec<Item> = serde_json::from_str(json).ok()?;
        if items.len() != numbers.len() || items.is_empty() {
            return None;
        }
        let mut values = TtsValues::default();
        for (item, number) in items.iter().zip(numbers.iter()) {
            if item.number != number || item.params.is_empty() {
                return None;
            }
            values.push_contact(&item.params);
        }
        Some(values)
    }
}

/// `,` percent-encoded.
const ENCODED_COMMA: usize = 3;

/// Appends `value` as a JSON string exactly as serde_json writes it: `"` and `\\` escaped,
/// control characters as `\n`-style or `\u00XX` escapes, everything else (Chinese) as-is.
/// Returns the percent-encoded length of what it appended.
pub(crate) fn push_json_str(out: &mut String, value: &str) -> usize {
    out.push('"');
    // The two quotes, `%22` each.
    let mut encoded = 6;
    let mut start = 0;
    for (i, b) in value.bytes().enumerate() {
        let escape: Option<&str> = match b {
            b'"' => Some("\\\""),
            b'\\' => Some("\\\\"),
            b'\n' => Some("\\n"),
            b'\r' => Some("\\r"),
            b'\t' => Some("\\t"),
            0x08 => Some("\\b"),
            0x0c => Some("\\f"),
            0x00..=0x1f => None,
            _ => {
                encoded += percent_encoded_byte_len(b);
                continue;
            }
        };
        out.push_str(&value[start..i]);
        let escaped = match escape {
            Some(e) => e.to_string(),
            None => format!("\\u{b:04x}"),
        };
        encoded += percent_encoded_len(&escaped);
        out.push_str(&escaped);
        start = i + 1;
    }
    out.push_str(&value[start..]);
    out.push('"');
    encoded
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(list: &[&str]) -> CalledNumbers {
        CalledNumbers::try_from(list.iter().map(|n| n.to_string()).collect::<Vec<_>>()).unwrap()
    }

    #[test]
    fn json_strings_match_serde_json() {
        for v in [
            "张三",
            "a\"b\\c",
            "tab\there\nnl\r",
            "\u{1}\u{8}\u{c}\u{1f}\u{7f}",
            "😀 é",
            "",
        ] {
            let mut mine = String::new();
            let encoded = push_json_str(&mut mine, v);
            assert_eq!(mine, serde_json::to_string(v).unwrap(), "{v:?}");
            assert_eq!(encoded, percent_encoded_len(&mine), "{v:?}");
        }
    }

    #[test]
    fn values_become_the_json_serde_writes_and_read_back() {
        let n = numbers(&["13800138000", "13900139000", "13700137000"]);
        let rows: [&[&str]; 3] = [&["张三", "是"], &["line\nbreak", ""], &["\"q\"", "😀"]];
        let mut values = TtsValues::default();
        for r in rows {
            let encoded = values.push_contact(r);
            let inner = serde_json::to_string(r).unwrap();
            assert_eq!(encoded, percent_encoded_len(&inner[1..inner.len() - 1]));
        }
        let expected = serde_json::json!([
            {"number": "13800138000", "params": ["张三", "是"]},
            {"number": "13900139000", "params": ["line\nbreak", ""]},
            {"number": "13700137000", "params": ["\"q\"", "😀"]},
        ]);
        let json = values.to_json(&n);
        assert_eq!(json, serde_json::to_string(&expected).unwrap());
        assert_eq!(TtsValues::from_json(&json, &n), Some(values.clone()));
        // Items that do not match the numbers are refused.
        assert_eq!(
            TtsValues::from_json(&json, &numbers(&["13800138000"])),
            None
        );
        let swapped = numbers(&["13900139000", "13800138000", "13700137000"]);
        assert_eq!(TtsValues::from_json(&json, &swapped), None);
        assert_eq!(TtsValues::from_json("[1]", &numbers(&["1"])), None);
        assert_eq!(TtsValues::from_json("[]", &CalledNumbers::default()), None);
    }

    #[test]
    fn the_last_contact_moves_to_another_batch_intact() {
        let mut values = TtsValues::default();
        values.push_contact(&["a", "b"]);
        values.push_contact(&["c,d", "e"]);
        let last = values.pop_contact();
        assert_eq!(values.len(), 1);
        assert_eq!(
            values.to_json(&numbers(&["1"])),
            r#"[{"number":"1","params":["a","b"]}]"#
        );
        let mut next = TtsValues::default();
        next.append(&last);
        next.push_contact(&["f", "g"]);
        assert_eq!(
            next.to_json(&numbers(&["2", "3"])),
            r#"[{"number":"2","params":["c,d","e"]},{"number":"3","params":["f","g"]}]"#
        );
    }
}
