//! The do-not-call list (免打扰名单), kept in the journal database: people who refused,
//! complained or asked not to be called. A number on it never goes out; only removing it
//! from the list lets it through again.

use std::path::Path;
use std::rc::Rc;

use rusqlite::{params, types::Value, OptionalExtension};
use serde::{Deserialize, Serialize};

use super::number_key;
use crate::campaign::journal::Journal;
use crate::error_code::ErrorCode;
use crate::sheet::export::ExportError;
use crate::sheet::phone::{normalize, PhoneRules};
use crate::sheet::{self, ImportOptions, SheetError};
use crate::text::{echo, Localized, UserError};

/// The `do_not_call` table (a journal migration: never edit, append a new one).
pub const SCHEMA_SQL: &str = r#"
CREATE TABLE do_not_call (
    -- compliance::number_key of the normalised number.
    number_key      INTEGER PRIMARY KEY,
    number          TEXT    NOT NULL,
    reason          TEXT,
    added_at_ms     INTEGER NOT NULL,
    -- 'manual', 'import' or 'results'.
    source          TEXT    NOT NULL
);
CREATE INDEX do_not_call_by_added ON do_not_call (added_at_ms);
-- The per-number limits read the batches of the last day: sent ones by their send time,
-- planned ones by their campaign's creation.
CREATE INDEX batches_by_first_sent ON batches (first_sent_at_ms);
CREATE INDEX campaigns_by_created ON campaigns (created_at_ms);
"#;

/// How a number came onto the list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum DncSource {
    Manual,
    Import,
    Results,
}

impl DncSource {
    fn as_str(self) -> &'static str {
        match self {
            DncSource::Manual => "manual",
            DncSource::Import => "import",
            DncSource::Results => "results",
        }
    }

    fn parse(word: &str) -> DncSource {
        match word {
            "import" => DncSource::Import,
            "results" => DncSource::Results,
            _ => DncSource::Manual,
        }
    }
}

/// One listed number.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DncEntry {
    pub number: String,
    pub reason: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub added_at_ms: i64,
    pub source: DncSource,
}

/// Text that is not a phone number, with why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct NotANumber {
    pub text: String,
    pub message: Localized,
}

/// What adding or removing did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DncChange {
    /// Newly added, or removed.
    pub changed: u32,
    /// Already on the list (add), or not on it (remove): nothing to do.
    pub unchanged: u32,
    /// At most the first 20 texts that are not numbers.
    pub not_numbers: Vec<NotANumber>,
    pub not_number_count: u32,
}

const NOT_NUMBER_EXAMPLES: usize = 20;

impl DncChange {
    fn reject(&mut self, text: &str, reason: crate::sheet::reason::Reason) {
        self.not_number_count += 1;
        if self.not_numbers.len() < NOT_NUMBER_EXAMPLES {
            self.not_numbers.push(NotANumber {
                text: echo(text).into_owned(),
                message: reason.message(),
            });
        }
    }
}

/// A page of the list.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DncPage {
    /// Entries matching the search.
    pub total: u32,
    pub entries: Vec<DncEntry>,
}

/// Why the list could not be read or changed.
#[derive(Debug, thiserror::Error)]
pub enum DncError {
    #[error("do-not-call list: {0}")]
    Db(#[from] rusqlite::Error),
    #[error(transparent)]
    Sheet(#[from] SheetError),
    #[error(transparent)]
    Export(#[from] ExportError),
}

impl DncError {
    pub fn to_user_error(&self) -> UserError {
        match self {
            DncError::Db(err) => {
                tracing::error!(%err, "do-not-call list");
                UserError::new(
                    ErrorCode::JournalFailed,
                    Localized::new(
                        "无法读写免打扰名单（本地数据库出错）。",
                        "Could not read or change the do-not-call list (local database error).",
                    ),
                    Localized::new(
                        "请关闭其他正在使用 SmartDial 的窗口后重试；如果一直出现，请检查数据文件夹所在磁盘的空间。",
                        "Close other SmartDial windows and try again; if it keeps happening, check the free space on the data folder's disk.",
                    ),
                )
            }
            DncError::Sheet(err) => err.to_user_error(),
            DncError::Export(err) => err.to_user_error(),
        }
    }
}

impl From<DncError> for UserError {
    fn from(e: DncError) -> Self {
        e.to_user_error()
    }
}

/// What a listed number is stopped by.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DncHit {
    pub reason: Option<String>,
    pub added_at_ms: i64,
}

fn rules() -> PhoneRules {
    // Landlines too: a landline that asked not to be called must not be.
    PhoneRules { mobile_only: false }
}

/// Adds numbers (any way a sheet writes them) with an optional reason. A number already on
/// the list keeps its first reason and date.
pub fn add<'a>(
    journal: &mut Journal,
    numbers: impl IntoIterator<Item = &'a str>,
    reason: Option<&str>,
    source: DncSource,
    now_ms: i64,
) -> Result<DncChange, DncError> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty());
    let mut change = DncChange::default();
    let tx = journal.conn_mut().transaction()?;
    {
        let mut insert = tx.prepare_cached(
            "INSERT OR IGNORE INTO do_not_call (number_key, number, reason, added_at_ms, source) \
             VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for text in numbers {
            match normalize(text, &rules()) {
                Ok(n) => {
                    let Some(key) = number_key(&n.number) else {
                        change.reject(text, crate::sheet::reason::Reason::TooLong);
                        continue;
                    };
                    let added = insert.execute(params![
                        key as i64,
                        n.number,
                        reason,
                        now_ms,
                        source.as_str()
                    ])?;
                    if added == 1 {
                        change.changed += 1;
                    } else {
                        change.unchanged += 1;
                    }
                }
                Err(why) => change.reject(text, why),
            }
        }
    }
    tx.commit()?;
    Ok(change)
}

