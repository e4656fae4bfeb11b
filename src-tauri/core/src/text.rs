//! Text a user reads, always in both of SmartDial's languages.

use serde::{Deserialize, Serialize};

use crate::error_code::ErrorCode;

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
