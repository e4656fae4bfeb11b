//! Why a contact is what it is: stable codes the UI and tests switch on, with zh-CN and
//! English text a marketer understands.

use serde::{Deserialize, Serialize};

use crate::text::Localized;

/// The outcome of checking one phone cell or one variable cell. The code strings
/// ([`Reason::code`]) are stable: the UI, exports and `--json` output rely on them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub enum Reason {
    /// A mainland mobile number, used as written.
    Ok,
    /// Spaces, dashes, dots, brackets or full-width digits were removed or converted.
    Cleaned,
    /// A `+86`, `0086` or `86` prefix was removed.
    CountryCodeRemoved,
    /// A landline with area code; accepted, but the robot API may only call mobiles.
    Landline,
    /// The phone cell is empty.
    Empty,
    /// Letters or other characters that cannot be part of a phone number.
    BadCharacters,
    /// A `+` or `00` prefix of another country: the domestic service cannot call it.
    International,
    /// Too few digits for a mobile or a landline with area code.
    TooShort,
    /// Too many digits for a mobile or a landline with area code.
    TooLong,
    /// Right length but not a mainland mobile (`1[3-9]` + 9 digits) or landline (`0` + area code).
    UnknownFormat,
    /// A landline while the "mobiles only" setting is on.
    LandlineNotAllowed,
    /// A number cell with a fraction or too large to hold every digit exactly.
    InexactNumber,
    /// Text in scientific notation (`1.38E+10`): digits were lost when the file was saved.
    ScientificNotation,
    /// A date or time cell in the phone column.
    DateCell,
    /// An Excel error value (`#N/A`, `#REF!` …) instead of a value.
    CellError,
    /// The same number appeared in an earlier row.
    Duplicate,
    /// A template variable has no value in this row.
    VariableEmpty,
    /// A template variable's value holds control characters (line breaks, tabs …).
    VariableControlChars,
    /// A template variable's cell is an Excel error value.
    VariableCellError,
    /// The user excluded this row.
    Excluded,
}

impl Reason {
    /// Every reason, for documentation and tests.
    pub const ALL: [Reason; 20] = [
        Reason::Ok,
        Reason::Cleaned,
        Reason::CountryCodeRemoved,
        Reason::Landline,
        Reason::Empty,
        Reason::BadCharacters,
        Reason::International,
        Reason::TooShort,
        Reason::TooLong,
        Reason::UnknownFormat,
        Reason::LandlineNotAllowed,
        Reason::InexactNumber,
        Reason::ScientificNotation,
        Reason::DateCell,
        Reason::CellError,
        Reason::Duplicate,
        Reason::VariableEmpty,
        Reason::VariableControlChars,
        Reason::VariableCellError,
        Reason::Excluded,
    ];

    /// The stable code, e.g. `phone.international`.
    pub fn code(self) -> &'static str {
        match self {
            Reason::Ok => "phone.ok",
            Reason::Cleaned => "phone.cleaned",
            Reason::CountryCodeRemoved => "phone.country_code_removed",
            Reason::Landline => "phone.landline",
            Reason::Empty => "phone.empty",
            Reason::BadCharacters => "phone.bad_characters",
            Reason::International => "phone.international",
            Reason::TooShort => "phone.too_short",
            Reason::TooLong => "phone.too_long",
            Reason::UnknownFormat => "phone.unknown_format",
            Reason::LandlineNotAllowed => "phone.landline_not_allowed",
            Reason::InexactNumber => "phone.inexact_number",
            Reason::ScientificNotation => "phone.scientific_notation",
            Reason::DateCell => "phone.date",
            Reason::CellError => "phone.cell_error",
            Reason::Duplicate => "phone.duplicate",
            Reason::VariableEmpty => "variable.empty",
            Reason::VariableControlChars => "variable.control_chars",
            Reason::VariableCellError => "variable.cell_error",
            Reason::Excluded => "row.excluded",
        }
    }

    /// The message without row-specific details.
    pub fn message(self) -> Localized {
        let (zh, en) = match self {
            Reason::Ok => ("号码有效", "Valid number"),
            Reason::Cleaned => (
                "已去掉空格、横线、括号等符号或转换全角数字",
                "Spaces, dashes, brackets or full-width digits were cleaned up",
            ),
            Reason::CountryCodeRemoved => (
                "已去掉 +86/0086/86 国家码",
                "The +86/0086/86 country code was removed",
            ),
            Reason::Landline => (
                "固定电话（带区号）：已接受，但机器人外呼可能只支持手机号",
                "Landline with area code: accepted, but robot calls may only reach mobiles",
            ),
            Reason::Empty => ("号码为空", "The phone number is empty"),
            Reason::BadCharacters => (
                "号码里有字母或其他不能出现在电话号码里的字符",
                "The number contains letters or other characters that are not part of a phone number",
            ),
            Reason::International => (
                "国际号码（+ 或 00 开头，但不是 +86/0086）：国内语音服务不能拨打",
                "International number (+ or 00 but not +86/0086): the domestic service cannot call it",
            ),
            Reason::TooShort => ("号码位数太少", "Too few digits"),
            Reason::TooLong => ("号码位数太多", "Too many digits"),
            Reason::UnknownFormat => (
                "不是中国大陆手机号（1 开头 11 位）或带区号的固话",
                "Not a mainland mobile (11 digits starting with 1) or a landline with area code",
            ),
            Reason::LandlineNotAllowed => (
                "已设置只拨打手机号，这是固定电话",
                "This is a landline and the 'mobiles only' setting is on",
            ),
            Reason::InexactNumber => (
                "单元格是带小数或过大的数字，无法准确还原号码",
                "The cell holds a number with a fraction or too large to keep every digit",
            ),
            Reason::ScientificNotation => (
                "号码被保存成了科学计数法（如 1.38E+10），已丢失位数；请把号码列设成文本后重新导出",
                "The number was saved in scientific notation (e.g. 1.38E+10) and lost digits; format the column as text and export again",
            ),
            Reason::DateCell => (
                "号码列里是日期或时间，不是号码",
                "The phone column holds a date or time, not a number",
            ),
            Reason::CellError => (
                "单元格是 Excel 错误值（如 #N/A）",
                "The cell is an Excel error value (such as #N/A)",
            ),
            Reason::Duplicate => ("号码重复", "Duplicate number"),
            Reason::VariableEmpty => ("模板变量没有值", "A template variable has no value"),
            Reason::VariableControlChars => (
                "模板变量的值里有换行、制表符等控制字符",
                "A template variable's value contains line breaks, tabs or other control characters",
            ),
            Reason::VariableCellError => (
                "模板变量的单元格是 Excel 错误值（如 #N/A）",
                "A template variable's cell is an Excel error value (such as #N/A)",
            ),
            Reason::Excluded => ("已手动排除这一行", "You excluded this row"),
        };
        Localized::new(zh, en)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_are_unique() {
        let mut codes: Vec<_> = Reason::ALL.iter().map(|r| r.code()).collect();
        codes.sort_unstable();
        codes.dedup();
        assert_eq!(codes.len(), Reason::ALL.len());
    }
}
