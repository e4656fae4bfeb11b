//! Faults the simulator can inject, and the bookkeeping that decides which request gets one.
//!
//! Two families, because they mean different things to a client:
//! - *before processing* (throttling, 5xx, the HTML 502 page, a dropped connection): the
//!   request never reached the business layer, so no task is created and nothing is recorded
//!   as a received `BatchRobotSmartCall`;
//! - *after processing* (`…_after_processing_every`, wrong Content-Type): the request was
//!   handled — a task exists and the call is in the record — but the client does not get (or
//!   cannot read) the answer. That is the "outcome unknown" case a sender must not retry.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use serde::{Deserialize, Serialize};

/// What to break, and when. Every field is optional; the default breaks nothing.
///
/// "Every Nth" counts the requests that [`FaultPlan::actions`] selects (all API requests when
/// it is empty), starting at 1, so `every = 3` hits the 3rd, 6th, 9th, … request. Counters
/// restart whenever a new plan is set.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", default, deny_unknown_fields)]
pub struct FaultPlan {
    /// Only requests whose `Action` is in this list are counted and faulted; empty = all.
    pub actions: Vec<String>,
    /// Fixed delay before every API request is answered (also before a dropped connection).
    pub latency_ms: u64,
    /// Answer the first N requests with `Throttling.User` (HTTP 400).
    pub throttle_first: u32,
    /// Answer `Throttling.User` to requests beyond this many within any real second, like
    /// the documented per-account quota (100/s for the robot APIs). Throttled requests do
    /// not use up the quota.
    pub max_per_second: Option<u32>,
    /// Answer every Nth request with HTTP 500 `InternalError` before processing it.
    pub error_500_every: Option<u32>,
    /// Process every Nth request (a task is created and recorded), then answer HTTP 500.
    pub error_500_after_processing_every: Option<u32>,
    /// Answer every Nth request with an HTML "502 Bad Gateway" page before processing it.
    pub html_502_every: Option<u32>,
    /// Read every Nth request, then close the connection without answering and without
    /// processing it.
    pub drop_connection_every: Option<u32>,
    /// Process every Nth request (recorded), then close the connection without answering.
    pub drop_after_processing_every: Option<u32>,
    /// Process every Nth request normally but label the JSON answer `text/html`.
    pub wrong_content_type_every: Option<u32>,
    /// Process every Nth request (recorded), then send only the first half of the answer
    /// (HTTP 200, a JSON body cut in the middle).
    pub truncated_body_every: Option<u32>,
    /// Process every Nth request (recorded), then answer HTTP 200 with an empty body.
    pub empty_body_every: Option<u32>,
    /// Every Nth query answer carries a `Data` string that is not valid JSON, like the
    /// docs' own examples (typographic quotes, an unquoted value).
    pub malformed_data_every: Option<u32>,
    /// Business answers for particular `BatchRobotSmartCall` requests, e.g. `isv.AMOUNT_NOT_ENOUGH`
    /// for the 2nd one. Counted over the `BatchRobotSmartCall` requests that reach the business
    /// layer (after signature checks), independently of [`FaultPlan::actions`].
    pub batch_answers: Vec<ScriptedAnswer>,
    /// Actions the AccessKey's RAM user may not call: a correctly signed request for one of
    /// them is answered `Forbidden.RAM`, as Alibaba Cloud's gateway does when the user's
    /// policy does not allow `dyvms:<Action>`. Nothing is processed or recorded as sent.
    pub denied_actions: Vec<String>,
    /// Every Nth `BatchRobotSmartCall` that reaches the business layer is processed (the
    /// task exists, its people are called) but answered `Code: OK` without a `TaskId`.
    /// Counted like [`FaultPlan::batch_answers`]; a scripted answer for the same call wins.
    pub ok_without_task_id_every: Option<u32>,
    /// Refuse V3-signed requests (`ACS3-HMAC-SHA256`) with `InvalidSignatureMethod`, like a
    /// gateway that only knows V1: what makes a profile check fall back to V1.
    pub refuse_v3: bool,
}

/// What the fault plan says about one `BatchRobotSmartCall` that reached the business layer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum BatchScript {
    /// Refuse it with this answer (no task).
    Answer(ScriptedAnswer),
    /// Create the task but leave `TaskId` out of the `OK` answer.
    OkWithoutTaskId,
}

/// "Answer `code` to the `nth` `BatchRobotSmartCall`" (1-based). The call is recorded as
/// received, with this answer as its result, and no task is created.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct ScriptedAnswer {
    pub nth: u32,
    pub code: String,
    /// Defaults to the documented meaning of well-known codes, else the code itself.
    #[serde(default)]
    pub message: Option<String>,
    /// Defaults to 500 for `isp.*`/`InternalError`, else the simulator's business status.
    #[serde(default)]
    pub http_status: Option<u16>,
}

