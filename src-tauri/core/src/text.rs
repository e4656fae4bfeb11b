//! Text a user reads, always in both of SmartDial's languages.

use std::borrow::Cow;

use serde::{Deserialize, Serialize};

use crate::error_code::ErrorCode;
/// Longest piece of user-supplied text (a cell, a header, a sheet or column name) a message
/// repeats back. A message names what it is about; the text itself is in the file. Without a
/// cap, one 300 MB cell made a 300 MB error message (issue 11).
pub const ECHO_MAX_CHARS: usize = 40;

/// User-supplied text as a message repeats it: at most [`ECHO_MAX_CHARS`] characters, then
/// "…", and control characters (line breaks, tabs, terminal escapes) shown as spaces, so an
/// echo stays on its line and cannot drive the terminal. Cuts on character boundaries.
pub fn echo(text: &str) -> Cow<'_, str> {
    echo_max(text, ECHO_MAX_CHARS)
}

/// [`echo`] with another cap, for text that is mostly ours but may quote the file (a
/// reader's error detail).
pub fn echo_max(text: &str, max_chars: usize) -> Cow<'_, str> {
    let mut chars = text.char_indices();
    let cut = chars.nth(max_chars).map(|(i, _)| i);
    let head = &text[..cut.unwrap_or(text.len())];
    if cut.is_none() && !head.chars().any(char::is_control) {
        return Cow::Borrowed(text);
    }
    let mut out: String = head
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    if cut.is_some() {
        out.push('…');
    }
    Cow::Owned(out)
}

/// [`echo`] applied to each item of a list, and at most `max_items` of them, then "…".
pub fn echo_list(items: &[String], max_items: usize, separator: &str) -> String {
    let mut out = items
        .iter()
        .take(max_items)
        .map(|s| echo(s))
        .collect::<Vec<_>>()
        .join(separator);
    if items.len() > max_items {
        out.push_str(separator);
        out.push('…');
    }
    out
}

/// The user interface languages. zh-CN comes first: most users are in mainland China.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub enum Lang {
    #[default]
    #[serde(rename = "zh-CN")]
    ZhCn,
    #[serde(rename = "en")]
    En,
}

impl Lang {
    /// Picks the language from a locale tag such as `zh_CN.UTF-8`, `zh-Hans` or `en-US`.
    pub fn from_locale(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("en") {
            Lang::En
        } else {
            Lang::ZhCn
        }
    }
}

/// One message in Simplified Chinese and English.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Localized {
    pub zh_cn: String,
    pub en: String,
}

impl Localized {
    pub fn new(zh_cn: impl Into<String>, en: impl Into<String>) -> Self {
        Localized {
            zh_cn: zh_cn.into(),
            en: en.into(),
        }
    }

    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::ZhCn => &self.zh_cn,
            Lang::En => &self.en,
        }
    }
}

/// A failure as a user sees it: a stable code the UI and tests can switch on, what happened,
/// and what to do about it. This is the shape errors take across IPC and in `--json` output.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
pub struct UserError {
    #[cfg_attr(feature = "ts", ts(type = "ErrorCode"))]
    pub code: ErrorCode,
    pub message: Localized,
    pub hint: Localized,
}

impl UserError {
    pub fn new(code: ErrorCode, message: Localized, hint: Localized) -> Self {
        UserError {
            code,
            message,
            hint,
        }
    }

    /// `message` and `hint` in one language, as a terminal prints them.
    pub fn render(&self, lang: Lang) -> String {
        let hint = self.hint.get(lang);
        if hint.is_empty() {
            format!("{} [{}]", self.message.get(lang), self.code)
        } else {
            format!("{} [{}]\n{}", self.message.get(lang), self.code, hint)
        }
    }
}

impl std::fmt::Display for UserError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} / {} [{}]",
            self.message.zh_cn, self.message.en, self.code
        )
    }
}

impl std::error::Error for UserError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn locale_tags_pick_the_language() {
        assert_eq!(Lang::from_locale("en_US.UTF-8"), Lang::En);
        assert_eq!(Lang::from_locale("zh_CN.UTF-8"), Lang::ZhCn);
        assert_eq!(Lang::from_locale(""), Lang::ZhCn);
    }

    #[test]
    fn echoes_are_capped_on_character_boundaries() {
        assert!(matches!(echo("张三"), Cow::Borrowed("张三")));
        let exact = "号".repeat(ECHO_MAX_CHARS);
        assert_eq!(echo(&exact), exact.as_str());
        let long = "号".repeat(10_000);
        let shown = echo(&long);
        assert_eq!(shown.chars().count(), ECHO_MAX_CHARS + 1);
        assert!(shown.ends_with('…'));
        // Emoji are 4 bytes: the cut must not land inside one.
        let emoji = "😀".repeat(100);
        assert_eq!(echo(&emoji), format!("{}…", "😀".repeat(ECHO_MAX_CHARS)));
        assert_eq!(echo("a\nb\x1b[31m"), "a b [31m");
        assert_eq!(echo(""), "");
        let list: Vec<String> = (0..30).map(|i| format!("列{i}")).collect();
        assert_eq!(echo_list(&list[..2], 20, "、"), "列0、列1");
        assert!(echo_list(&list, 20, "、").ends_with("列19、…"));
        assert!(echo_list(&[long], 20, ", ").chars().count() <= ECHO_MAX_CHARS + 1);
    }

    #[test]
    fn render_names_code_and_hint() {
        let e = UserError::new(
            ErrorCode::SheetEmptyFile,
            Localized::new("文件是空的", "The file is empty"),
            Localized::new("请换一个文件", "Choose another file"),
        );
        assert_eq!(
            e.render(Lang::En),
            "The file is empty [sheet.empty_file]\nChoose another file"
        );
        assert!(e.to_string().contains("文件是空的"));
    }
}
