//! The contact list as the review and `smartdial check` show it: counts, problems with their
//! row, column and value, and pages of rows.

use super::*;

impl ContactList {
    /// Counts for the review screen.
    pub fn summary(&self) -> ContactSummary {
        let mut s = ContactSummary {
            file: self
                .sheet
                .file
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
            sheet: self.sheet.sheet.clone(),
            header_row: self.header_row as u32 + 1,
            phone_column: self.column_info(self.mapping.phone_column),
            variables: self
                .mapping
                .variables
                .iter()
                .map(|v| VariableInfo {
                    name: v.name.clone(),
                    column: self.column_info(v.column),
                })
                .collect(),
            rows: self.contacts.len() as u32,
            valid: 0,
            fixed: 0,
            invalid: 0,
            duplicates: 0,
            excluded: 0,
            do_not_call: 0,
            over_limit: 0,
            landlines: 0,
            warnings: 0,
            blank_rows: self.blank_rows,
            sendable: 0,
            blocking: 0,
            notices: self.sheet.notices.clone(),
        };
        for c in &self.contacts {
            match c.status {
                ContactStatus::Valid => s.valid += 1,
                ContactStatus::Fixed => s.fixed += 1,
                ContactStatus::Invalid => s.invalid += 1,
                ContactStatus::Duplicate => s.duplicates += 1,
                ContactStatus::Excluded => s.excluded += 1,
                ContactStatus::DoNotCall => s.do_not_call += 1,
                ContactStatus::OverLimit => s.over_limit += 1,
            }
            if self.needs_fixing(c) {
                s.blocking += 1;
            }
            if c.status.is_sendable() {
                s.sendable += 1;
                if c.kind_landline {
                    s.landlines += 1;
                }
                if c.kind_landline || c.var_issue.is_some() {
                    s.warnings += 1;
                }
            }
        }
        s
    }

    pub(super) fn original(&self, c: &Contact) -> String {
        match self.overrides.get(&c.row) {
            Some(t) => t.clone(),
            None => display_text(
                self.sheet
                    .grid
                    .cell(c.row as usize, self.mapping.phone_column as usize),
            )
            .into_owned(),
        }
    }

    /// A variable problem stops its row unless it is an empty value and those are allowed.
    pub(super) fn variable_issue_blocks(&self, reason: Reason) -> bool {
        !(reason == Reason::VariableEmpty && self.options.allow_empty_variables)
    }

    /// The row has a blocking problem of its own, which only the user can resolve (see
    /// [`ContactSummary::blocking`]): the same conditions as the blocking [`Problem`]s of
    /// [`Self::problems_of`] other than "excluded" and "duplicate".
    pub(super) fn needs_fixing(&self, c: &Contact) -> bool {
        match c.status {
            ContactStatus::Excluded
            | ContactStatus::Duplicate
            | ContactStatus::DoNotCall
            | ContactStatus::OverLimit => false,
            _ => {
                c.digits == 0
                    || c.var_issue
                        .is_some_and(|(_, reason)| self.variable_issue_blocks(reason))
            }
        }
    }

