//! `smartdial submit FILE ...`: read a contact sheet, plan the batches, journal the campaign
//! and send it with `BatchRobotSmartCall`.

use std::path::PathBuf;
use std::process::ExitCode;

use serde::Serialize;
use smartdial_core::campaign::engine::EngineConfig;
use smartdial_core::campaign::model::{CampaignSummary, SystemClock, WallClock};
use smartdial_core::campaign::plan::{BatchPlan, TaskSettings};
use smartdial_core::campaign::request::requests;
use smartdial_core::campaign::resume::ResumeChoices;
use smartdial_core::campaign::submission::{Sender, Submission};
use smartdial_core::china_time;
use smartdial_core::compliance::rules::CallingRules;
use smartdial_core::sheet::contacts::ContactList;
use smartdial_core::sheet::import;
use smartdial_core::sheet::mapping::SavedMappings;
use smartdial_core::text::{Lang, Localized, UserError};

use crate::commands::contacts_args::ContactArgs;
use crate::commands::screening;
use crate::commands::sending::{self, PaceArgs};
use crate::context::Context;
use crate::output::{fail, print_json};
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
#[command(group(clap::ArgGroup::new("line").required(true).args(["corp_name", "self_line"])))]
pub struct Args {
    /// The contact file (.xlsx .xlsm .xlsb .xls .ods .csv .txt).
    file: PathBuf,
    /// The robot script (DialogId) from the console.
    #[arg(long, value_name = "ID")]
    dialog_id: String,
    /// Caller number(s) shown to the people called (CalledShowNumber); comma-separated or
    /// repeated.
    #[arg(
        long = "caller",
        value_name = "N[,N...]",
        value_delimiter = ',',
        required = true
    )]
    callers: Vec<String>,
    /// Company name (CorpName); required unless --self-line.
    #[arg(long, value_name = "NAME")]
    corp_name: Option<String>,
    /// Calls go out on your own line (IsSelfLine).
    #[arg(long)]
    self_line: bool,
    /// Task name (batches get " (i/n)" appended).
    #[arg(long, value_name = "NAME")]
    task_name: String,
    #[command(flatten)]
    contacts: ContactArgs,
    /// Call at this time instead of now: "YYYY-MM-DD HH:MM" in China time (Asia/Shanghai),
    /// or with an explicit offset ("2026-12-07 10:00 +08:00").
    #[arg(long, value_name = "YYYY-MM-DD HH:MM")]
    schedule: Option<String>,
    /// Early-media speech recognition (EarlyMediaAsr).
    #[arg(long)]
    early_media_asr: bool,
    #[command(flatten)]
    send: SendArgs,
}

/// How `submit` and `recall` send: batch size, pace, dry run, confirmation, output.
#[derive(Debug, clap::Args)]
pub struct SendArgs {
    /// Numbers per request, 1 to 1000.
    #[arg(long, value_name = "N", default_value_t = 1000)]
    pub batch_size: usize,
    #[command(flatten)]
    pub pace: PaceArgs,
    /// Print the plan and every batch's exact parameters; send nothing.
    #[arg(long)]
    pub dry_run: bool,
    /// Do not ask for confirmation.
    #[arg(long)]
    pub yes: bool,
    /// Print JSON on stdout.
    #[arg(long)]
    pub json: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match submit(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.send.json, &e),
    }
}

/// A schedule as typed: China time (where the calls happen) unless it names an offset,
/// e.g. `2026-12-07 10:00` or `2026-12-07 10:00 +08:00`.
pub fn parse_schedule(text: &str) -> Result<i64, UserError> {
    china_time::parse_schedule(text).map_err(|e| {
        UserError::new(
            ErrorCode::CliBadSchedule,
            e.message(),
            Localized::new(
                "例如 --schedule \"2026-12-07 10:00\"（北京时间）。",
                "For example --schedule \"2026-12-07 10:00\" (China time).",
            ),
        )
    })
}

