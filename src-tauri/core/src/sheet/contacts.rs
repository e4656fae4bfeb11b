//! The validated contact list: every data row of the sheet with its status (valid / fixed /
//! invalid / duplicate / excluded), a stable reason code, and the values of the template
//! variables. The sheet stays here, in Rust; the UI pages through it and can fix one number
//! or exclude a row, after which the list is re-validated (duplicates included).

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::num::NonZeroU32;

use std::path::PathBuf;

use serde::{Deserialize, Serialize};

use super::cell::{display_text, has_control_chars, phone_text, variable_text};
use super::error::SheetError;
use super::grid::{CellInput, GridBuilder};
use super::limits::Limits;
use super::mapping::{columns, ColumnInfo, ColumnMapping, VariableColumn};
use super::phone::{normalize, PhoneKind, PhoneRules};
use super::reason::Reason;
use super::source::{FileFormat, Notice, SheetData};
use crate::compliance::screen::{Block, Screen};
use crate::text::{echo, Localized};

/// What counts as a usable contact.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct ValidationOptions {
    pub phone: PhoneRules,
    /// Let rows with an empty template variable through (the robot then says nothing there).
    /// Off by default: an empty name in "您好，{name}" is usually a mistake.
    pub allow_empty_variables: bool,
}

/// A contact's status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum ContactStatus {
    /// Usable as written.
    Valid,
    /// Usable after cleaning (separators, full-width digits, country code).
    Fixed,
    /// Not usable; the reason says why.
    Invalid,
    /// The number appeared in an earlier row, which is kept.
    Duplicate,
    /// Left out by the user.
    Excluded,
    /// On the do-not-call list: never called, whatever the user does in the review.
    DoNotCall,
    /// Called as often in the last 24 hours as the per-number limits allow.
    OverLimit,
}

impl ContactStatus {
    /// True for contacts that go into a batch plan.
    pub fn is_sendable(self) -> bool {
        matches!(self, ContactStatus::Valid | ContactStatus::Fixed)
    }
}

#[derive(Debug, Clone, Copy)]
struct Contact {
    /// 0-based grid row.
    row: u32,
    /// The number's digits as an integer plus its digit count (landlines start with 0).
    number: u64,
    digits: u8,
    kind_landline: bool,
    phone_reason: Reason,
    var_issue: Option<(u16, Reason)>,
    /// 1-based sheet row of the earlier contact with the same number (`NonZeroU32` keeps
    /// the struct at 24 bytes: 8 MB less per million rows).
    duplicate_of: Option<NonZeroU32>,
    status: ContactStatus,
}

// One of these lives per data row for as long as the sheet is open.
const _: () = assert!(std::mem::size_of::<Contact>() <= 24);

impl Contact {
    /// The [`crate::compliance::number_key`] of the number (0 when there is none).
    fn key(&self) -> u64 {
        self.number * 16 + u64::from(self.digits)
    }

    fn number_text(&self) -> Option<String> {
        if self.digits == 0 {
            return None;
        }
        // Hand-rolled: `format!` with padding is a measurable share of planning 1M rows.
        let mut buf = [b'0'; 20];
        let mut n = self.number;
        let len = (self.digits as usize).min(buf.len());
        for slot in buf[..len].iter_mut().rev() {
            *slot = b'0' + (n % 10) as u8;
            n /= 10;
        }
        Some(buf[..len].iter().map(|&b| b as char).collect())
    }
}

/// A variable with the column it reads.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct VariableInfo {
    pub name: String,
    pub column: ColumnInfo,
}

/// The counts a review screen shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ContactSummary {
    pub file: String,
    pub sheet: String,
    /// 1-based row number of the header.
    pub header_row: u32,
    pub phone_column: ColumnInfo,
    pub variables: Vec<VariableInfo>,
    /// Data rows below the header (blank rows not counted).
    pub rows: u32,
    pub valid: u32,
    pub fixed: u32,
    pub invalid: u32,
    pub duplicates: u32,
    pub excluded: u32,
    /// On the do-not-call list (left out).
    pub do_not_call: u32,
    /// Over the per-number limits (left out).
    pub over_limit: u32,
    /// Valid/fixed landlines (the API may only call mobiles).
    pub landlines: u32,
    /// Rows with a warning that does not block them.
    pub warnings: u32,
    /// Completely empty rows below the header, skipped.
    pub blank_rows: u32,
    /// Contacts that will be called: valid + fixed.
    pub sendable: u32,
    /// Rows the user must fix or exclude before going on: not excluded, and with a blocking
    /// [`Problem`] of their own (no usable number, or a variable that is empty when that is
    /// not allowed or holds control characters). A duplicate is not counted: it is left out
    /// on its own and the earlier row with the same number is called.
    pub blocking: u32,
    pub notices: Vec<Notice>,
}

