//! `smartdial recall CAMPAIGN`: a new campaign of the people a campaign did not reach, with
//! the variables they were sent and the same task settings, through the same do-not-call
//! list, limits and calling hours as any campaign. Results are refreshed first when stale.

use std::process::ExitCode;
use std::sync::Mutex;

use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::campaign::settings::TaskSettings;
use smartdial_core::campaign::submission::Submission;
use smartdial_core::error_code::ErrorCode;
use smartdial_core::results::recall::{draft_recall, needs_refresh, DEFAULT_OUTCOMES};
use smartdial_core::results::{load_results, CallOutcome, RefreshOptions};
use smartdial_core::text::{echo, Localized, UserError};

use crate::commands::results::{campaign_client, refresh_with};
use crate::commands::screening;
use crate::commands::sending;
use crate::commands::submit::{send_prepared, Origin, SendArgs, SendOptions};
use crate::context::Context;
use crate::output::fail;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The campaign whose people not reached are called again (see `smartdial campaigns`).
    campaign: i64,
    /// Which outcomes to call again, comma-separated (default: noAnswer,busy,poweredOff,
    /// unreachable; may add failed, rejected).
    #[arg(long, value_name = "LIST", value_delimiter = ',')]
    outcome: Vec<String>,
    /// The new campaign's task name (default: the original's with " 重呼N").
    #[arg(long, value_name = "NAME")]
    task_name: Option<String>,
    #[command(flatten)]
    send: SendArgs,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    match recall(ctx, &args) {
        Ok(code) => code,
        Err(e) => fail(ctx.lang, args.send.json, &e),
    }
}

fn outcomes(words: &[String]) -> Result<Vec<CallOutcome>, UserError> {
    if words.is_empty() {
        return Ok(DEFAULT_OUTCOMES.to_vec());
    }
    words
        .iter()
        .map(|w| {
            CallOutcome::parse(w.trim()).ok_or_else(|| {
                UserError::new(
                    ErrorCode::CliBadParam,
                    Localized::new(
                        format!("不认识的通话结果“{}”。", echo(w)),
                        format!("Unknown outcome \"{}\".", echo(w)),
                    ),
                    Localized::new(
                        "可用：noAnswer、busy、poweredOff、unreachable、failed、rejected。",
                        "Use noAnswer, busy, poweredOff, unreachable, failed or rejected.",
                    ),
                )
            })
        })
        .collect()
}

fn recall(ctx: &Context, args: &Args) -> Result<ExitCode, UserError> {
    let lang = ctx.lang;
    let chosen = outcomes(&args.outcome)?;
    let mut config = args.send.pace.check()?;
    let rules = screening::rules(ctx)?;
    config.calling = Some(rules.clone());
    let journal = sending::open_journal(ctx)?;
    let source = journal
        .campaign(args.campaign)
        .map_err(|e| e.to_user_error())?;
    let now = SystemClock.now_ms();
    let results = load_results(&journal, args.campaign, now).map_err(|e| e.to_user_error())?;
    // Calling someone again whose result just came in would be the wrong person.
    let journal = if needs_refresh(&results, now) && !args.send.dry_run {
        if !args.send.json {
            eprintln!(
                "{}",
                Localized::new("先刷新通话结果……", "Refreshing the call results first…").get(lang)
            );
        }
        let client = campaign_client(ctx, &source, args.send.pace.timeout)?;
        let journal = Mutex::new(journal);
        refresh_with(
            ctx,
            &RefreshOptions::default(),
            args.send.json,
            &journal,
            &client,
            args.campaign,
        )?;
        journal.into_inner().unwrap_or_else(|p| p.into_inner())
    } else {
        journal
    };
    let results = load_results(&journal, args.campaign, SystemClock.now_ms())
        .map_err(|e| e.to_user_error())?;
    let mut draft = draft_recall(&journal, &results, &chosen)?;
    let settings = journal
        .settings(args.campaign)
        .map_err(|e| e.to_user_error())?;
    drop(journal);
    screening::screen(ctx, &mut draft.contacts)?;
    let screened = draft.contacts.summary();
    let task = TaskSettings {
        task_name: args.task_name.clone().unwrap_or(draft.task_name.clone()),
        schedule_time_ms: None,
        ..settings
    };
    if !args.send.json {
        let picked: Vec<String> = draft
            .counts
            .by_outcome
            .iter()
            .filter(|o| o.chosen)
            .map(|o| format!("{} {}", o.label.get(lang), o.count))
            .collect();
        eprintln!(
            "{}",
            Localized::new(
                format!(
                    "重呼外呼活动 #{}“{}”：{}；免打扰 {} 人、超过拨打上限 {} 人不拨打。",
                    source.id,
                    echo(&source.task_name),
                    picked.join("，"),
                    screened.do_not_call,
                    screened.over_limit
                ),
                format!(
                    "Recall of campaign #{} \"{}\": {}; {} on the do-not-call list and {} over the limits are left out.",
                    source.id,
                    echo(&source.task_name),
                    picked.join(", "),
                    screened.do_not_call,
                    screened.over_limit
                ),
            )
            .get(lang)
        );
    }
    let submission = Submission::prepare(
        &draft.contacts,
        &task,
        args.send.batch_size,
        &rules,
        SystemClock.now_ms(),
    )
    .map_err(|e| screening::explain_nobody_left(e.to_user_error(), &screened))?;
    drop(draft.contacts);
    let opts = SendOptions::new(&args.send, config, rules);
    send_prepared(ctx, submission, Origin::Recall(&draft.source), opts)
}
