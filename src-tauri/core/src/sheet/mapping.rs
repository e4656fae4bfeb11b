//! Which column holds the phone number and which columns feed the robot script's template
//! variables (`TtsParamHead`). Matching is by exact header, then by a normalised form (case,
//! full/half width, spaces and punctuation ignored), then by known aliases; edit distance is
//! useless on two-character Chinese headers. A confirmed mapping is saved under the sheet's
//! header signature and reused when the same layout comes back.

use std::collections::BTreeMap;
use std::path::Path;

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use super::cell::{display_text, phone_text};
use super::grid::Grid;
use super::phone::{normalize, PhoneRules};

/// Header names that mean "phone number", already in [`normalize_header`] form.
const PHONE_ALIASES: &[&str] = &[
    "手机",
    "手机号",
    "手机号码",
    "电话",
    "联系电话",
    "号码",
    "电话号码",
    "移动电话",
    "联系方式",
    "客户电话",
    "客户手机",
    "客户手机号",
    "手机电话",
    "被叫",
    "被叫号码",
    "被叫号",
    "联系号码",
    "mobile",
    "phone",
    "tel",
    "telephone",
    "cellphone",
    "cell",
    "mobilephone",
    "phonenumber",
    "mobilenumber",
    "phoneno",
    "mobileno",
    "telno",
    "callednumber",
    "number",
];

/// Common alternative headers for the usual template variables, as groups of
/// interchangeable names (normalised form).
const VARIABLE_ALIASES: &[&[&str]] = &[
    &[
        "name",
        "姓名",
        "名字",
        "客户姓名",
        "客户名称",
        "客户",
        "联系人",
        "称呼",
        "username",
        "customername",
    ],
    &[
        "amount",
        "金额",
        "欠款",
        "欠款金额",
        "应还金额",
        "money",
        "price",
        "价格",
    ],
    &["date", "日期", "时间", "到期日", "还款日", "duedate"],
    &[
        "company",
        "公司",
        "公司名称",
        "企业",
        "单位",
        "corp",
        "corpname",
    ],
    &["address", "地址", "住址"],
    &["gender", "性别", "sex"],
    &["product", "产品", "商品", "产品名称"],
    &["title", "先生女士", "尊称"],
];

/// Lower-case, half-width, without spaces and common punctuation: `"手机号 (必填)"` and
/// `"手机号"` differ, `" Phone_Number "` and `"phonenumber"` do not.
pub fn normalize_header(header: &str) -> String {
    let mut out = String::with_capacity(header.len());
    for c in header.chars() {
        let c = match c {
            '\u{FF01}'..='\u{FF5E}' => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
            '\u{3000}' => ' ',
            c => c,
        };
        if c.is_whitespace() || matches!(c, '_' | '-' | ':' | '：' | '*' | '.' | '/' | '#') {
            continue;
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// True for headers that name a phone column.
pub fn is_phone_alias(header: &str) -> bool {
    let n = normalize_header(header);
    !n.is_empty() && PHONE_ALIASES.contains(&n.as_str())
}

/// A column as the UI shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ColumnInfo {
    /// 0-based column index.
    pub index: u32,
    /// Excel's column letters (`A`, `AB`).
    pub letter: String,
    /// The header text (may be empty).
    pub header: String,
}

/// Excel column letters for a 0-based index.
pub fn column_letter(mut index: usize) -> String {
    let mut s = Vec::new();
    loop {
        s.push(b'A' + (index % 26) as u8);
        if index < 26 {
            break;
        }
        index = index / 26 - 1;
    }
    s.reverse();
    String::from_utf8(s).unwrap_or_default()
}

/// The header row's columns.
pub fn columns(grid: &Grid, header_row: usize) -> Vec<ColumnInfo> {
    let width = grid.width();
    (0..width)
        .map(|c| ColumnInfo {
            index: c as u32,
            letter: column_letter(c),
            header: display_text(grid.cell(header_row, c)).into_owned(),
        })
        .collect()
}

/// One template variable bound to a column.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariableColumn {
    /// The name in the robot script (`TtsParamHead` entry).
    pub name: String,
    /// 0-based column index.
    pub column: u32,
}

/// Phone column plus template variables, in `TtsParamHead` order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ColumnMapping {
    pub phone_column: u32,
    pub variables: Vec<VariableColumn>,
}

