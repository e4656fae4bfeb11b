//! `smartdial`: SmartDial's core from a terminal — profiles, the simulator, signed API calls,
//! sheet checks and campaigns. A thin layer: every rule lives in `smartdial-core`.

mod commands;
mod context;
mod output;

use std::process::ExitCode;

use clap::{Parser, Subcommand};

use crate::context::{Context, GlobalArgs};

#[derive(Debug, Parser)]
#[command(
    name = "smartdial",
    version,
    about = "智能外呼助手 SmartDial — Alibaba Cloud robot outbound calls from a contact sheet"
)]
struct Cli {
    #[command(flatten)]
    global: GlobalArgs,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Read a contact sheet, clean the numbers and report problems.
    Check(commands::check::Args),
    /// Write the contact-sheet template (.xlsx).
    Template(commands::template::Args),
    /// Run a local dyvms simulator (demo mode and tests) until Ctrl-C.
    Simulator(commands::simulator::Args),
    /// Show the version and where data, logs and keys live.
    Info(commands::info::Args),
    /// Manage AccessKey profiles (secrets in the OS keychain).
    Profile(commands::profile::Args),
    /// Send one signed dyvms API call and print the JSON reply.
    Api(commands::api::Args),
    /// Send a campaign: contact sheet → batches → BatchRobotSmartCall, journaled.
    Submit(commands::submit::Args),
    /// Continue an interrupted, paused or stopped campaign.
    Resume(commands::resume::Args),
    /// Never send the batches of a campaign that were not sent yet.
    Cancel(commands::cancel::Args),
    /// List the campaigns in the journal (or one campaign's batches).
    Campaigns(commands::campaigns::Args),
    /// Ask Alibaba Cloud what happened in one task (every call, or one callee's).
    Status(commands::status::Args),
    /// A campaign's call results: counts by outcome and one line per person.
    Results(commands::results::Args),
    /// Write a campaign's results to an Excel file.
    Export(commands::export::Args),
    /// Call again the people a campaign did not reach (重呼), as a new campaign.
    Recall(commands::recall::Args),
    /// The do-not-call list (免打扰名单): add, import, list, remove, export.
    Dnc(commands::dnc::Args),
    /// Calling hours, calling days and per-number limits.
    Settings(commands::settings::Args),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let ctx = Context::new(cli.global);
    ctx.init_logging();
    match cli.command {
        Command::Check(args) => commands::check::run(&ctx, args),
        Command::Template(args) => commands::template::run(&ctx, args),
        Command::Simulator(args) => commands::simulator::run(&ctx, args),
        Command::Info(args) => commands::info::run(&ctx, args),
        Command::Profile(args) => commands::profile::run(&ctx, args),
        Command::Api(args) => commands::api::run(&ctx, args),
        Command::Submit(args) => commands::submit::run(&ctx, args),
        Command::Resume(args) => commands::resume::run(&ctx, args),
        Command::Cancel(args) => commands::cancel::run(&ctx, args),
        Command::Campaigns(args) => commands::campaigns::run(&ctx, args),
        Command::Status(args) => commands::status::run(&ctx, args),
        Command::Results(args) => commands::results::run(&ctx, args),
        Command::Export(args) => commands::export::run(&ctx, args),
        Command::Recall(args) => commands::recall::run(&ctx, args),
        Command::Dnc(args) => commands::dnc::run(&ctx, args),
        Command::Settings(args) => commands::settings::run(&ctx, args),
    }
}
