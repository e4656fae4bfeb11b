//! Recall (重呼): a new campaign of the people a campaign did not reach, with the variables
//! they were sent and the same task settings. The draft is an ordinary contact list, so a
//! recall goes through the same review, do-not-call list, limits and calling hours as any
//! campaign.

use serde::{Deserialize, Serialize};

use super::model::CampaignResults;
use super::outcome::CallOutcome;
use crate::campaign::journal::Journal;
use crate::campaign::model::CampaignSummary;
use crate::error_code::ErrorCode;
use crate::sheet::contacts::{ContactList, ValidationOptions};
use crate::sheet::SheetError;
use crate::text::{Localized, UserError};

/// Outcomes where calling again makes sense; the default selection.
pub const DEFAULT_OUTCOMES: [CallOutcome; 4] = [
    CallOutcome::NoAnswer,
    CallOutcome::Busy,
    CallOutcome::PoweredOff,
    CallOutcome::Unreachable,
];

/// Outcomes a marketer may add by choice: the call did not go through for a reason the
/// network gave (`failed`), or the line refused it (`rejected`, which can also be the
/// person declining: off by default).
pub const OPTIONAL_OUTCOMES: [CallOutcome; 2] = [CallOutcome::Failed, CallOutcome::Rejected];

/// Results older than this are refreshed before a recall is drafted.
pub const STALE_AFTER_MS: i64 = 10 * 60 * 1000;

/// Whether people with `outcome` may be recalled at all. Never: those who answered, and
/// vacant or suspended numbers; not yet: people whose result is still pending or whose batch
/// was not sent (resume that campaign instead).
pub fn may_recall(outcome: CallOutcome) -> bool {
    DEFAULT_OUTCOMES.contains(&outcome) || OPTIONAL_OUTCOMES.contains(&outcome)
}

/// The results should be refreshed before a recall: someone's result can still change, or
/// the last refresh is older than [`STALE_AFTER_MS`] (or never happened).
pub fn needs_refresh(results: &CampaignResults, now_ms: i64) -> bool {
    results.pending > 0
        || results
            .last_fetched_at_ms
            .is_none_or(|at| now_ms - at > STALE_AFTER_MS)
}

/// Who a recall calls and why the others are left out.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RecallCounts {
    /// Selected by outcome.
    pub selected: u32,
    /// Per outcome of the source campaign, how many people had it and whether it was chosen.
    pub by_outcome: Vec<RecallOutcome>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct RecallOutcome {
    pub outcome: CallOutcome,
    pub label: Localized,
    pub count: u32,
    pub chosen: bool,
    /// Whether this outcome can be chosen at all.
    pub allowed: bool,
}

/// A recall before review: the people, their variables and the suggested task name.
#[derive(Debug)]
pub struct RecallDraft {
    pub source: CampaignSummary,
    /// `双十二回访 重呼1`: the source's name without an earlier recall suffix, numbered on.
    pub task_name: String,
    pub contacts: ContactList,
    pub counts: RecallCounts,
}

/// The outcomes a recall dialog lists (those someone had, and every recallable one), with
/// how many people had each and whether it is chosen.
pub fn outcome_choices(results: &CampaignResults, chosen: &[CallOutcome]) -> Vec<RecallOutcome> {
    results
        .counts
        .iter()
        .filter(|c| c.count > 0 || may_recall(c.outcome))
        .map(|c| RecallOutcome {
            outcome: c.outcome,
            label: c.label.clone(),
            count: c.count,
            chosen: chosen.contains(&c.outcome),
            allowed: may_recall(c.outcome),
        })
        .collect()
}

/// The suffix a recall's task name carries.
pub const RECALL_SUFFIX: &str = " 重呼";