/// How a column was chosen.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum MatchKind {
    /// Given by the user.
    Manual,
    /// From a saved mapping for this header layout.
    Saved,
    /// The header is exactly the name.
    Exact,
    /// Equal after ignoring case, width, spaces and punctuation.
    Normalized,
    /// A known alias (手机号 ↔ 电话, 姓名 ↔ name …).
    Alias,
    /// Detected from the cell values.
    Content,
}

/// A variable's suggested column (or none found).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariableSuggestion {
    pub name: String,
    pub column: Option<ColumnInfo>,
    pub how: Option<MatchKind>,
}

/// What the importer proposes; the UI shows it and lets the user change it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct MappingSuggestion {
    pub phone_column: Option<ColumnInfo>,
    pub phone_how: Option<MatchKind>,
    pub variables: Vec<VariableSuggestion>,
    /// The header signature a saved mapping is stored under.
    pub signature: String,
}

impl MappingSuggestion {
    /// The mapping when every column was found.
    pub fn complete(&self) -> Option<ColumnMapping> {
        let phone = self.phone_column.as_ref()?;
        let variables = self
            .variables
            .iter()
            .map(|v| {
                v.column.as_ref().map(|c| VariableColumn {
                    name: v.name.clone(),
                    column: c.index,
                })
            })
            .collect::<Option<Vec<_>>>()?;
        Some(ColumnMapping {
            phone_column: phone.index,
            variables,
        })
    }
}

/// A stable fingerprint of a header row (normalised headers, in order).
pub fn header_signature(columns: &[ColumnInfo]) -> String {
    let mut hasher = Sha256::new();
    for c in columns {
        hasher.update(normalize_header(&c.header).as_bytes());
        hasher.update([0x1f]);
    }
    let digest = hasher.finalize();
    digest.iter().take(16).map(|b| format!("{b:02x}")).collect()
}

fn find_header(columns: &[ColumnInfo], wanted: &str) -> Option<(usize, MatchKind)> {
    if let Some(i) = columns.iter().position(|c| c.header == wanted) {
        return Some((i, MatchKind::Exact));
    }
    let n = normalize_header(wanted);
    if n.is_empty() {
        return None;
    }
    if let Some(i) = columns
        .iter()
        .position(|c| normalize_header(&c.header) == n)
    {
        return Some((i, MatchKind::Normalized));
    }
    None
}

/// Finds a column by header text (exact, then normalised). Also accepts a column letter
/// (`B`) or a 1-based number (`2`) for the command line.
pub fn resolve_column(columns: &[ColumnInfo], wanted: &str) -> Option<usize> {
    if let Some((i, _)) = find_header(columns, wanted) {
        return Some(i);
    }
    let w = wanted.trim();
    if let Ok(n) = w.parse::<usize>() {
        if n >= 1 && n <= columns.len() {
            return Some(n - 1);
        }
    }
    columns
        .iter()
        .position(|c| c.letter.eq_ignore_ascii_case(w))
}

fn alias_column(columns: &[ColumnInfo], name: &str, taken: &[usize]) -> Option<usize> {
    let n = normalize_header(name);
    let group = VARIABLE_ALIASES.iter().find(|g| g.contains(&n.as_str()))?;
    columns.iter().position(|c| {
        !taken.contains(&(c.index as usize))
            && group.contains(&normalize_header(&c.header).as_str())
    })
}

/// The column whose cells are mostly valid phone numbers (sampled).
fn phone_column_by_content(grid: &Grid, header_row: usize) -> Option<usize> {
    let rows: Vec<usize> = (header_row + 1..grid.height())
        .filter(|&r| !grid.row_is_blank(r))
        .take(200)
        .collect();
    if rows.is_empty() {
        return None;
    }
    let rules = PhoneRules::default();
    let mut best: Option<(usize, usize)> = None;
    for col in 0..grid.width() {
        let valid = rows
            .iter()
            .filter(|&&r| {
                phone_text(grid.cell(r, col))
                    .ok()
                    .is_some_and(|t| normalize(&t, &rules).is_ok())
            })
            .count();
        if valid * 2 > rows.len() && best.is_none_or(|(_, v)| valid > v) {
            best = Some((col, valid));
        }
    }
    best.map(|(c, _)| c)
}