impl FaultPlan {
    /// Whether this plan breaks anything at all.
    pub fn is_empty(&self) -> bool {
        *self == FaultPlan::default()
    }

    /// Parses a compact CLI spec `N:CODE` (e.g. `2:isv.AMOUNT_NOT_ENOUGH`).
    pub fn parse_batch_answer(spec: &str) -> Option<ScriptedAnswer> {
        let (nth, code) = spec.split_once(':')?;
        let nth = nth.trim().parse().ok().filter(|n| *n > 0)?;
        let code = code.trim();
        if code.is_empty() {
            return None;
        }
        Some(ScriptedAnswer {
            nth,
            code: code.to_owned(),
            message: None,
            http_status: None,
        })
    }

    /// Whether the RAM user is refused `action` ([`FaultPlan::denied_actions`]).
    pub fn denies(&self, action: &str) -> bool {
        self.denied_actions.iter().any(|a| a == action)
    }

    fn counts(&self, action: &str) -> bool {
        self.actions.is_empty() || self.actions.iter().any(|a| a == action)
    }
}

/// What happens to one request before it is processed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BeforeFault {
    Throttle,
    Error500,
    Html502,
    Drop,
}

/// What happens to one request's answer after it was processed.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct AfterFaults {
    pub error_500: bool,
    pub drop: bool,
    pub wrong_content_type: bool,
    pub truncated_body: bool,
    pub empty_body: bool,
    pub malformed_data: bool,
}

/// The verdict for one request, decided once when it arrives.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Verdict {
    pub latency_ms: u64,
    pub before: Option<BeforeFault>,
    pub after: AfterFaults,
}

/// Counters for the active plan.
#[derive(Debug, Default)]
pub(crate) struct FaultState {
    pub plan: FaultPlan,
    /// Requests counted against the plan so far.
    pub seen: u32,
    /// `BatchRobotSmartCall` requests that reached the business layer so far.
    pub batch_seen: u32,
    /// Arrival times of the requests let through in the last second (for `max_per_second`).
    recent: VecDeque<Instant>,
}

fn hits(every: Option<u32>, n: u32) -> bool {
    matches!(every, Some(every) if every > 0 && n % every == 0)
}

impl FaultState {
    pub fn new(plan: FaultPlan) -> Self {
        FaultState {
            plan,
            seen: 0,
            batch_seen: 0,
            recent: VecDeque::new(),
        }
    }

    /// Decides the faults for the next request of `action`.
    pub fn next(&mut self, action: &str) -> Verdict {
        self.next_at(action, Instant::now())
    }

    pub(crate) fn next_at(&mut self, action: &str, now: Instant) -> Verdict {
        if !self.plan.counts(action) {
            return Verdict::default();
        }
        self.seen = self.seen.saturating_add(1);
        let n = self.seen;
        let p = &self.plan;
        // One before-fault at most; the order says which wins when two coincide.
        let before = if n <= p.throttle_first {
            Some(BeforeFault::Throttle)
        } else if hits(p.drop_connection_every, n) {
            Some(BeforeFault::Drop)
        } else if hits(p.error_500_every, n) {
            Some(BeforeFault::Error500)
        } else if hits(p.html_502_every, n) {
            Some(BeforeFault::Html502)
        } else {
            None
        };
        let before = match (before, p.max_per_second) {
            (None, Some(limit)) => {
                while self
                    .recent
                    .front()
                    .is_some_and(|t| now.duration_since(*t) >= Duration::from_secs(1))
                {
                    self.recent.pop_front();
                }
                if self.recent.len() >= limit as usize {
                    Some(BeforeFault::Throttle)
                } else {
                    self.recent.push_back(now);
                    None
                }
            }
            (before, _) => before,
        };
        Verdict {
            latency_ms: p.latency_ms,
            before,
            after: AfterFaults {
                error_500: hits(p.error_500_after_processing_every, n),
                drop: hits(p.drop_after_processing_every, n),
                wrong_content_type: hits(p.wrong_content_type_every, n),
                truncated_body: hits(p.truncated_body_every, n),
                empty_body: hits(p.empty_body_every, n),
                malformed_data: hits(p.malformed_data_every, n),
            },
        }
    }

