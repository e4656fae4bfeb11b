//! What a call result is: one record as read from the API, one person's row as the results
//! view and the export show it, and the per-campaign summary.

use serde::{Deserialize, Serialize};

use super::outcome::{classify, hangup_note, read_hangup, CallOutcome, HangupReading};
use crate::aliyun::tasks::RobotTaskCall;
use crate::aliyun::CallDetail;
use crate::campaign::model::CampaignSummary;
use crate::text::Localized;

/// How long a recording link lives when the URL does not say (documented: 48 hours).
pub const RECORDING_LINK_LIFETIME_MS: i64 = 48 * 3600 * 1000;

/// Which API a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum RecordSource {
    /// `QueryCallDetailByTaskId` (per callee and day).
    CallDetail,
    /// `QueryRobotTaskCallList` (a page of a task's calls; has no recording link).
    TaskCallList,
}

impl RecordSource {
    pub fn as_str(self) -> &'static str {
        match self {
            RecordSource::CallDetail => "callDetail",
            RecordSource::TaskCallList => "taskCallList",
        }
    }

    pub fn parse(word: &str) -> Option<RecordSource> {
        match word {
            "callDetail" => Some(RecordSource::CallDetail),
            "taskCallList" => Some(RecordSource::TaskCallList),
            _ => None,
        }
    }
}

/// One call record, normalised from whichever API answered.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CallRecord {
    pub status_code: Option<String>,
    pub state_desc: Option<String>,
    pub outcome: CallOutcome,
    /// Billed seconds.
    pub duration_secs: Option<i64>,
    /// `hangupDirection` exactly as the API sent it.
    pub hangup_raw: Option<String>,
    /// Our reading of it (the docs contradict themselves; see [`hangup_note`]).
    pub hangup: HangupReading,
    pub dialog_count: Option<i64>,
    pub tags: Vec<String>,
    pub call_id: Option<String>,
    /// When the call was placed or answered, `yyyy-MM-dd HH:mm:ss` China time as the API says.
    pub call_time: Option<String>,
    pub ended_at: Option<String>,
    pub record_url: Option<String>,
    /// When the recording link stops working (Unix ms).
    pub record_expires_at_ms: Option<i64>,
    pub source: RecordSource,
    pub raw: serde_json::Value,
}

impl CallRecord {
    /// From `QueryCallDetailByTaskId`, fetched at `fetched_at_ms`.
    pub fn from_call_detail(d: &CallDetail, fetched_at_ms: i64) -> CallRecord {
        let record_url = d.record_file.clone().filter(|u| !u.trim().is_empty());
        CallRecord {
            status_code: d.status_code.clone(),
            state_desc: d.state_desc.clone(),
            outcome: classify(d.status_code.as_deref(), d.state_desc.as_deref()),
            duration_secs: d.duration,
            hangup_raw: d.hangup_direction.clone(),
            hangup: read_hangup(d.hangup_direction.as_deref()),
            dialog_count: d.dialog_count,
            tags: split_tags(d.tags.as_deref()),
            call_id: d.call_id.clone(),
            call_time: d.start_date.clone().or_else(|| d.gmt_create.clone()),
            ended_at: d.end_date.clone(),
            record_expires_at_ms: record_url
                .as_deref()
                .map(|u| recording_expiry(u, fetched_at_ms)),
            record_url,
            source: RecordSource::CallDetail,
            raw: d.raw.clone(),
        }
    }

    /// From a `QueryRobotTaskCallList` / `QueryRobotTaskCallDetail` row.
    pub fn from_task_call(r: &RobotTaskCall, fetched_at_ms: i64) -> CallRecord {
        let record_url = r.record_file.clone().filter(|u| !u.trim().is_empty());
        CallRecord {
            status_code: r.call_result.clone(),
            state_desc: None,
            outcome: classify(r.call_result.as_deref(), None),
            duration_secs: r.duration,
            hangup_raw: r.hangup_direction.clone(),
            hangup: read_hangup(r.hangup_direction.as_deref()),
            dialog_count: r.dialog_count,
            tags: split_tags(r.label.as_deref()),
            call_id: r.call_id.clone(),
            call_time: r.call_start_time.clone(),
            ended_at: r.call_end_time.clone(),
            record_expires_at_ms: record_url
                .as_deref()
                .map(|u| recording_expiry(u, fetched_at_ms)),
            record_url,
            source: RecordSource::TaskCallList,
            raw: r.raw.clone(),
        }
    }
}