/// One problem or warning, naming the row, the column and the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Problem {
    /// 1-based row number in the sheet, as Excel shows it.
    pub row: u32,
    /// Header of the column concerned.
    pub column: String,
    /// The original value.
    pub value: String,
    pub code: String,
    pub message: Localized,
    /// False for warnings: the row is still called.
    pub blocking: bool,
    /// For duplicates: the row that is kept.
    pub duplicate_of: Option<u32>,
}

/// One contact as the review table shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ContactRow {
    /// 1-based row number in the sheet.
    pub row: u32,
    /// The phone cell as it was (or the user's correction).
    pub original: String,
    pub number: Option<String>,
    pub status: ContactStatus,
    /// Reason code of the phone number (`phone.ok`, `phone.cleaned`, …).
    pub code: String,
    pub message: Localized,
    pub duplicate_of: Option<u32>,
    /// Template variable values, in `TtsParamHead` order.
    pub values: Vec<String>,
    pub problems: Vec<Problem>,
}

/// Which rows a page shows.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct RowFilter {
    /// Only rows that are invalid, duplicate, excluded or carry a warning.
    pub only_problems: bool,
}

/// A page of the review table.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ContactPage {
    /// Rows matching the filter.
    pub total: u32,
    pub offset: u32,
    pub rows: Vec<ContactRow>,
}

/// A contact that goes into the plan.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SendableContact<'a> {
    /// 1-based sheet row.
    pub row: u32,
    pub number: String,
    pub values: Vec<Cow<'a, str>>,
}

/// A validated contact list. Only [`ContactList::validate`] and [`ContactList::from_rows`]
/// make one, so a [`crate::campaign::plan::BatchPlan`] built from it only sees checked data.
#[derive(Debug, Clone)]
pub struct ContactList {
    sheet: SheetData,
    header_row: usize,
    mapping: ColumnMapping,
    options: ValidationOptions,
    contacts: Vec<Contact>,
    overrides: HashMap<u32, String>,
    excluded: HashSet<u32>,
    problem_rows: Vec<u32>,
    blank_rows: u32,
    /// The do-not-call list and per-number limits, as of the last [`Self::apply_screen`].
    screen: Screen,
}

impl ContactList {
    /// Checks every data row below `header_row` (0-based) with the given mapping.
    pub fn validate(
        sheet: SheetData,
        header_row: usize,
        mapping: ColumnMapping,
        options: ValidationOptions,
    ) -> Result<ContactList, SheetError> {
        let height = sheet.grid.height();
        if height == 0 {
            return Err(SheetError::EmptySheet {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
            });
        }
        if header_row >= height {
            return Err(SheetError::HeaderRowOutOfRange {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                row: header_row + 1,
                rows: height,
            });
        }
        let width = sheet.grid.width() as u32;
        if mapping.phone_column >= width {
            return Err(SheetError::PhoneColumnNotFound {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
                wanted: Some(super::mapping::column_letter(mapping.phone_column as usize)),
                headers: columns(&sheet.grid, header_row)
                    .into_iter()
                    .map(|c| c.header)
                    .collect(),
                searched: 1,
            });
        }
        if let Some(v) = mapping.variables.iter().find(|v| v.column >= width) {
            return Err(SheetError::VariableColumnNotFound {
                file: sheet.file.clone(),
                variable: v.name.clone(),
                header: Some(super::mapping::column_letter(v.column as usize)),
            });
        }
        if (header_row + 1..height).all(|r| sheet.grid.row_is_blank(r)) {
            return Err(SheetError::HeaderOnly {
                file: sheet.file.clone(),
                sheet: sheet.sheet.clone(),
            });
        }
        let mut list = ContactList {
            sheet,
            header_row,
            mapping,
            options,
            contacts: Vec::new(),
            overrides: HashMap::new(),
            excluded: HashSet::new(),
            problem_rows: Vec::new(),
            blank_rows: 0,
            screen: Screen::default(),
        };
        list.revalidate();
        Ok(list)
    }

