//! The one `BatchRobotSmartCall` request of a batch: built by [`for_batch`] from what the
//! journal holds for the batch (its name, numbers and template values) and the campaign's
//! [`TaskSettings`], checked with the client's own rules before anything is journaled
//! ([`check_requests`]), and sent as built: the engine builds it with the same function from
//! the journaled row and hands exactly that to the [`Dialer`](super::dialer::Dialer), whose
//! client checks it once more with the same rules.

use super::model::BatchRow;
use super::plan::{BatchPlan, PlannedBatch, MAX_ENCODED_PARAMS};
use super::settings::TaskSettings;
use crate::aliyun::signature::canonicalized_query;
use crate::aliyun::{BatchRobotSmartCallRequest, RequestLimits, RequestProblem};
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// What one batch puts into its request; everything else comes from the settings. The same
/// text whether the batch is planned, about to be journaled or read back from the journal.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct BatchContent<'a> {
    pub task_name: &'a str,
    pub called_numbers: Vec<String>,
    pub tts_param_head: Option<&'a str>,
    pub tts_param: Option<String>,
}

impl<'a> From<&'a BatchRow> for BatchContent<'a> {
    fn from(b: &'a BatchRow) -> Self {
        BatchContent {
            task_name: &b.task_name,
            called_numbers: b.called_numbers.clone(),
            tts_param_head: b.tts_param_head.as_deref(),
            tts_param: b.tts_param.clone(),
        }
    }
}

impl<'a> From<&'a PlannedBatch> for BatchContent<'a> {
    fn from(b: &'a PlannedBatch) -> Self {
        BatchContent {
            task_name: &b.task_name,
            called_numbers: b.called_numbers.to_vec(),
            tts_param_head: b.tts_param_head.as_deref(),
            tts_param: b.tts_param(),
        }
    }
}

/// The request of one batch: the only place a `BatchRobotSmartCallRequest` is assembled
/// from a campaign.
pub fn for_batch<'a>(
    settings: &TaskSettings,
    batch: impl Into<BatchContent<'a>>,
) -> BatchRobotSmartCallRequest {
    let batch = batch.into();
    BatchRobotSmartCallRequest {
        called_numbers: batch.called_numbers,
        called_show_numbers: settings.caller_numbers.clone(),
        dialog_id: settings.dialog_id.clone(),
        task_name: batch.task_name.to_owned(),
        corp_name: settings.corp_name.clone(),
        early_media_asr: settings.early_media_asr,
        is_self_line: settings.is_self_line,
        schedule_time_ms: settings.schedule_time_ms,
        tts_param_head: batch.tts_param_head.map(str::to_owned),
        tts_param: batch.tts_param,
    }
}

/// Every batch of a plan with its exact request, built one at a time as the iterator is
/// read: a million contacts' requests at once took as much memory as the plan again.
/// Unchecked; [`check_requests`] checks them.
pub fn requests(
    plan: &BatchPlan,
) -> impl Iterator<Item = (&PlannedBatch, BatchRobotSmartCallRequest)> + '_ {
    let settings = plan.settings();
    // The same request the planner sized the batch by.
    plan.batches()
        .iter()
        .map(move |b| (b, for_batch(settings, b)))
}

/// Checks the exact request of every batch of a plan the way the client checks a request
/// before sending, and against the URL size limit, so a plan that would fail half-way is
/// refused before anything is journaled. Each request is dropped once checked; batch 1's
/// is returned for the preview (`None` only for a plan without batches, which
/// [`BatchPlan::build`] never makes).
pub fn check_requests(
    plan: &BatchPlan,
    now_ms: i64,
    batch_size: usize,
) -> Result<Option<BatchRobotSmartCallRequest>, RequestError> {
    let limits = RequestLimits::default();
    let mut first = None;
    let mut largest = None;
    for (b, request) in requests(plan) {
        if let Some(problem) = request.validate(now_ms, &limits).into_iter().next() {
            return Err(RequestError::Refused {
                batch: b.index,
                problem,
            });
        }
        Largest::see(&mut largest, b.index, &request);
        if first.is_none() {
            first = Some(request);
        }
    }
    refuse_if_too_large(largest, batch_size)?;
    Ok(first)
}