    /// Counts a `BatchRobotSmartCall` that reached the business layer and returns the scripted
    /// answer for it, if any.
    pub(crate) fn next_batch(&mut self) -> Option<BatchScript> {
        self.batch_seen = self.batch_seen.saturating_add(1);
        let n = self.batch_seen;
        if let Some(answer) = self.plan.batch_answers.iter().find(|a| a.nth == n) {
            return Some(BatchScript::Answer(answer.clone()));
        }
        hits(self.plan.ok_without_task_id_every, n).then_some(BatchScript::OkWithoutTaskId)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn throttles_exactly_the_first_n() {
        let mut state = FaultState::new(FaultPlan {
            throttle_first: 2,
            ..FaultPlan::default()
        });
        let got: Vec<_> = (0..4).map(|_| state.next("X").before).collect();
        assert_eq!(
            got,
            vec![
                Some(BeforeFault::Throttle),
                Some(BeforeFault::Throttle),
                None,
                None
            ]
        );
    }

    #[test]
    fn per_second_quota_throttles_the_excess_only() {
        let mut state = FaultState::new(FaultPlan {
            max_per_second: Some(2),
            ..FaultPlan::default()
        });
        let t = Instant::now();
        let ms = |n: u64| t + Duration::from_millis(n);
        assert_eq!(state.next_at("A", ms(0)).before, None);
        assert_eq!(state.next_at("A", ms(10)).before, None);
        assert_eq!(
            state.next_at("A", ms(20)).before,
            Some(BeforeFault::Throttle)
        );
        assert_eq!(
            state.next_at("A", ms(999)).before,
            Some(BeforeFault::Throttle)
        );
        assert_eq!(state.next_at("A", ms(1000)).before, None);
        assert_eq!(
            state.next_at("A", ms(1005)).before,
            Some(BeforeFault::Throttle)
        );
        assert_eq!(state.next_at("A", ms(1010)).before, None);
    }

    #[test]
    fn every_nth_counts_only_selected_actions() {
        let mut state = FaultState::new(FaultPlan {
            actions: vec!["BatchRobotSmartCall".into()],
            error_500_every: Some(2),
            ..FaultPlan::default()
        });
        assert_eq!(state.next("QueryRobotInfoList").before, None);
        assert_eq!(state.next("BatchRobotSmartCall").before, None);
        assert_eq!(state.next("QueryRobotInfoList").before, None);
        assert_eq!(
            state.next("BatchRobotSmartCall").before,
            Some(BeforeFault::Error500)
        );
    }

    #[test]
    fn after_processing_faults_and_latency_are_reported() {
        let mut state = FaultState::new(FaultPlan {
            latency_ms: 5,
            error_500_after_processing_every: Some(1),
            drop_after_processing_every: Some(2),
            wrong_content_type_every: Some(3),
            malformed_data_every: Some(1),
            ..FaultPlan::default()
        });
        let first = state.next("A");
        assert_eq!(first.latency_ms, 5);
        assert!(first.after.error_500 && !first.after.drop && first.after.malformed_data);
        assert!(state.next("A").after.drop);
        assert!(state.next("A").after.wrong_content_type);
    }

    #[test]
    fn scripted_batch_answers_hit_the_nth_batch_call() {
        let mut state = FaultState::new(FaultPlan {
            batch_answers: vec![FaultPlan::parse_batch_answer("2:isv.AMOUNT_NOT_ENOUGH")
                .unwrap_or_else(|| unreachable!())],
            ..FaultPlan::default()
        });
        assert!(state.next_batch().is_none());
        assert!(matches!(
            state.next_batch(),
            Some(BatchScript::Answer(a)) if a.code == "isv.AMOUNT_NOT_ENOUGH"
        ));
        assert!(state.next_batch().is_none());
    }

    #[test]
    fn ok_without_a_task_id_hits_every_nth_batch_call_unless_scripted() {
        let mut state = FaultState::new(FaultPlan {
            ok_without_task_id_every: Some(2),
            batch_answers: vec![
                FaultPlan::parse_batch_answer("4:isv.X").unwrap_or_else(|| unreachable!())
            ],
            ..FaultPlan::default()
        });
        assert_eq!(state.next_batch(), None);
        assert_eq!(state.next_batch(), Some(BatchScript::OkWithoutTaskId));
        assert_eq!(state.next_batch(), None);
        assert!(matches!(state.next_batch(), Some(BatchScript::Answer(_))));
    }

    #[test]
    fn parses_compact_specs_and_rejects_bad_ones() {
        assert!(FaultPlan::parse_batch_answer("0:isv.X").is_none());
        assert!(FaultPlan::parse_batch_answer("x:isv.X").is_none());
        assert!(FaultPlan::parse_batch_answer("3:").is_none());
        assert_eq!(
            FaultPlan::parse_batch_answer("3:isv.BUSINESS_LIMIT_CONTROL").map(|a| a.nth),
            Some(3)
        );
    }

    #[test]
    fn plan_round_trips_as_camel_case_json() {
        let plan: FaultPlan =
            serde_json::from_str(r#"{"throttleFirst":1,"html502Every":4}"#).unwrap_or_default();
        assert_eq!(plan.throttle_first, 1);
        assert_eq!(plan.html_502_every, Some(4));
        assert!(serde_json::from_str::<FaultPlan>(r#"{"nope":1}"#).is_err());
    }
}
