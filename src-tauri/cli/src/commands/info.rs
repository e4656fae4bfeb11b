//! `smartdial info`: version and folders.

use std::process::ExitCode;

use serde::Serialize;

use crate::context::Context;
use crate::output::print_json;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Print JSON instead of text.
    #[arg(long)]
    json: bool,
}

#[derive(Debug, Serialize)]
struct Info {
    version: &'static str,
    data_dir: String,
    log_dir: String,
    journal: String,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    let info = Info {
        version: env!("CARGO_PKG_VERSION"),
        data_dir: ctx.paths.data_dir.display().to_string(),
        log_dir: ctx.paths.log_dir.display().to_string(),
        journal: ctx.paths.journal_file().display().to_string(),
    };
    if args.json {
        return print_json(&info);
    }
    println!("SmartDial {}", info.version);
    println!("data:    {}", info.data_dir);
    println!("logs:    {}", info.log_dir);
    println!("journal: {}", info.journal);
    ExitCode::SUCCESS
}