/// Why a plan's requests were refused before anything was journaled.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// Batch `batch` (0-based) breaks a field rule: the first problem the client would find.
    #[error("batch {} refused: {}", .batch + 1, .problem.code())]
    Refused {
        batch: usize,
        problem: RequestProblem,
    },
    /// Batch `batch`'s request encodes to `len` bytes, over [`MAX_ENCODED_PARAMS`];
    /// batches of `fits` numbers would fit.
    #[error("batch {} encodes to {len} bytes", .batch + 1)]
    TooLarge {
        batch: usize,
        len: usize,
        fits: usize,
    },
}

impl RequestError {
    /// The error as a user reads it.
    pub fn to_user_error(&self) -> UserError {
        match self {
            RequestError::Refused { batch, problem } => {
                let (n, field, message) = (batch + 1, problem.field(), problem.message());
                UserError::new(
                    ErrorCode::request(problem.code()),
                    Localized::new(
                        format!("第 {n} 批（{field}）：{}", message.zh_cn),
                        format!("Batch {n} ({field}): {}", message.en),
                    ),
                    Localized::new(
                        "请修改设置或联系人表后再提交。",
                        "Fix the settings or the sheet, then submit again.",
                    ),
                )
            }
            RequestError::TooLarge { batch, len, fits } => UserError::new(
                ErrorCode::RequestTooLarge,
                Localized::new(
                    format!(
                        "第 {} 批的请求有 {} KB，超过一次请求能带的上限（约 {} KB），通常是变量内容太长。",
                        batch + 1,
                        len / 1000,
                        MAX_ENCODED_PARAMS / 1000
                    ),
                    format!(
                        "Batch {}'s request is {} KB, more than one request can carry (about {} KB); usually the variables are long.",
                        batch + 1,
                        len / 1000,
                        MAX_ENCODED_PARAMS / 1000
                    ),
                ),
                Localized::new(
                    format!("把每批人数调小到 {fits} 以内（命令行：--batch-size {fits}），或缩短变量内容。"),
                    format!("Use at most {fits} numbers per batch (--batch-size {fits} on the command line), or shorten the variables."),
                ),
            ),
        }
    }
}

impl From<RequestError> for UserError {
    fn from(e: RequestError) -> Self {
        e.to_user_error()
    }
}

/// The request parameters' encoded length, as they appear in the URL.
pub fn encoded_len(request: &BatchRobotSmartCallRequest) -> usize {
    canonicalized_query(&request.to_params()).len()
}

/// The batch whose request encodes longest, the one a size refusal names.
struct Largest {
    index: usize,
    len: usize,
    numbers: usize,
}

impl Largest {
    fn see(largest: &mut Option<Largest>, index: usize, request: &BatchRobotSmartCallRequest) {
        let len = encoded_len(request);
        // The last of equally long ones, as `Iterator::max_by_key` picked before.
        if largest.as_ref().is_none_or(|l| len >= l.len) {
            *largest = Some(Largest {
                index,
                len,
                numbers: request.called_numbers.len(),
            });
        }
    }
}

/// Refuses a plan whose largest batch would not fit in one request, naming a batch size
/// that would. Defence in depth: [`BatchPlan::build`] already splits batches by encoded size,
/// so this fires only for requests assembled some other way.
pub fn check_request_sizes(
    requests: &[BatchRobotSmartCallRequest],
    batch_size: usize,
) -> Result<(), RequestError> {
    let mut largest = None;
    for (index, request) in requests.iter().enumerate() {
        Largest::see(&mut largest, index, request);
    }
    refuse_if_too_large(largest, batch_size)
}