    /// An in-memory list through the same checks as a file: each row is the phone number
    /// followed by one value per variable. For tests, the CLI and callers without a sheet.
    ///
    /// ```
    /// use smartdial_core::sheet::contacts::{ContactList, ValidationOptions};
    ///
    /// let list = ContactList::from_rows(
    ///     &["name"],
    ///     [vec!["138 0013 8000", "张三"], vec!["13800138000", "张三"]],
    ///     ValidationOptions::default(),
    /// ).unwrap();
    /// let s = list.summary();
    /// assert_eq!((s.fixed, s.duplicates), (1, 1));
    /// ```
    pub fn from_rows<V, I, R, T>(
        variables: &[V],
        rows: I,
        options: ValidationOptions,
    ) -> Result<ContactList, SheetError>
    where
        V: AsRef<str>,
        I: IntoIterator<Item = R>,
        R: IntoIterator<Item = T>,
        T: AsRef<str>,
    {
        let file = PathBuf::from("<memory>");
        let mut b = GridBuilder::new(Limits::default());
        let too_large = |e: super::grid::CapReached| SheetError::TooLarge {
            file: PathBuf::from("<memory>"),
            sheet: None,
            row: Some(e.row),
            column: e.column,
            limit: e.limit,
            cap: e.cap,
        };
        b.push(0, 0, CellInput::Text("手机号")).map_err(too_large)?;
        for (i, v) in variables.iter().enumerate() {
            b.push(0, i + 1, CellInput::Text(v.as_ref()))
                .map_err(too_large)?;
        }
        for (r, row) in rows.into_iter().enumerate() {
            for (c, value) in row.into_iter().enumerate() {
                b.push(r + 1, c, CellInput::Text(value.as_ref()))
                    .map_err(too_large)?;
            }
        }
        let sheet = SheetData {
            file,
            format: FileFormat::Text,
            sheet: String::from("contacts"),
            grid: b.finish(),
            merged: Vec::new(),
            notices: Vec::new(),
            choice: None,
        };
        let mapping = ColumnMapping {
            phone_column: 0,
            variables: variables
                .iter()
                .enumerate()
                .map(|(i, v)| VariableColumn {
                    name: v.as_ref().to_string(),
                    column: i as u32 + 1,
                })
                .collect(),
        };
        ContactList::validate(sheet, 0, mapping, options)
    }

    fn revalidate(&mut self) {
        let grid = &self.sheet.grid;
        let phone_col = self.mapping.phone_column as usize;
        let mut contacts = Vec::with_capacity(grid.height().saturating_sub(self.header_row + 1));
        let mut blank_rows = 0u32;
        for r in self.header_row + 1..grid.height() {
            let row = r as u32;
            let override_text = self.overrides.get(&row);
            if override_text.is_none() && grid.row_is_blank(r) {
                blank_rows += 1;
                continue;
            }
            let phone = match override_text {
                Some(t) => Ok(Cow::Borrowed(t.as_str())),
                None => phone_text(grid.cell(r, phone_col)),
            };
            let mut c = Contact {
                row,
                number: 0,
                digits: 0,
                kind_landline: false,
                phone_reason: Reason::Ok,
                var_issue: None,
                duplicate_of: None,
                status: ContactStatus::Valid,
            };
            match phone.and_then(|t| normalize(&t, &self.options.phone)) {
                Ok(n) => {
                    c.number = n.number.parse().unwrap_or(0);
                    c.digits = n.number.len() as u8;
                    c.kind_landline = n.kind == PhoneKind::Landline;
                    c.phone_reason = n.reason;
                }
                Err(reason) => c.phone_reason = reason,
            }
            for (i, v) in self.mapping.variables.iter().enumerate() {
                let issue = match variable_text(grid.cell(r, v.column as usize)) {
                    Err(reason) => Some(reason),
                    Ok(t) if t.is_empty() => Some(Reason::VariableEmpty),
                    Ok(t) if has_control_chars(&t) => Some(Reason::VariableControlChars),
                    Ok(_) => None,
                };
                if let Some(reason) = issue {
                    c.var_issue = Some((i as u16, reason));
                    break;
                }
            }
            contacts.push(c);
        }
        self.contacts = contacts;
        self.blank_rows = blank_rows;
        self.classify();
    }