/// Drafts a recall of the people in `results` whose outcome is one of `outcomes`.
pub fn draft_recall(
    journal: &Journal,
    results: &CampaignResults,
    outcomes: &[CallOutcome],
) -> Result<RecallDraft, UserError> {
    if let Some(bad) = outcomes.iter().find(|o| !may_recall(**o)) {
        return Err(not_recallable(*bad));
    }
    let by_outcome = outcome_choices(results, outcomes);
    let names = &results.variable_names;
    let rows: Vec<Vec<String>> = results
        .people
        .iter()
        .filter(|p| outcomes.contains(&p.outcome))
        .map(|p| {
            let mut row = Vec::with_capacity(names.len() + 1);
            row.push(p.number.clone());
            row.extend(names.iter().map(|n| {
                p.variables
                    .iter()
                    .find(|v| &v.name == n)
                    .map(|v| v.value.clone())
                    .unwrap_or_default()
            }));
            row
        })
        .collect();
    if rows.is_empty() {
        return Err(nobody_to_recall(&results.campaign, outcomes));
    }
    let selected = rows.len() as u32;
    // The values were accepted once: an empty one was allowed then, so it is now.
    let options = ValidationOptions {
        allow_empty_variables: true,
        ..ValidationOptions::default()
    };
    let contacts =
        ContactList::from_rows(names, rows, options).map_err(|e: SheetError| e.to_user_error())?;
    let task_name = next_recall_name(journal, &results.campaign.task_name)?;
    Ok(RecallDraft {
        source: results.campaign.clone(),
        task_name,
        contacts,
        counts: RecallCounts {
            selected,
            by_outcome,
        },
    })
}

/// `X 重呼N` with N one more than any recall of `X` in the journal.
fn next_recall_name(journal: &Journal, task_name: &str) -> Result<String, UserError> {
    let base = base_name(task_name);
    let prefix = format!("{base}{RECALL_SUFFIX}");
    let highest = journal
        .campaigns()
        .map_err(|e| e.to_user_error())?
        .iter()
        .filter_map(|c| c.task_name.strip_prefix(&prefix))
        .filter_map(|n| n.parse::<u32>().ok())
        .max()
        .unwrap_or(0);
    Ok(format!("{prefix}{}", highest + 1))
}

/// The name without a trailing ` 重呼N`.
fn base_name(task_name: &str) -> &str {
    match task_name.rsplit_once(RECALL_SUFFIX) {
        Some((base, n)) if !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()) => base,
        _ => task_name,
    }
}

fn not_recallable(outcome: CallOutcome) -> UserError {
    let label = outcome.label();
    UserError::new(
        ErrorCode::RecallOutcomeNotAllowed,
        Localized::new(
            format!("“{}”的人不能重呼。", label.zh_cn),
            format!("People with the outcome \"{}\" cannot be recalled.", label.en),
        ),
        Localized::new(
            "已接通的人和空号、停机的号码不会再打；还没有结果或没有发出的，请先刷新结果或继续发送原来的活动。",
            "People who answered and vacant or suspended numbers are never called again; for people without a result yet or never sent, refresh the results or resume the original campaign.",
        ),
    )
}