/// Proposes a mapping: the saved one for this header layout if any, else header aliases and
/// content for the phone column, and exact/normalised/alias header matches for variables.
pub fn suggest_mapping(
    grid: &Grid,
    header_row: usize,
    variable_names: &[String],
    saved: Option<&SavedMappings>,
) -> MappingSuggestion {
    let cols = columns(grid, header_row);
    let signature = header_signature(&cols);
    let saved = saved.and_then(|s| s.get(&signature));
    let automatic_phone = cols
        .iter()
        .position(|c| is_phone_alias(&c.header))
        .map(|i| (i, MatchKind::Alias))
        .or_else(|| phone_column_by_content(grid, header_row).map(|i| (i, MatchKind::Content)));
    let saved_phone = saved.and_then(|s| find_header(&cols, &s.phone_header).map(|(i, _)| i));
    let phone = prefer_saved(saved_phone, automatic_phone);
    let mut taken: Vec<usize> = phone.iter().map(|(i, _)| *i).collect();
    let mut variables = Vec::with_capacity(variable_names.len());
    for name in variable_names {
        let automatic = find_header(&cols, name)
            .filter(|(i, _)| !taken.contains(i))
            .or_else(|| alias_column(&cols, name, &taken).map(|i| (i, MatchKind::Alias)));
        let saved_column = saved
            .and_then(|s| s.variables.get(name))
            .and_then(|h| find_header(&cols, h).map(|(i, _)| i));
        let found = prefer_saved(saved_column, automatic);
        if let Some((i, _)) = found {
            taken.push(i);
        }
        variables.push(VariableSuggestion {
            name: name.clone(),
            column: found.and_then(|(i, _)| cols.get(i).cloned()),
            how: found.map(|(_, h)| h),
        });
    }
    MappingSuggestion {
        phone_column: phone.and_then(|(i, _)| cols.get(i).cloned()),
        phone_how: phone.map(|(_, h)| h),
        variables,
        signature,
    }
}

/// The saved column wins over the automatic match; where both name the same column the
/// automatic reason is the one given. Every mapping the wizard previews is saved, so a
/// saved column the rules would find anyway is no choice the user made ("沿用上次的选择"
/// must only appear where the user picked something the rules would not have).
fn prefer_saved(
    saved: Option<usize>,
    automatic: Option<(usize, MatchKind)>,
) -> Option<(usize, MatchKind)> {
    match (saved, automatic) {
        (Some(s), Some((a, kind))) if s == a => Some((a, kind)),
        (Some(s), _) => Some((s, MatchKind::Saved)),
        (None, automatic) => automatic,
    }
}

/// A mapping remembered by header names, so it survives files with the same layout.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedMapping {
    pub headers: Vec<String>,
    pub phone_header: String,
    /// Variable name → header text.
    pub variables: BTreeMap<String, String>,
}

/// The mappings file (`AppPaths::mappings_file()`): header signature → mapping.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct SavedMappings {
    #[serde(default)]
    pub mappings: BTreeMap<String, SavedMapping>,
}

impl SavedMappings {
    /// Reads the file; a missing file is an empty store. A damaged file is reported, not
    /// overwritten silently.
    pub fn load(path: &Path) -> std::io::Result<SavedMappings> {
        match std::fs::read(path) {
            Ok(bytes) => serde_json::from_slice(&bytes)
                .map_err(|e| std::io::Error::new(std::io::ErrorKind::InvalidData, e)),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(SavedMappings::default()),
            Err(e) => Err(e),
        }
    }

    /// Writes the file atomically (temp file + rename).
    pub fn save(&self, path: &Path) -> std::io::Result<()> {
        crate::json_file::write_atomic(path, self)
    }

    /// The mapping saved for a signature.
    pub fn get(&self, signature: &str) -> Option<&SavedMapping> {
        self.mappings.get(signature)
    }

