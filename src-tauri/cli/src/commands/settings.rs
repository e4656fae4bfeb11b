//! `smartdial settings get|set KEY [VALUE]`: the calling rules (calling hours and days in
//! China time, per-number limits, the stop margin), in the same settings file the desktop
//! app's settings page writes.

use std::process::ExitCode;

use smartdial_core::compliance::rules::KEYS;
use smartdial_core::settings::Settings;
use smartdial_core::text::{Localized, UserError};

use crate::context::Context;
use crate::output::{fail, print_json};

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    action: Action,
    /// Print JSON on stdout.
    #[arg(long, global = true)]
    json: bool,
}

#[derive(Debug, clap::Subcommand)]
enum Action {
    /// Print one setting, or all of them.
    Get { key: Option<String> },
    /// Change one setting, e.g. `calling-hours 09:00-12:00,14:00-21:00`, `calling-days 1-5`.
    Set { key: String, value: String },
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match settings_command(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.json, &e),
    }
}

fn settings_command(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let path = ctx.paths.settings_file();
    let mut settings = Settings::load(&path)?;
    match &args.action {
        Action::Get { key: Some(key) } => {
            let value = settings.calling.get(key)?;
            if args.json {
                return Ok(print_json(&serde_json::json!({ key.as_str(): value })));
            }
            println!("{value}");
        }
        Action::Get { key: None } => {
            let mut all = serde_json::Map::new();
            for key in KEYS {
                all.insert(key.to_owned(), settings.calling.get(key)?.into());
            }
            if args.json {
                return Ok(print_json(&all));
            }
            for (key, value) in &all {
                println!("{key} = {}", value.as_str().unwrap_or_default());
            }
        }
        Action::Set { key, value } => {
            settings.calling.set(key, value)?;
            settings.save(&path)?;
            let now = settings.calling.get(key)?;
            if args.json {
                return Ok(print_json(&serde_json::json!({ key.as_str(): now })));
            }
            println!(
                "{}",
                Localized::new(
                    format!("已设置 {key} = {now}"),
                    format!("Set {key} = {now}")
                )
                .get(ctx.lang)
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}