fn refuse_if_too_large(largest: Option<Largest>, batch_size: usize) -> Result<(), RequestError> {
    let Some(Largest {
        index,
        len,
        numbers,
    }) = largest
    else {
        return Ok(());
    };
    if len <= MAX_ENCODED_PARAMS {
        return Ok(());
    }
    let per_number = len / numbers.max(1) + 1;
    let fits = (MAX_ENCODED_PARAMS / per_number).clamp(1, batch_size.max(1));
    Err(RequestError::TooLarge {
        batch: index,
        len,
        fits,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::submission::tests::plan;

    /// The check as it was before requests were checked one at a time: every request
    /// built and kept, validated in order, then sized all together.
    fn check_all_at_once(
        plan: &BatchPlan,
        now_ms: i64,
        batch_size: usize,
    ) -> Result<Vec<BatchRobotSmartCallRequest>, RequestError> {
        let requests: Vec<_> = plan
            .batches()
            .iter()
            .map(|b| for_batch(plan.settings(), b))
            .collect();
        for (i, r) in requests.iter().enumerate() {
            let first = r
                .validate(now_ms, &RequestLimits::default())
                .into_iter()
                .next();
            if let Some(problem) = first {
                return Err(RequestError::Refused { batch: i, problem });
            }
        }
        check_request_sizes(&requests, batch_size)?;
        Ok(requests)
    }

    #[test]
    fn the_check_passes_and_refuses_what_checking_all_at_once_did() {
        let at = 1_900_000_000_000;
        for (people, size) in [(1, 1), (5, 2), (2500, 1000)] {
            let plan = plan(people, size, Some(at));
            // In time: the same verdict, and batch 1's request exactly.
            let all = check_all_at_once(&plan, at - 1, size).unwrap();
            let first = check_requests(&plan, at - 1, size).unwrap();
            assert_eq!(first.as_ref(), all.first());
            assert_eq!(
                requests(&plan).map(|(_, r)| r).collect::<Vec<_>>(),
                all,
                "the requests the dry run prints"
            );
            // Too late: the same refusal, naming the same batch.
            let old = check_all_at_once(&plan, at, size).unwrap_err();
            let new = check_requests(&plan, at, size).unwrap_err();
            assert_eq!(new, old);
            assert_eq!(new.to_user_error().code, "request.schedule_time.past");
        }
    }

    #[test]
    fn a_batch_too_big_for_one_url_is_refused_with_a_size_that_fits() {
        let numbers: Vec<String> = (0..1000).map(|i| format!("1390000{i:04}")).collect();
        let tts: Vec<String> = numbers
            .iter()
            .map(|n| format!(r#"{{"number":"{n}","params":["尊敬的客户{n}"]}}"#))
            .collect();
        let big = BatchRobotSmartCallRequest {
            called_numbers: numbers.clone(),
            called_show_numbers: vec!["057112345678".into()],
            dialog_id: "D".into(),
            task_name: "t".into(),
            tts_param_head: Some(r#"["name"]"#.into()),
            tts_param: Some(format!("[{}]", tts.join(","))),
            ..Default::default()
        };
        let refused = check_request_sizes(std::slice::from_ref(&big), 1000).unwrap_err();
        let RequestError::TooLarge { fits, .. } = refused else {
            panic!("{refused:?}");
        };
        let err = refused.to_user_error();
        assert_eq!(err.code, "request.too_large");
        let hinted: usize = err
            .hint
            .en
            .split("--batch-size ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.trim_end_matches(')').parse().ok())
            .unwrap();
        assert_eq!(hinted, fits);
        assert!(fits < 1000);
        // A batch of that size does fit.
        let small = BatchRobotSmartCallRequest {
            called_numbers: numbers[..fits].to_vec(),
            tts_param: Some(format!("[{}]", tts[..fits].join(","))),
            ..big
        };
        assert!(encoded_len(&small) <= MAX_ENCODED_PARAMS);
        assert!(check_request_sizes(&[small], fits).is_ok());
        // Numbers alone fit 1000 to a batch.
        let plain = BatchRobotSmartCallRequest {
            called_numbers: numbers,
            called_show_numbers: vec!["057112345678".into()],
            dialog_id: "D".into(),
            task_name: "t".into(),
            ..Default::default()
        };
        assert!(check_request_sizes(&[plain], 1000).is_ok());
    }
}