fn split_tags(tags: Option<&str>) -> Vec<String> {
    tags.unwrap_or_default()
        .split([',', '，', ';', '；'])
        .map(str::trim)
        .filter(|t| !t.is_empty())
        .map(str::to_owned)
        .collect()
}

/// When a recording link expires: its `Expires` query parameter (Unix seconds, as OSS signed
/// URLs carry) if present, else 48 hours after it was fetched.
pub fn recording_expiry(url: &str, fetched_at_ms: i64) -> i64 {
    let expires = url.split_once('?').and_then(|(_, query)| {
        query.split('&').find_map(|pair| {
            let (k, v) = pair.split_once('=')?;
            k.eq_ignore_ascii_case("Expires")
                .then(|| v.trim().parse::<i64>().ok())
                .flatten()
        })
    });
    match expires {
        Some(secs) if secs > 0 => secs.saturating_mul(1000),
        _ => fetched_at_ms.saturating_add(RECORDING_LINK_LIFETIME_MS),
    }
}

/// Who spoke in a turn of the conversation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub enum Speaker {
    Robot,
    Customer,
    /// A role the API named otherwise (kept in `role`).
    Other,
}

impl Speaker {
    pub fn label(self) -> Localized {
        match self {
            Speaker::Robot => Localized::new("机器人", "Robot"),
            Speaker::Customer => Localized::new("客户", "Customer"),
            Speaker::Other => Localized::new("其他", "Other"),
        }
    }
}

/// One turn of a call's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct DialogTurn {
    pub speaker: Speaker,
    /// The role as the API wrote it.
    pub role: String,
    pub content: String,
    /// When the turn started, as the API wrote it (China time).
    pub time: Option<String>,
}

/// The conversation in a call record's `dialogDetail` (an array, or the same array as a JSON
/// string; the time is `time` or `speakTime` depending on the API).
pub fn transcript(raw: &serde_json::Value) -> Vec<DialogTurn> {
    let detail = raw.get("dialogDetail").or_else(|| raw.get("DialogDetail"));
    let parsed;
    let turns = match detail {
        Some(serde_json::Value::Array(a)) => a,
        Some(serde_json::Value::String(s)) => {
            parsed = serde_json::from_str::<Vec<serde_json::Value>>(s).unwrap_or_default();
            &parsed
        }
        _ => return Vec::new(),
    };
    let text = |v: &serde_json::Value, keys: &[&str]| {
        keys.iter().find_map(|k| match v.get(*k) {
            Some(serde_json::Value::String(s)) => Some(s.clone()),
            Some(serde_json::Value::Number(n)) => Some(n.to_string()),
            _ => None,
        })
    };
    turns
        .iter()
        .filter_map(|t| {
            let content = text(t, &["content", "Content"])?;
            let role = text(t, &["role", "Role"]).unwrap_or_default();
            let speaker = match role.to_ascii_lowercase().as_str() {
                "robot" | "bot" | "ai" | "机器人" => Speaker::Robot,
                "user" | "customer" | "callee" | "human" | "客户" => Speaker::Customer,
                _ => Speaker::Other,
            };
            Some(DialogTurn {
                speaker,
                role,
                content,
                time: text(t, &["time", "speakTime", "Time"]),
            })
        })
        .collect()
}

