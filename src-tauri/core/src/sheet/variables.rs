//! The rule for a template variable's name (one entry of `TtsParamHead`), as the mapping
//! step adds it: the robot script refers to variables by these names, and a name with a
//! space or a comma cannot be written in the script's `${name}` placeholders.

use crate::error_code::ErrorCode;
use crate::text::{echo, Localized, UserError};

/// Characters a variable name may not hold besides whitespace: the ASCII comma and the
/// full-width one Chinese input methods type.
const FORBIDDEN: [char; 2] = [',', '，'];

/// The name to add (trimmed), or why it cannot be added next to `existing`.
pub fn check_new_variable(name: &str, existing: &[String]) -> Result<String, UserError> {
    let name = name.trim();
    if existing.iter().any(|e| e == name) {
        return Err(UserError::new(
            ErrorCode::VariableExists,
            Localized::new(
                format!("变量“{}”已经添加过了", echo(name)),
                format!("\"{}\" is already there", echo(name)),
            ),
            Localized::new(
                "每个变量名只需要添加一次。",
                "Each variable name is added once.",
            ),
        ));
    }
    if name.is_empty()
        || name
            .chars()
            .any(|c| c.is_whitespace() || FORBIDDEN.contains(&c))
    {
        return Err(UserError::new(
            ErrorCode::VariableBadName,
            Localized::new(
                "变量名里不能有空格或逗号",
                "A variable name cannot contain spaces or commas",
            ),
            Localized::new(
                "请使用话术模板里写的变量名,例如 name。",
                "Use the name the robot script uses, e.g. name.",
            ),
        ));
    }
    Ok(name.to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_name_is_trimmed_and_refused_with_spaces_commas_or_twice() {
        let existing = vec!["name".to_owned()];
        assert_eq!(check_new_variable(" 金额 ", &existing).unwrap(), "金额");
        for bad in ["", "  ", "first name", "a,b", "a，b", "a\tb"] {
            assert_eq!(
                check_new_variable(bad, &existing).unwrap_err().code,
                ErrorCode::VariableBadName,
                "{bad:?}"
            );
        }
        assert_eq!(
            check_new_variable(" name", &existing).unwrap_err().code,
            ErrorCode::VariableExists
        );
    }
}
