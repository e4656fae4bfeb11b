//! Turning a batch plan into a campaign the journal can hold.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::model::{CampaignSettings, NewBatch, NewCampaign};
use super::plan::{request_for, BatchPlan, PlannedBatch, TaskSettings};
use crate::aliyun::signature::canonicalized_query;
use crate::aliyun::{BatchRobotSmartCallRequest, RequestLimits, RequestProblem};
use crate::text::{Localized, UserError};

/// The one budget, defined with the planner that keeps every batch within it.
pub use super::plan::MAX_ENCODED_PARAMS;
use crate::error_code::ErrorCode;

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
        .map(move |b| (b, request_for(settings, b)))
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
) -> Result<Option<BatchRobotSmartCallRequest>, UserError> {
    let limits = RequestLimits::default();
    let mut first = None;
    let mut largest = None;
    for (b, request) in requests(plan) {
        if let Some(p) = request.validate(now_ms, &limits).first() {
            return Err(refused(b.index, p));
        }
        Largest::see(&mut largest, b.index, &request);
        if first.is_none() {
            first = Some(request);
        }
    }
    refuse_if_too_large(largest, batch_size)?;
    Ok(first)
}

fn refused(index: usize, p: &RequestProblem) -> UserError {
    UserError::new(
        ErrorCode::request(&p.code),
        Localized::new(
            format!("第 {} 批（{}）：{}", index + 1, p.field, p.message.zh_cn),
            format!("Batch {} ({}): {}", index + 1, p.field, p.message.en),
        ),
        Localized::new(
            "请修改设置或联系人表后再提交。",
            "Fix the settings or the sheet, then submit again.",
        ),
    )
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
) -> Result<(), UserError> {
    let mut largest = None;
    for (index, request) in requests.iter().enumerate() {
        Largest::see(&mut largest, index, request);
    }
    refuse_if_too_large(largest, batch_size)
}

fn refuse_if_too_large(largest: Option<Largest>, batch_size: usize) -> Result<(), UserError> {
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
    Err(UserError::new(
        ErrorCode::RequestTooLarge,
        Localized::new(
            format!(
                "第 {} 批的请求有 {} KB，超过一次请求能带的上限（约 {} KB），通常是变量内容太长。",
                index + 1,
                len / 1000,
                MAX_ENCODED_PARAMS / 1000
            ),
            format!(
                "Batch {}'s request is {} KB, more than one request can carry (about {} KB); usually the variables are long.",
                index + 1,
                len / 1000,
                MAX_ENCODED_PARAMS / 1000
            ),
        ),
        Localized::new(
            format!("把每批人数调小到 {fits} 以内（命令行：--batch-size {fits}），或缩短变量内容。"),
            format!("Use at most {fits} numbers per batch (--batch-size {fits} on the command line), or shorten the variables."),
        ),
    ))
}

impl From<&TaskSettings> for CampaignSettings {
    fn from(s: &TaskSettings) -> Self {
        CampaignSettings {
            dialog_id: s.dialog_id.clone(),
            caller_numbers: s.caller_numbers.clone(),
            corp_name: s.corp_name.clone(),
            is_self_line: s.is_self_line,
            early_media_asr: s.early_media_asr,
            schedule_time_ms: s.schedule_time_ms,
            task_name: s.task_name.clone(),
        }
    }
}

/// Where a campaign's contacts came from and how they were mapped.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// The file's name, without its folder.
    pub source_name: String,
    pub source_sha256: String,
    pub mapping_json: String,
    /// The AccessKey profile's name (or a label for environment credentials).
    pub profile: String,
    pub endpoint: String,
}

impl NewCampaign {
    /// The campaign for a validated plan: every batch exactly as planned, taken over from
    /// the plan rather than copied.
    pub fn from_plan(plan: BatchPlan, provenance: Provenance) -> NewCampaign {
        let (settings, batches) = plan.into_parts();
        NewCampaign {
            source_name: provenance.source_name,
            source_sha256: provenance.source_sha256,
            mapping_json: provenance.mapping_json,
            settings: CampaignSettings::from(&settings),
            profile: provenance.profile,
            endpoint: provenance.endpoint,
            batches: batches.into_iter().map(NewBatch::from).collect(),
        }
    }
}