fn nobody_to_recall(campaign: &CampaignSummary, outcomes: &[CallOutcome]) -> UserError {
    let zh: Vec<String> = outcomes.iter().map(|o| o.label().zh_cn).collect();
    let en: Vec<String> = outcomes.iter().map(|o| o.label().en).collect();
    UserError::new(
        ErrorCode::RecallNobody,
        Localized::new(
            format!(
                "外呼活动 #{} 中没有“{}”的人，不需要重呼。",
                campaign.id,
                zh.join("、")
            ),
            format!(
                "Nobody in campaign #{} had the outcome {}: there is no one to recall.",
                campaign.id,
                en.join(", ")
            ),
        ),
        Localized::new(
            "如果结果还在更新，请稍后刷新结果再试。",
            "If results are still coming in, refresh them later and try again.",
        ),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::compliance::dnc::{self, DncSource};
    use crate::compliance::rules::CallingRules;
    use crate::compliance::screen::screen_contacts;
    use crate::compliance::screen::tests::{n, open, result, sent, HOUR, T0};
    use crate::results::load_results;
    use crate::sheet::contacts::ContactStatus;

    #[test]
    fn a_recall_takes_the_people_not_reached_with_their_variables() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut j = open(&dir);
        let id = sent(&mut j, "robot-A", 5, 0, T0);
        let outcomes = [
            CallOutcome::Answered,
            CallOutcome::NoAnswer,
            CallOutcome::Busy,
            CallOutcome::InvalidNumber,
            CallOutcome::PoweredOff,
        ];
        for (i, o) in outcomes.iter().enumerate() {
            result(&j, id, i as u32, &n(i as u64 + 1), *o);
        }
        let results = load_results(&j, id, T0 + HOUR).expect("results");
        let draft = draft_recall(&j, &results, &DEFAULT_OUTCOMES).expect("draft");
        assert_eq!(draft.counts.selected, 3);
        assert_eq!(draft.task_name, "双十一回访 重呼1");
        let people: Vec<(String, Vec<String>)> = draft
            .contacts
            .sendable()
            .map(|c| (c.number, c.values.iter().map(|v| v.to_string()).collect()))
            .collect();
        assert_eq!(
            people,
            [
                (n(2), vec!["b0".to_owned()]),
                (n(3), vec!["b0".to_owned()]),
                (n(5), vec!["b0".to_owned()])
            ]
        );
        assert_eq!(draft.contacts.variable_names(), ["name"]);
        let answered = draft_recall(&j, &results, &[CallOutcome::Answered]).expect_err("never");
        assert_eq!(answered.code, ErrorCode::RecallOutcomeNotAllowed);
        let nobody = draft_recall(&j, &results, &[CallOutcome::Unreachable]).expect_err("none");
        assert_eq!(nobody.code, ErrorCode::RecallNobody);
    }

    #[test]
    fn a_recall_honours_the_do_not_call_list_and_the_limits() {
        let dir = tempfile::tempdir().expect("tempdir");
        let mut j = open(&dir);
        let id = sent(&mut j, "robot-A", 3, 0, T0);
        for i in 0..3u32 {
            result(&j, id, i, &n(u64::from(i) + 1), CallOutcome::NoAnswer);
        }
        dnc::add(
            &mut j,
            [n(2).as_str()],
            Some("refused"),
            DncSource::Results,
            T0,
        )
        .expect("dnc");
        let results = load_results(&j, id, T0 + HOUR).expect("results");
        assert!(
            needs_refresh(&results, T0 + HOUR),
            "fetched at T0, an hour ago"
        );
        let mut draft = draft_recall(&j, &results, &DEFAULT_OUTCOMES).expect("draft");
        let rules = CallingRules {
            max_attempts_per_day: 1,
            ..CallingRules::default()
        };
        screen_contacts(&j, &mut draft.contacts, &rules, T0 + HOUR).expect("screen");
        let s = draft.contacts.summary();
        assert_eq!(
            (s.do_not_call, s.over_limit, s.sendable),
            (1, 2, 0),
            "{s:?}"
        );
        screen_contacts(&j, &mut draft.contacts, &CallingRules::default(), T0 + HOUR)
            .expect("screen");
        let statuses: Vec<ContactStatus> = draft
            .contacts
            .page(0, 10, Default::default())
            .rows
            .iter()
            .map(|r| r.status)
            .collect();
        assert_eq!(
            statuses,
            [
                ContactStatus::Valid,
                ContactStatus::DoNotCall,
                ContactStatus::Valid
            ]
        );
        let mut earlier = crate::campaign::tests::campaign_with("robot-A", 1, 1, 100);
        earlier.settings.task_name = "双十一回访 重呼1".into();
        j.create_campaign(&earlier, None, T0)
            .expect("an earlier recall");
        let again = draft_recall(&j, &results, &DEFAULT_OUTCOMES).expect("draft");
        assert_eq!(again.task_name, "双十一回访 重呼2");
    }

    #[test]
    fn only_people_not_reached_may_be_recalled() {
        for o in CallOutcome::ALL {
            let expected = !matches!(
                o,
                CallOutcome::Answered
                    | CallOutcome::InvalidNumber
                    | CallOutcome::Pending
                    | CallOutcome::NotSent
                    | CallOutcome::Untracked
            );
            assert_eq!(may_recall(o), expected, "{o:?}");
        }
    }

    #[test]
    fn recall_names_count_on_from_the_original() {
        assert_eq!(base_name("双十二回访"), "双十二回访");
        assert_eq!(base_name("双十二回访 重呼1"), "双十二回访");
        assert_eq!(base_name("双十二回访 重呼12"), "双十二回访");
        assert_eq!(base_name("回访 重呼 计划"), "回访 重呼 计划");
    }
}