    /// Remembers a confirmed mapping for this header row.
    pub fn remember(&mut self, grid: &Grid, header_row: usize, mapping: &ColumnMapping) {
        let cols = columns(grid, header_row);
        let header = |i: u32| {
            cols.get(i as usize)
                .map(|c| c.header.clone())
                .unwrap_or_default()
        };
        let saved = SavedMapping {
            headers: cols.iter().map(|c| c.header.clone()).collect(),
            phone_header: header(mapping.phone_column),
            variables: mapping
                .variables
                .iter()
                .map(|v| (v.name.clone(), header(v.column)))
                .collect(),
        };
        self.mappings.insert(header_signature(&cols), saved);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::sheet::grid::{CellInput, GridBuilder};
    use crate::sheet::limits::Limits;

    fn grid(rows: &[&[&str]]) -> Grid {
        let mut b = GridBuilder::new(Limits::default());
        for (r, row) in rows.iter().enumerate() {
            for (c, v) in row.iter().enumerate() {
                b.push(r, c, CellInput::Text(v)).unwrap();
            }
        }
        b.finish()
    }

    #[test]
    fn letters_and_normalised_headers() {
        assert_eq!(column_letter(0), "A");
        assert_eq!(column_letter(25), "Z");
        assert_eq!(column_letter(26), "AA");
        assert_eq!(column_letter(16383), "XFD");
        assert_eq!(normalize_header(" Phone_Number "), "phonenumber");
        assert_eq!(normalize_header("ＮＡＭＥ"), "name");
        assert!(is_phone_alias("手机号码"));
        assert!(is_phone_alias("Mobile"));
        assert!(!is_phone_alias("姓名"));
    }

    #[test]
    fn phone_by_alias_then_content_and_variables_by_name_then_alias() {
        let g = grid(&[
            &["客户姓名", "联系电话", "Amount"],
            &["张三", "13800138000", "5"],
        ]);
        let names = vec!["name".to_string(), "amount".to_string(), "日期".to_string()];
        let s = suggest_mapping(&g, 0, &names, None);
        assert_eq!(s.phone_column.as_ref().unwrap().index, 1);
        assert_eq!(s.phone_how, Some(MatchKind::Alias));
        assert_eq!(s.variables[0].column.as_ref().unwrap().index, 0);
        assert_eq!(s.variables[0].how, Some(MatchKind::Alias));
        assert_eq!(s.variables[1].how, Some(MatchKind::Normalized));
        assert!(s.variables[2].column.is_none());
        assert!(s.complete().is_none());

        let g = grid(&[
            &["客户", "号"],
            &["张三", "13800138000"],
            &["李四", "+86 139 0013 9000"],
        ]);
        let s = suggest_mapping(&g, 0, &[], None);
        assert_eq!(s.phone_column.unwrap().index, 1);
        assert_eq!(s.phone_how, Some(MatchKind::Content));
    }

    #[test]
    fn saved_mapping_is_reused_for_the_same_layout() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("mappings.json");
        // Both A and B hold numbers: the rules would pick A, the user picked B.
        let g = grid(&[&["A列", "B列", "C列"], &["13900139000", "13800138000", "y"]]);
        let mapping = ColumnMapping {
            phone_column: 1,
            variables: vec![VariableColumn {
                name: "客户名".into(),
                column: 2,
            }],
        };
        let mut store = SavedMappings::load(&path).unwrap();
        store.remember(&g, 0, &mapping);
        store.save(&path).unwrap();
        let store = SavedMappings::load(&path).unwrap();
        let s = suggest_mapping(&g, 0, &["客户名".to_string()], Some(&store));
        assert_eq!(s.phone_how, Some(MatchKind::Saved));
        assert_eq!(s.complete(), Some(mapping));
    }

    #[test]
    fn a_saved_mapping_the_rules_would_find_keeps_the_rules_reason() {
        // The wizard saves every mapping it previews: adding a variable must not turn
        // "found by its usual name" into "the choice made last time".
        let g = grid(&[&["姓名", "手机号"], &["张三", "13800138000"]]);
        let mut store = SavedMappings::default();
        let mapping = ColumnMapping {
            phone_column: 1,
            variables: vec![VariableColumn {
                name: "姓名".into(),
                column: 0,
            }],
        };
        store.remember(&g, 0, &mapping);
        let s = suggest_mapping(&g, 0, &["姓名".to_string()], Some(&store));
        assert_eq!(s.phone_how, Some(MatchKind::Alias));
        assert_eq!(s.variables[0].how, Some(MatchKind::Exact));
        assert_eq!(s.complete(), Some(mapping));
    }
}