/// SHA-256 of a file's bytes, lowercase hex: tells two imports of the same file apart from
/// two files with the same name.
pub fn file_sha256(path: &Path) -> std::io::Result<String> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 64 * 1024];
    loop {
        let n = file.read(&mut buf)?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
    }
    Ok(hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::campaign::plan::BatchSize;
    use crate::sheet::contacts::{ContactList, ValidationOptions};

    fn plan(people: usize, batch_size: usize, schedule_time_ms: Option<i64>) -> BatchPlan {
        // Values a JSON writer must escape, and Chinese it must not.
        let rows: Vec<Vec<String>> = (0..people)
            .map(|i| {
                vec![
                    format!("138{i:08}"),
                    format!("客户{i} \"引号\" \\ 换行\n"),
                    format!("{}", i % 3),
                ]
            })
            .collect();
        let list =
            ContactList::from_rows(&["name", "tier"], rows, ValidationOptions::default()).unwrap();
        let settings = TaskSettings {
            dialog_id: "D".into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("公司".into()),
            is_self_line: false,
            early_media_asr: true,
            schedule_time_ms,
            task_name: "回访".into(),
        };
        BatchPlan::build(&list, &settings, BatchSize::new(batch_size).unwrap()).unwrap()
    }

    fn provenance() -> Provenance {
        Provenance {
            source_name: "a.csv".into(),
            source_sha256: "00".into(),
            mapping_json: "{}".into(),
            profile: "p".into(),
            endpoint: "e".into(),
        }
    }

    /// The check as it was before requests were checked one at a time: every request
    /// built and kept, validated in order, then sized all together.
    fn check_all_at_once(
        plan: &BatchPlan,
        now_ms: i64,
        batch_size: usize,
    ) -> Result<Vec<BatchRobotSmartCallRequest>, UserError> {
        let requests: Vec<_> = plan
            .batches()
            .iter()
            .map(|b| request_for(plan.settings(), b))
            .collect();
        for (i, r) in requests.iter().enumerate() {
            if let Some(p) = r.validate(now_ms, &RequestLimits::default()).first() {
                return Err(refused(i, p));
            }
        }
        check_request_sizes(&requests, batch_size)?;
        Ok(requests)
    }

    #[test]
    fn a_plan_becomes_a_campaign_batch_for_batch() {
        let plan = plan(5, 2, None);
        let new = NewCampaign::from_plan(plan.clone(), provenance());
        assert_eq!(new.batches.len(), 3);
        assert_eq!(new.total_numbers(), 5);
        for (n, p) in new.batches.iter().zip(plan.batches()) {
            assert_eq!(n.task_name, p.task_name);
            assert_eq!(n.called_numbers, p.called_numbers);
            assert_eq!(n.tts_param_head, p.tts_param_head);
            assert_eq!(n.tts_param(), p.tts_param());
            assert_eq!(n.source_rows, p.source_rows);
        }
        assert!(new.settings.early_media_asr);
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
            assert_eq!(new.code, "request.schedule_time.past");
        }
    }

    /// idx, task_name, called_numbers, number_count, tts_param_head, tts_param, source_rows.
    type JournalRow = (
        i64,
        String,
        String,
        i64,
        Option<String>,
        Option<String>,
        String,
    );

    #[test]
    fn the_journal_holds_the_same_rows_as_when_the_campaign_held_text() {
        let plan = plan(7, 3, None);
        // What `from_plan` stored before it took the plan's compact values over.
        let expected: Vec<JournalRow> = plan
            .batches()
            .iter()
            .map(|b| {
                (
                    b.index as i64,
                    b.task_name.clone(),
                    b.called_numbers.to_vec().join(","),
                    b.called_numbers.to_vec().len() as i64,
                    b.tts_param_head.clone(),
                    b.tts_param(),
                    serde_json::to_string(&b.source_rows).unwrap(),
                )
            })
            .collect();
        assert!(expected[0].5.as_deref().unwrap().contains(r#"\"引号\""#));
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("journal.sqlite3");
        let mut journal = crate::campaign::journal::Journal::open(&path, 1).unwrap();
        let id = journal
            .create_campaign(&NewCampaign::from_plan(plan, provenance()), false, 1)
            .unwrap();
        drop(journal);
        let conn = rusqlite::Connection::open(&path).unwrap();
        let mut stmt = conn
            .prepare(
                "SELECT idx, task_name, called_numbers, number_count, tts_param_head, tts_param, \
                 source_rows FROM batches WHERE campaign_id = ?1 ORDER BY idx",
            )
            .unwrap();
        let rows: Vec<_> = stmt
            .query_map([id], |r| {
                Ok((
                    r.get(0)?,
                    r.get(1)?,
                    r.get(2)?,
                    r.get(3)?,
                    r.get(4)?,
                    r.get(5)?,
                    r.get(6)?,
                ))
            })
            .unwrap()
            .collect::<Result<_, _>>()
            .unwrap();
        assert_eq!(rows, expected);
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
        let err = check_request_sizes(std::slice::from_ref(&big), 1000).unwrap_err();
        assert_eq!(err.code, "request.too_large");
        let fits: usize = err
            .hint
            .en
            .split("--batch-size ")
            .nth(1)
            .and_then(|r| r.split(' ').next())
            .and_then(|n| n.trim_end_matches(')').parse().ok())
            .unwrap();
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

    #[test]
    fn the_fingerprint_is_the_sha256_of_the_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("x.csv");
        std::fs::write(&p, b"abc").unwrap();
        assert_eq!(
            file_sha256(&p).unwrap(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }
}