    /// Duplicates and statuses from the parsed rows: what excluding a row or a new screen
    /// changes, without reading and cleaning every cell again.
    fn classify(&mut self) {
        let mut contacts = std::mem::take(&mut self.contacts);
        for c in &mut contacts {
            c.duplicate_of = None;
        }
        // Duplicates: the first occurrence is kept; excluded rows do not count. A sort of
        // (number, position) pairs needs a third of the memory of a hash map at 1M rows.
        let mut keys: Vec<(u64, u32)> = contacts
            .iter()
            .enumerate()
            .filter(|(_, c)| {
                c.digits != 0 && (self.excluded.is_empty() || !self.excluded.contains(&c.row))
            })
            .map(|(i, c)| (c.key(), i as u32))
            .collect();
        keys.sort_unstable();
        for group in keys.chunk_by(|a, b| a.0 == b.0) {
            let first_row = NonZeroU32::new(contacts[group[0].1 as usize].row + 1);
            for &(_, i) in &group[1..] {
                contacts[i as usize].duplicate_of = first_row;
            }
        }
        let allow_empty = self.options.allow_empty_variables;
        let mut problem_rows = Vec::new();
        for (i, c) in contacts.iter_mut().enumerate() {
            let var_blocks = match c.var_issue {
                Some((_, Reason::VariableEmpty)) => !allow_empty,
                Some(_) => true,
                None => false,
            };
            c.status = if !self.excluded.is_empty() && self.excluded.contains(&c.row) {
                ContactStatus::Excluded
            } else if c.digits == 0 {
                ContactStatus::Invalid
            } else if c.duplicate_of.is_some() {
                ContactStatus::Duplicate
            } else if let Some(block) = self.screen.get(c.key()) {
                match block {
                    Block::DoNotCall { .. } => ContactStatus::DoNotCall,
                    Block::OverLimit { .. } => ContactStatus::OverLimit,
                }
            } else if var_blocks {
                ContactStatus::Invalid
            } else if matches!(c.phone_reason, Reason::Cleaned | Reason::CountryCodeRemoved) {
                ContactStatus::Fixed
            } else {
                ContactStatus::Valid
            };
            if !c.status.is_sendable() || c.kind_landline || c.var_issue.is_some() {
                problem_rows.push(i as u32);
            }
        }
        self.contacts = contacts;
        self.problem_rows = problem_rows;
    }

    /// True when a phone or variable cell of some row is empty: merged cells may be why.
    pub fn has_empty_mapped_cells(&self) -> bool {
        self.contacts.iter().any(|c| {
            c.phone_reason == Reason::Empty
                || matches!(c.var_issue, Some((_, Reason::VariableEmpty)))
        })
    }

    /// Records the sheet's merged ranges and adds the notice explaining them.
    pub fn attach_merged(&mut self, merged: Vec<super::source::MergedRange>) {
        if self
            .sheet
            .notices
            .iter()
            .any(|n| n.code == "sheet.merged_cells")
        {
            return;
        }
        if let Some(n) = super::read::merged_notice(&self.sheet.sheet, &merged) {
            self.sheet.notices.push(n);
        }
        self.sheet.merged = merged;
    }

    /// The sheet the list was built from.
    pub fn sheet(&self) -> &SheetData {
        &self.sheet
    }

    /// The column mapping in use.
    pub fn mapping(&self) -> &ColumnMapping {
        &self.mapping
    }

    /// The options in use.
    pub fn options(&self) -> ValidationOptions {
        self.options
    }

    /// 0-based header row.
    pub fn header_row(&self) -> usize {
        self.header_row
    }

    /// Variable names in `TtsParamHead` order.
    pub fn variable_names(&self) -> Vec<String> {
        self.mapping
            .variables
            .iter()
            .map(|v| v.name.clone())
            .collect()
    }

    fn column_info(&self, col: u32) -> ColumnInfo {
        ColumnInfo {
            index: col,
            letter: super::mapping::column_letter(col as usize),
            header: display_text(self.sheet.grid.cell(self.header_row, col as usize)).into_owned(),
        }
    }

    /// Replaces the phone value of one row (1-based) and re-validates the whole list, since
    /// a correction can create or resolve a duplicate. Returns the row's new state.
    pub fn fix_number(&mut self, row: u32, text: &str) -> Result<ContactRow, SheetError> {
        let i = self.index_of(row)?;
        let grid_row = self.contacts[i].row;
        self.overrides.insert(grid_row, text.to_string());
        self.revalidate();
        self.row(row)
    }