fn read_contacts(ctx: &Context, args: &Args) -> Result<ContactList, UserError> {
    let options = args.contacts.import_options()?;
    // Saved mappings only help; an unreadable file must not block sending.
    let saved = SavedMappings::load(&ctx.paths.mappings_file()).ok();
    Ok(import(&args.file, &options, saved.as_ref())?.contacts)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DryRunBatch {
    index: usize,
    task_name: String,
    numbers: usize,
    source_rows: Vec<u32>,
    /// The request parameters exactly as they are signed and sent (without the common
    /// ones: Action, AccessKeyId, Signature...).
    params: std::collections::BTreeMap<String, String>,
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct DryRun<'a> {
    file: String,
    settings: TaskSettings,
    total_numbers: usize,
    skipped_rows: usize,
    batches: DryRunBatches<'a>,
}

/// Every batch of the plan as the dry run shows it, built one at a time as it is printed.
#[derive(Debug)]
struct DryRunBatches<'a>(&'a BatchPlan);

impl DryRunBatches<'_> {
    fn len(&self) -> usize {
        self.0.batches().len()
    }

    fn iter(&self) -> impl Iterator<Item = DryRunBatch> + '_ {
        requests(self.0).map(|(b, r)| DryRunBatch {
            index: b.index,
            task_name: b.task_name.clone(),
            numbers: b.called_numbers.len(),
            source_rows: b.source_rows.clone(),
            params: r.to_params(),
        })
    }
}

impl Serialize for DryRunBatches<'_> {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.collect_seq(self.iter())
    }
}

fn submit(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let mut config = args.send.pace.check()?;
    let schedule_time_ms = args.schedule.as_deref().map(parse_schedule).transpose()?;
    let settings = TaskSettings {
        dialog_id: args.dialog_id.trim().to_owned(),
        caller_numbers: args
            .callers
            .iter()
            .map(|c| c.trim().to_owned())
            .filter(|c| !c.is_empty())
            .collect(),
        corp_name: args.corp_name.clone(),
        is_self_line: args.self_line,
        early_media_asr: args.early_media_asr,
        schedule_time_ms,
        task_name: args.task_name.clone(),
    };
    let now = SystemClock.now_ms();
    let rules = screening::rules(ctx)?;
    config.calling = Some(rules.clone());
    // Before reading a sheet that may be large; `prepare` checks them again.
    settings.check_schedule(now)?;
    if let Some(at) = schedule_time_ms {
        rules.check_schedule(at)?;
    }
    let mut list = read_contacts(ctx, args)?;
    if !args.send.json {
        // Which sheet was read and why, and anything odd about it, before anyone is called.
        for n in &list.sheet().notices {
            let mark = if n.is_informational() { "·" } else { "!" };
            eprintln!("{mark} {} [{}]", n.message.get(ctx.lang), n.code);
        }
    }
    screening::screen(ctx, &mut list)?;
    let screened = list.summary();
    let submission = Submission::prepare(&list, &settings, args.send.batch_size, &rules, now)
        .map_err(|e| screening::explain_nobody_left(e.to_user_error(), &screened))?;
    // The plan holds what sending needs; the sheet is as big again.
    drop(list);
    let opts = SendOptions::new(&args.send, config, rules);
    send_prepared(ctx, submission, Origin::File(&args.file), opts)
}