/// The conversation as lines of text (`机器人 10:00:01：您好`), for reports.
pub fn transcript_text(turns: &[DialogTurn], lang: crate::text::Lang) -> String {
    turns
        .iter()
        .map(|t| {
            let who = match t.speaker {
                Speaker::Other if !t.role.is_empty() => t.role.clone(),
                s => s.label().get(lang).to_owned(),
            };
            let at = t
                .time
                .as_deref()
                .and_then(|s| s.split(' ').nth(1))
                .map(|hms| format!(" {hms}"))
                .unwrap_or_default();
            let colon = if lang == crate::text::Lang::ZhCn {
                "："
            } else {
                ": "
            };
            format!("{who}{at}{colon}{}", t.content)
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// One template variable a person was sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct Variable {
    pub name: String,
    pub value: String,
}

/// One person of a campaign and what happened on their call: a row of the results table.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct PersonResult {
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub campaign_id: i64,
    /// 0-based batch index.
    pub batch_index: u32,
    /// 0-based position in the batch's numbers.
    pub position: u32,
    pub task_id: Option<String>,
    pub number: String,
    /// 1-based row of the imported sheet.
    pub source_row: Option<u32>,
    /// The template variables sent for this number (from TtsParam).
    pub variables: Vec<Variable>,
    pub outcome: CallOutcome,
    pub outcome_label: Localized,
    pub status_code: Option<String>,
    pub state_desc: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub duration_secs: Option<i64>,
    pub hangup_raw: Option<String>,
    pub hangup: HangupReading,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub dialog_count: Option<i64>,
    pub tags: Vec<String>,
    pub call_id: Option<String>,
    /// As the API wrote it (China wall time, its own format). Show the `_ms` instant
    /// below instead, on the one clock (China time named, the local time beside it).
    pub call_time: Option<String>,
    pub ended_at: Option<String>,
    /// The call time as Unix ms, when it reads as a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub call_time_ms: Option<i64>,
    /// The end time as Unix ms, when it reads as a time.
    #[serde(skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "ts", ts(optional, type = "number"))]
    pub ended_at_ms: Option<i64>,
    pub record_url: Option<String>,
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub record_expires_at_ms: Option<i64>,
    /// The recording link exists and has not expired (at the time the results were loaded).
    pub recording_available: bool,
    pub source: Option<RecordSource>,
    /// When the result was last asked for; `None` = never.
    #[cfg_attr(feature = "ts", ts(type = "number | null"))]
    pub fetched_at_ms: Option<i64>,
    /// What was said, turn by turn (from `dialogDetail`; empty without one).
    pub transcript: Vec<DialogTurn>,
    /// The archived recording, relative to the data folder; `None` until archived.
    pub recording_path: Option<String>,
}

/// The lower-cased words of a search (a person must match every one); none for blank text.
fn search_words(search: Option<&str>) -> Vec<String> {
    search
        .unwrap_or_default()
        .split_whitespace()
        .map(str::to_lowercase)
        .collect()
}

impl PersonResult {
    /// Every word is in the number, a variable's value, a tag or what was said on the call.
    fn matches(&self, words: &[String]) -> bool {
        let mut haystack = self.number.to_lowercase();
        let mut add = |text: &str| {
            haystack.push('\n');
            haystack.push_str(&text.to_lowercase());
        };
        for v in &self.variables {
            add(&v.value);
        }
        for t in &self.tags {
            add(t);
        }
        for turn in &self.transcript {
            add(&turn.content);
        }
        words.iter().all(|w| haystack.contains(w.as_str()))
    }
}

/// How many people had one outcome.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct OutcomeCount {
    pub outcome: CallOutcome,
    pub label: Localized,
    pub count: u32,
}

/// Counts for every outcome in [`CallOutcome::ALL`] order (zeros included, so a chart has
/// stable slots).
pub fn count_outcomes<'a>(people: impl IntoIterator<Item = &'a PersonResult>) -> Vec<OutcomeCount> {
    let mut counts: Vec<OutcomeCount> = CallOutcome::ALL
        .iter()
        .map(|o| OutcomeCount {
            outcome: *o,
            label: o.label(),
            count: 0,
        })
        .collect();
    for p in people {
        if let Some(slot) = counts.iter_mut().find(|c| c.outcome == p.outcome) {
            slot.count += 1;
        }
    }
    counts
}