    /// Excludes (or re-includes) one row and re-validates.
    pub fn set_excluded(&mut self, row: u32, excluded: bool) -> Result<ContactRow, SheetError> {
        let i = self.index_of(row)?;
        let grid_row = self.contacts[i].row;
        if excluded {
            self.excluded.insert(grid_row);
        } else {
            self.excluded.remove(&grid_row);
        }
        self.classify();
        self.row(row)
    }

    /// Leaves out, in one re-validation, every row whose problem blocks sending ("exclude all
    /// problem rows" on the review): invalid numbers and blocking variable values. Duplicates
    /// stay as they are: the first row with their number is kept and they are skipped anyway.
    /// Returns how many rows were newly excluded.
    pub fn exclude_blocking_rows(&mut self) -> usize {
        // The do-not-call list and the limits leave people out on their own: excluding
        // them would hide why.
        let rows: Vec<u32> = self
            .problems()
            .into_iter()
            .filter(|p| p.blocking && p.duplicate_of.is_none())
            .filter(|p| !p.code.starts_with(crate::compliance::screen::CODE_PREFIX))
            .map(|p| p.row - 1)
            .collect();
        let before = self.excluded.len();
        self.excluded.extend(rows);
        let added = self.excluded.len() - before;
        if added > 0 {
            self.classify();
        }
        added
    }

    /// The numbers to screen ([`crate::compliance::number_key`]s): every row with a number
    /// that the user has not excluded, each once.
    pub fn number_keys(&self) -> Vec<u64> {
        let mut keys: Vec<u64> = self
            .contacts
            .iter()
            .filter(|c| c.digits != 0 && c.status != ContactStatus::Excluded)
            .map(Contact::key)
            .collect();
        keys.sort_unstable();
        keys.dedup();
        keys
    }

    /// Every distinct number in the list (rows the user excluded aside), in sheet order:
    /// what a do-not-call import adds.
    pub fn listed_numbers(&self) -> Vec<String> {
        let mut seen = HashSet::new();
        self.contacts
            .iter()
            .filter(|c| c.digits != 0 && c.status != ContactStatus::Excluded)
            .filter(|c| seen.insert(c.key()))
            .filter_map(Contact::number_text)
            .collect()
    }

    /// Leaves out the people `screen` stops (do-not-call list, per-number limits) and
    /// re-validates. A new screen replaces the last one.
    pub fn apply_screen(&mut self, screen: Screen) {
        self.screen = screen;
        self.classify();
    }

    fn block_for(&self, c: &Contact) -> Option<&Block> {
        matches!(
            c.status,
            ContactStatus::DoNotCall | ContactStatus::OverLimit
        )
        .then(|| self.screen.get(c.key()))
        .flatten()
    }

    /// Contacts that go into a plan (valid and fixed), in sheet order.
    pub fn sendable(&self) -> impl Iterator<Item = SendableContact<'_>> + '_ {
        let grid = &self.sheet.grid;
        self.contacts
            .iter()
            .filter(|c| c.status.is_sendable())
            .map(move |c| SendableContact {
                row: c.row + 1,
                number: c.number_text().unwrap_or_default(),
                values: self
                    .mapping
                    .variables
                    .iter()
                    .map(|v| {
                        variable_text(grid.cell(c.row as usize, v.column as usize))
                            .unwrap_or_default()
                    })
                    .collect(),
            })
    }

    /// Calls `f(row, number, values)` for each sendable contact without allocating per
    /// contact (the plan builder's fast path; same contacts and order as [`Self::sendable`]).
    pub fn for_each_sendable<F>(&self, mut f: F)
    where
        F: FnMut(u32, &str, &[Cow<'_, str>]),
    {
        let grid = &self.sheet.grid;
        let mut values: Vec<Cow<'_, str>> = Vec::with_capacity(self.mapping.variables.len());
        for c in self.contacts.iter().filter(|c| c.status.is_sendable()) {
            values.clear();
            values.extend(self.mapping.variables.iter().map(|v| {
                variable_text(grid.cell(c.row as usize, v.column as usize)).unwrap_or_default()
            }));
            let number = c.number_text().unwrap_or_default();
            f(c.row + 1, &number, &values);
        }
    }

    /// Number of contacts [`ContactList::sendable`] yields.
    pub fn sendable_count(&self) -> usize {
        self.contacts
            .iter()
            .filter(|c| c.status.is_sendable())
            .count()
    }

    /// Rows that will not be called (invalid, duplicate, excluded).
    pub fn skipped_count(&self) -> usize {
        self.contacts.len() - self.sendable_count()
    }
}

mod view;

#[cfg(test)]
mod tests;