    pub(super) fn problems_of(&self, c: &Contact) -> Vec<Problem> {
        let mut out = Vec::new();
        let row = c.row + 1;
        let phone_header = self.column_info(self.mapping.phone_column).header;
        let phone_problem = |reason: Reason, blocking: bool, duplicate_of: Option<u32>| {
            let mut message = reason.message();
            if let Some(d) = duplicate_of {
                message = Localized::new(
                    format!("{}：与第 {} 行相同，已保留第 {} 行", message.zh_cn, d, d),
                    format!("{}: same as row {}, which is kept", message.en, d),
                );
            }
            Problem {
                row,
                column: phone_header.clone(),
                value: self.original(c),
                code: reason.code().to_string(),
                message,
                blocking,
                duplicate_of,
            }
        };
        match c.status {
            ContactStatus::Excluded => out.push(phone_problem(Reason::Excluded, true, None)),
            ContactStatus::Invalid if c.digits == 0 => {
                out.push(phone_problem(c.phone_reason, true, None))
            }
            ContactStatus::Duplicate => out.push(phone_problem(
                Reason::Duplicate,
                true,
                c.duplicate_of.map(NonZeroU32::get),
            )),
            _ => {}
        }
        if let Some(block) = self.block_for(c) {
            out.push(Problem {
                row,
                column: phone_header.clone(),
                value: self.original(c),
                code: block.code().to_string(),
                message: block.message(),
                blocking: true,
                duplicate_of: None,
            });
        }
        if c.kind_landline && c.status != ContactStatus::Excluded {
            out.push(phone_problem(Reason::Landline, false, None));
        }
        if let Some((i, reason)) = c.var_issue {
            if let Some(v) = self.mapping.variables.get(i as usize) {
                let cell = self.sheet.grid.cell(c.row as usize, v.column as usize);
                let header = self.column_info(v.column).header;
                let base = reason.message();
                let blocking = self.variable_issue_blocks(reason);
                out.push(Problem {
                    row,
                    column: header.clone(),
                    value: display_text(cell).into_owned(),
                    code: reason.code().to_string(),
                    message: Localized::new(
                        format!(
                            "{}（变量“{}”，列“{}”）",
                            base.zh_cn,
                            echo(&v.name),
                            echo(&header)
                        ),
                        format!(
                            "{} (variable \"{}\", column \"{}\")",
                            base.en,
                            echo(&v.name),
                            echo(&header)
                        ),
                    ),
                    blocking,
                    duplicate_of: None,
                });
            }
        }
        out
    }

    pub(super) fn row_view(&self, c: &Contact) -> ContactRow {
        let grid = &self.sheet.grid;
        let reason = if c.status == ContactStatus::Excluded {
            Reason::Excluded
        } else if c.status == ContactStatus::Duplicate {
            Reason::Duplicate
        } else {
            c.phone_reason
        };
        let (code, message) = match self.block_for(c) {
            Some(block) => (block.code().to_string(), block.message()),
            None => (reason.code().to_string(), reason.message()),
        };
        ContactRow {
            row: c.row + 1,
            original: self.original(c),
            number: c.number_text(),
            status: c.status,
            code,
            message,
            duplicate_of: c.duplicate_of.map(NonZeroU32::get),
            values: self
                .mapping
                .variables
                .iter()
                .map(|v| display_text(grid.cell(c.row as usize, v.column as usize)).into_owned())
                .collect(),
            problems: self.problems_of(c),
        }
    }

    /// Every problem and warning, in row order.
    pub fn problems(&self) -> Vec<Problem> {
        self.problem_rows
            .iter()
            .filter_map(|&i| self.contacts.get(i as usize))
            .flat_map(|c| self.problems_of(c))
            .collect()
    }

    /// A page of contacts for a virtualised table.
    pub fn page(&self, offset: usize, limit: usize, filter: RowFilter) -> ContactPage {
        let limit = limit.min(10_000);
        let (total, rows) = if filter.only_problems {
            let rows = self
                .problem_rows
                .iter()
                .skip(offset)
                .take(limit)
                .filter_map(|&i| self.contacts.get(i as usize))
                .map(|c| self.row_view(c))
                .collect();
            (self.problem_rows.len(), rows)
        } else {
            let rows = self
                .contacts
                .iter()
                .skip(offset)
                .take(limit)
                .map(|c| self.row_view(c))
                .collect();
            (self.contacts.len(), rows)
        };
        ContactPage {
            total: total as u32,
            offset: offset as u32,
            rows,
        }
    }

    pub(super) fn index_of(&self, row: u32) -> Result<usize, SheetError> {
        let r = row.checked_sub(1).ok_or(SheetError::NoSuchRow { row })?;
        self.contacts
            .binary_search_by_key(&r, |c| c.row)
            .map_err(|_| SheetError::NoSuchRow { row })
    }

    /// One contact by its 1-based sheet row.
    pub fn row(&self, row: u32) -> Result<ContactRow, SheetError> {
        let i = self.index_of(row)?;
        Ok(self.row_view(&self.contacts[i]))
    }
}