/// A campaign's results: the results view and the export read this.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct CampaignResults {
    pub campaign: CampaignSummary,
    pub people: Vec<PersonResult>,
    pub counts: Vec<OutcomeCount>,
    /// Template variable names (TtsParamHead) in sheet order, union over batches.
    pub variable_names: Vec<String>,
    /// People whose result can still change (`pending`).
    pub pending: u32,
    /// The most recent fetch of any person; `None` = never refreshed.
    pub last_fetched_at_ms: Option<i64>,
    /// Shown next to the hang-up column.
    pub hangup_note: Localized,
}

/// One page of the per-person table, filtered by outcome.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ResultsPage {
    /// People matching the filter.
    pub total: u32,
    pub offset: u32,
    pub people: Vec<PersonResult>,
}

impl CampaignResults {
    /// The most people one page holds, whatever is asked for.
    pub const MAX_PAGE: usize = 1000;

    /// The people with `outcome` (everyone for `None`) who match `search`, from `offset`, at
    /// most `limit` of them (and at most [`Self::MAX_PAGE`]).
    pub fn into_page(
        self,
        outcome: Option<CallOutcome>,
        search: Option<&str>,
        offset: usize,
        limit: usize,
    ) -> ResultsPage {
        let words = search_words(search);
        let matching: Vec<PersonResult> = self
            .people
            .into_iter()
            .filter(|p| outcome.is_none_or(|o| p.outcome == o))
            .filter(|p| words.is_empty() || p.matches(&words))
            .collect();
        let total = matching.len() as u32;
        let people = matching
            .into_iter()
            .skip(offset)
            .take(limit.min(Self::MAX_PAGE))
            .collect();
        ResultsPage {
            total,
            offset: offset as u32,
            people,
        }
    }

    pub(crate) fn new(
        campaign: CampaignSummary,
        people: Vec<PersonResult>,
        variable_names: Vec<String>,
    ) -> Self {
        let counts = count_outcomes(&people);
        let pending = people
            .iter()
            .filter(|p| p.outcome == CallOutcome::Pending)
            .count() as u32;
        let last_fetched_at_ms = people.iter().filter_map(|p| p.fetched_at_ms).max();
        CampaignResults {
            campaign,
            people,
            counts,
            variable_names,
            pending,
            last_fetched_at_ms,
            hangup_note: hangup_note(),
        }
    }

    /// The count for one outcome.
    pub fn count(&self, outcome: CallOutcome) -> u32 {
        self.counts
            .iter()
            .find(|c| c.outcome == outcome)
            .map(|c| c.count)
            .unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn expiry_comes_from_the_url_or_48_hours_after_fetching() {
        assert_eq!(
            recording_expiry(
                "http://x/a.wav?OSSAccessKeyId=k&Expires=1700000000&Signature=s",
                5
            ),
            1_700_000_000_000
        );
        assert_eq!(
            recording_expiry("http://x/a.wav", 1_000),
            1_000 + RECORDING_LINK_LIFETIME_MS
        );
        assert_eq!(
            recording_expiry("http://x/a.wav?Expires=soon", 0),
            RECORDING_LINK_LIFETIME_MS
        );
    }

    #[test]
    fn a_call_detail_becomes_a_record() {
        let raw = serde_json::json!({"statusCode": "200000", "stateDesc": "用户听完语音",
            "duration": 31, "hangupDirection": 1, "dialogCount": 3, "tags": "意向客户,需回访",
            "startDate": "2026-11-25 10:00:05", "gmtCreate": "2026-11-25 10:00:00",
            "recordFile": "http://r/x.wav?Expires=1800000000"});
        let d = crate::aliyun::CallDetail::from_json(&raw);
        let r = CallRecord::from_call_detail(&d, 0);
        assert_eq!(r.outcome, CallOutcome::Answered);
        assert_eq!(r.hangup, HangupReading::Callee);
        assert_eq!(r.hangup_raw.as_deref(), Some("1"));
        assert_eq!(r.tags, ["意向客户", "需回访"]);
        assert_eq!(r.call_time.as_deref(), Some("2026-11-25 10:00:05"));
        assert_eq!(r.record_expires_at_ms, Some(1_800_000_000_000));
    }
}
