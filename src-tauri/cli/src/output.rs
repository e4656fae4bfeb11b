//! Printing results and failures the same way in every command.

use std::process::ExitCode;

use serde::Serialize;
use smartdial_core::text::{Lang, UserError};

/// Prints a value as pretty JSON on stdout.
pub fn print_json<T: Serialize>(value: &T) -> ExitCode {
    match serde_json::to_string_pretty(value) {
        Ok(text) => {
            println!("{text}");
            ExitCode::SUCCESS
        }
        Err(err) => {
            eprintln!("internal error: could not write JSON: {err}");
            ExitCode::FAILURE
        }
    }
}

/// Prints a failure on stderr in the user's language (or as JSON with `--json`) and
/// returns the failing exit status.
pub fn fail(lang: Lang, json: bool, error: &UserError) -> ExitCode {
    if json {
        let _ = print_json(&serde_json::json!({ "error": error }));
    } else {
        eprintln!("{}", error.render(lang));
    }
    ExitCode::FAILURE
}
