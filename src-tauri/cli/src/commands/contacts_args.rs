//! How `check` and `submit` are told to read a contact sheet, and the one way both turn
//! that into import options: the same `--var` syntax, the same phone rules.

use smartdial_core::error_code::ErrorCode;
use smartdial_core::sheet::contacts::ValidationOptions;
use smartdial_core::sheet::phone::PhoneRules;
use smartdial_core::sheet::variables::check_new_variable;
use smartdial_core::sheet::ImportOptions;
use smartdial_core::text::{echo, Localized, UserError};

/// The sheet, header row and columns to read, and how strictly to judge the rows.
#[derive(Debug, clap::Args)]
pub struct ContactArgs {
    /// Sheet name (default: the sheet that holds the phone numbers, the active one first).
    #[arg(long, value_name = "NAME")]
    pub sheet: Option<String>,
    /// 1-based header row (default: detected).
    #[arg(long, value_name = "N")]
    pub header_row: Option<usize>,
    /// Phone column: header text, letter (B) or 1-based number (default: detected).
    #[arg(long, value_name = "HEADER")]
    pub phone_column: Option<String>,
    /// A template variable and its column (`NAME=HEADER`); `NAME` alone matches by name.
    /// Repeat in TtsParamHead order.
    #[arg(long = "var", value_name = "NAME=HEADER")]
    pub vars: Vec<String>,
    /// Reject landlines (only mainland mobiles).
    #[arg(long)]
    pub mobile_only: bool,
    /// Let rows with an empty variable value through.
    #[arg(long)]
    pub allow_empty_variables: bool,
}

impl ContactArgs {
    /// The import options these arguments ask for.
    pub fn import_options(&self) -> Result<ImportOptions, UserError> {
        // The same name rule as the mapping step: no spaces or commas, no repeats.
        let mut variables: Vec<(String, Option<String>)> = Vec::with_capacity(self.vars.len());
        for spec in &self.vars {
            let (name, header) = parse_var(spec)?;
            let names: Vec<String> = variables.iter().map(|(n, _)| n.clone()).collect();
            let name = check_new_variable(&name, &names)?;
            variables.push((name, header));
        }
        Ok(ImportOptions {
            sheet: self.sheet.clone(),
            header_row: self.header_row,
            phone_column: self.phone_column.clone(),
            variables,
            validation: ValidationOptions {
                phone: PhoneRules {
                    mobile_only: self.mobile_only,
                },
                allow_empty_variables: self.allow_empty_variables,
            },
            ..ImportOptions::default()
        })
    }
}

/// `NAME=HEADER` → the variable and its column; `NAME` alone → matched by name.
fn parse_var(spec: &str) -> Result<(String, Option<String>), UserError> {
    let (name, header) = match spec.split_once('=') {
        Some((n, h)) => (n.trim(), Some(h.trim().to_string())),
        None => (spec.trim(), None),
    };
    if name.is_empty() || header.as_deref() == Some("") {
        return Err(bad_var(spec));
    }
    Ok((name.to_string(), header))
}

fn bad_var(spec: &str) -> UserError {
    UserError::new(
        ErrorCode::CliBadVariable,
        Localized::new(
            format!("变量参数“{}”格式不对", echo(spec)),
            format!("Variable argument \"{}\" is not valid", echo(spec)),
        ),
        Localized::new("请写成 --var 变量名=列名", "Write it as --var NAME=HEADER"),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_variable_names_its_column_or_is_matched_by_name() {
        assert_eq!(
            parse_var(" 姓名 = 客户姓名 ").unwrap(),
            ("姓名".to_owned(), Some("客户姓名".to_owned()))
        );
        assert_eq!(parse_var("产品").unwrap(), ("产品".to_owned(), None));
        let repeated = ContactArgs {
            sheet: None,
            header_row: None,
            phone_column: None,
            vars: vec!["name".into(), "name=姓名".into()],
            mobile_only: false,
            allow_empty_variables: false,
        };
        assert_eq!(
            repeated.import_options().unwrap_err().code,
            ErrorCode::VariableExists
        );
        let spaced = ContactArgs {
            vars: vec!["first name=姓名".into()],
            ..repeated
        };
        assert_eq!(
            spaced.import_options().unwrap_err().code,
            ErrorCode::VariableBadName
        );
        for bad in ["=列", "名=", " ", "= "] {
            assert_eq!(
                parse_var(bad).unwrap_err().code,
                ErrorCode::CliBadVariable,
                "{bad:?}"
            );
        }
    }
}