/// Removes numbers; the only way a listed number can be called again.
pub fn remove<'a>(
    journal: &mut Journal,
    numbers: impl IntoIterator<Item = &'a str>,
) -> Result<DncChange, DncError> {
    let mut change = DncChange::default();
    let tx = journal.conn_mut().transaction()?;
    {
        let mut delete = tx.prepare_cached("DELETE FROM do_not_call WHERE number_key = ?1")?;
        for text in numbers {
            match normalize(text, &rules()) {
                Ok(n) => match number_key(&n.number) {
                    Some(key) => {
                        if delete.execute([key as i64])? == 1 {
                            change.changed += 1;
                        } else {
                            change.unchanged += 1;
                        }
                    }
                    None => change.reject(text, crate::sheet::reason::Reason::TooLong),
                },
                Err(why) => change.reject(text, why),
            }
        }
    }
    tx.commit()?;
    Ok(change)
}

/// Reads every number of a contact sheet onto the list: the same reader, phone-column
/// detection and cleaning as a campaign's import, so the list and the sheets agree.
pub fn import(
    journal: &mut Journal,
    file: &Path,
    options: &ImportOptions,
    reason: Option<&str>,
    now_ms: i64,
) -> Result<DncChange, DncError> {
    let options = ImportOptions {
        variables: Vec::new(),
        ..options.clone()
    };
    let imported = sheet::import(file, &options, None)?;
    let list = imported.contacts;
    let numbers: Vec<String> = list.listed_numbers();
    let mut change = add(
        journal,
        numbers.iter().map(String::as_str),
        reason,
        DncSource::Import,
        now_ms,
    )?;
    for p in list
        .problems()
        .into_iter()
        .filter(|p| p.blocking && p.duplicate_of.is_none())
    {
        change.not_number_count += 1;
        if change.not_numbers.len() < NOT_NUMBER_EXAMPLES {
            change.not_numbers.push(NotANumber {
                text: echo(&p.value).into_owned(),
                message: Localized::new(
                    format!("第 {} 行：{}", p.row, p.message.zh_cn),
                    format!("Row {}: {}", p.row, p.message.en),
                ),
            });
        }
    }
    Ok(change)
}

/// A page of the list, newest first; `search` matches digits anywhere in the number or text
/// in the reason.
pub fn list(
    journal: &Journal,
    search: Option<&str>,
    offset: u32,
    limit: u32,
) -> Result<DncPage, DncError> {
    let conn = journal.conn();
    let pattern = search
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| format!("%{}%", s.replace(['%', '_', '\\'], "")));
    let filter = "(?1 IS NULL OR number LIKE ?1 OR reason LIKE ?1)";
    let total: u32 = conn.query_row(
        &format!("SELECT COUNT(*) FROM do_not_call WHERE {filter}"),
        [&pattern],
        |r| r.get(0),
    )?;
    let mut stmt = conn.prepare(&format!(
        "SELECT number, reason, added_at_ms, source FROM do_not_call WHERE {filter} \
         ORDER BY added_at_ms DESC, number LIMIT ?2 OFFSET ?3"
    ))?;
    let entries = stmt
        .query_map(params![pattern, limit, offset], entry)?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(DncPage { total, entries })
}

fn entry(r: &rusqlite::Row<'_>) -> rusqlite::Result<DncEntry> {
    Ok(DncEntry {
        number: r.get(0)?,
        reason: r.get(1)?,
        added_at_ms: r.get(2)?,
        source: DncSource::parse(&r.get::<_, String>(3)?),
    })
}