/// Where a campaign's people come from.
pub enum Origin<'a> {
    File(&'a std::path::Path),
    /// A recall of this campaign's people.
    Recall(&'a CampaignSummary),
}

/// How to finish a prepared campaign.
pub struct SendOptions {
    pub dry_run: bool,
    pub yes: bool,
    pub json: bool,
    pub timeout: u64,
    pub config: EngineConfig,
    pub rules: CallingRules,
}

impl SendOptions {
    pub fn new(args: &SendArgs, config: EngineConfig, rules: CallingRules) -> Self {
        SendOptions {
            dry_run: args.dry_run,
            yes: args.yes,
            json: args.json,
            timeout: args.pace.timeout,
            config,
            rules,
        }
    }
}

/// After `Submission::prepare`: print the dry run, or confirm, journal (screening again in
/// the same transaction) and send. `submit` and `recall` both end here.
pub fn send_prepared(
    ctx: &Context,
    submission: Submission,
    origin: Origin<'_>,
    opts: SendOptions,
) -> Result<ExitCode, UserError> {
    let lang = ctx.lang;
    let plan = submission.plan();
    let campaign_settings = plan.settings().clone();
    let schedule_time_ms = campaign_settings.schedule_time_ms;

    if opts.dry_run {
        let file = match origin {
            Origin::File(path) => path.display().to_string(),
            Origin::Recall(source) => format!("#{}", source.id),
        };
        let dry = DryRun {
            file,
            settings: campaign_settings,
            total_numbers: plan.total_numbers(),
            skipped_rows: plan.skipped_rows(),
            batches: DryRunBatches(plan),
        };
        if opts.json {
            return Ok(print_json(&dry));
        }
        print_dry_run(lang, &dry);
        return Ok(ExitCode::SUCCESS);
    }

    let (profile, credentials) = sending::credentials(ctx, ctx.global.profile.as_deref())?;
    let endpoint = sending::endpoint(ctx, None);
    let client = sending::client(&endpoint, credentials, opts.timeout)?;
    let people = plan.total_numbers();
    let batches = plan.batches().len();
    let sender = Sender { profile, endpoint };
    let new = match origin {
        Origin::File(path) => submission.into_campaign(path, sender)?,
        Origin::Recall(source) => submission.into_recall_campaign(source, sender),
    };
    let mut journal = sending::open_journal(ctx)?;
    let callers = campaign_settings.caller_numbers.join(",");
    let when = schedule_time_ms.map(china_time::describe);
    let when_zh = when
        .as_ref()
        .map(|w| format!("，预约在 {} 拨打", w.zh_cn))
        .unwrap_or_default();
    let when_en = when
        .as_ref()
        .map(|w| format!(", scheduled for {}", w.en))
        .unwrap_or_default();
    sending::confirm(
        lang,
        opts.yes,
        &Localized::new(
            format!(
                "将给 {people} 人打电话（{batches} 批，机器人 {}，主叫 {callers}{when_zh}）。",
                campaign_settings.dialog_id
            ),
            format!(
                "This will call {people} people ({batches} batches, robot {}, caller {callers}{when_en}).",
                campaign_settings.dialog_id
            ),
        ),
    )?;
    let id = journal
        // Screens again in the same transaction: nobody called meanwhile goes out twice.
        .create_campaign(&new, Some(&opts.rules), SystemClock.now_ms())
        .map_err(|e| e.to_user_error())?;
    // The engine reads the batches from the journal; sending can take hours.
    drop(new);
    if !opts.json {
        eprintln!(
            "{}",
            Localized::new(
                format!("已记录为外呼活动 #{id}，开始发送。"),
                format!("Recorded as campaign #{id}; sending."),
            )
            .get(lang)
        );
    }
    Ok(sending::run_campaign(
        ctx,
        journal,
        client,
        id,
        ResumeChoices::default(),
        opts.config,
        opts.json,
    ))
}

fn print_dry_run(lang: Lang, dry: &DryRun<'_>) {
    let (file, people, batches, skipped) = (
        &dry.file,
        dry.total_numbers,
        dry.batches.len(),
        dry.skipped_rows,
    );
    println!(
        "{}",
        Localized::new(
            format!("试运行（不发送）：{file} · 共 {people} 人，{batches} 批（{batches} 次接口调用），跳过 {skipped} 行"),
            format!("Dry run (nothing sent): {file} · {people} people in {batches} batches ({batches} API calls), {skipped} rows skipped"),
        )
        .get(lang)
    );
    for b in dry.batches.iter() {
        let (n, name, people) = (b.index + 1, &b.task_name, b.numbers);
        println!(
            "\n{}",
            Localized::new(
                format!("第 {n} 批：{name}，{people} 人"),
                format!("Batch {n}: {name}, {people} people"),
            )
            .get(lang)
        );
        for (k, v) in &b.params {
            println!("  {k}={v}");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn schedule_is_china_time_unless_an_offset_is_given() {
        let ms = parse_schedule("2030-01-02 09:30").unwrap();
        assert_eq!(china_time::format(ms), "2030-01-02 09:30");
        assert_eq!(parse_schedule("2030-01-02 02:30 +01:00").unwrap(), ms);
        assert_eq!(ms % 60_000, 0);
        assert_eq!(
            parse_schedule("tomorrow").unwrap_err().code,
            "cli.bad_schedule"
        );
    }
}