/// How many numbers are listed.
pub fn count(journal: &Journal) -> Result<u64, DncError> {
    Ok(journal
        .conn()
        .query_row("SELECT COUNT(*) FROM do_not_call", [], |r| r.get(0))?)
}

/// One number's entry, if listed.
pub fn find(journal: &Journal, number: &str) -> Result<Option<DncEntry>, DncError> {
    let Some(key) = normalize(number, &rules())
        .ok()
        .and_then(|n| number_key(&n.number))
    else {
        return Ok(None);
    };
    Ok(journal
        .conn()
        .query_row(
            "SELECT number, reason, added_at_ms, source FROM do_not_call WHERE number_key = ?1",
            [key as i64],
            entry,
        )
        .optional()?)
}

/// The listed ones among `keys` ([`number_key`]s), in one statement however many there
/// are: a 100,000-row sheet is one pass over its keys, not 100,000 queries.
pub fn lookup(journal: &Journal, keys: &[u64]) -> Result<Vec<(u64, DncHit)>, DncError> {
    lookup_on(journal.conn(), keys)
}

/// [`lookup`] on a connection (or a transaction) of the journal database.
pub(crate) fn lookup_on(
    conn: &rusqlite::Connection,
    keys: &[u64],
) -> Result<Vec<(u64, DncHit)>, DncError> {
    if keys.is_empty() {
        return Ok(Vec::new());
    }
    rusqlite::vtab::array::load_module(conn)?;
    let values: Rc<Vec<Value>> = Rc::new(keys.iter().map(|&k| Value::Integer(k as i64)).collect());
    let mut stmt = conn.prepare_cached(
        "SELECT number_key, reason, added_at_ms FROM do_not_call \
         WHERE number_key IN rarray(?1)",
    )?;
    let hits = stmt
        .query_map([values], |r| {
            Ok((
                r.get::<_, i64>(0)? as u64,
                DncHit {
                    reason: r.get(1)?,
                    added_at_ms: r.get(2)?,
                },
            ))
        })?
        .collect::<Result<Vec<_>, _>>()?;
    Ok(hits)
}

/// Writes the whole list to an .xlsx (number as text, reason, date added in China time,
/// how it was added).
pub fn export_xlsx(
    journal: &Journal,
    out: &Path,
    lang: crate::text::Lang,
) -> Result<u64, DncError> {
    use rust_xlsxwriter::{Format, Workbook};
    let wrap = |source| {
        DncError::Export(ExportError {
            file: out.to_path_buf(),
            source,
        })
    };
    let zh = lang == crate::text::Lang::ZhCn;
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(if zh { "免打扰名单" } else { "Do not call" })
        .map_err(wrap)?;
    let bold = Format::new().set_bold();
    let headers: [&str; 4] = if zh {
        ["手机号", "原因", "加入时间（北京时间）", "来源"]
    } else {
        ["Number", "Reason", "Added (China time)", "Source"]
    };
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, *h, &bold)
            .map_err(wrap)?;
    }
    let conn = journal.conn();
    let mut stmt = conn.prepare(
        "SELECT number, reason, added_at_ms, source FROM do_not_call ORDER BY added_at_ms, number",
    )?;
    let mut rows = stmt.query([])?;
    let mut r: u32 = 0;
    while let Some(row) = rows.next()? {
        let e = entry(row)?;
        r += 1;
        ws.write_string(r, 0, &e.number).map_err(wrap)?;
        ws.write_string(r, 1, e.reason.as_deref().unwrap_or(""))
            .map_err(wrap)?;
        ws.write_string(r, 2, crate::china_time::format(e.added_at_ms))
            .map_err(wrap)?;
        let source = match (e.source, zh) {
            (DncSource::Manual, true) => "手动添加",
            (DncSource::Import, true) => "从表格导入",
            (DncSource::Results, true) => "从外呼结果加入",
            (DncSource::Manual, false) => "Added by hand",
            (DncSource::Import, false) => "Imported",
            (DncSource::Results, false) => "From call results",
        };
        ws.write_string(r, 3, source).map_err(wrap)?;
    }
    ws.set_column_width(0, 16).map_err(wrap)?;
    ws.set_column_width(1, 30).map_err(wrap)?;
    ws.set_column_width(2, 22).map_err(wrap)?;
    ws.set_column_width(3, 14).map_err(wrap)?;
    wb.save(out).map_err(wrap)?;
    Ok(u64::from(r))
}

#[cfg(test)]
#[path = "dnc_tests.rs"]
mod tests;
