//! Turning a batch plan into a campaign the journal can hold.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::model::{CampaignSettings, NewBatch, NewCampaign};
use super::plan::{request_for, BatchPlan, TaskSettings};
use crate::aliyun::signature::canonicalized_query;
use crate::aliyun::{BatchRobotSmartCallRequest, RequestLimits};
use crate::text::{Localized, UserError};

/// The one budget, defined with the planner that keeps every batch within it.
pub use super::plan::MAX_ENCODED_PARAMS;

/// The exact request of every batch of a plan, checked the way the client checks a request
/// before sending and against the URL size limit, so a plan that would fail half-way is
/// refused before anything is journaled.
pub fn prepare_requests(
    plan: &BatchPlan,
    now_ms: i64,
    batch_size: usize,
) -> Result<Vec<BatchRobotSmartCallRequest>, UserError> {
    let settings = plan.settings();
    let mut requests = Vec::with_capacity(plan.batches().len());
    for b in plan.batches() {
        // The same request the planner sized the batch by.
        let request = request_for(settings, b);
        if let Some(p) = request.validate(now_ms, &RequestLimits::default()).first() {
            return Err(UserError::new(
                format!("request.{}", p.code),
                Localized::new(
                    format!("第 {} 批（{}）：{}", b.index + 1, p.field, p.message.zh_cn),
                    format!("Batch {} ({}): {}", b.index + 1, p.field, p.message.en),
                ),
                Localized::new(
                    "请修改设置或联系人表后再提交。",
                    "Fix the settings or the sheet, then submit again.",
                ),
            ));
        }
        requests.push(request);
    }
    check_request_sizes(&requests, batch_size)?;
    Ok(requests)
}

/// The request parameters' encoded length, as they appear in the URL.
pub fn encoded_len(request: &BatchRobotSmartCallRequest) -> usize {
    canonicalized_query(&request.to_params()).len()
}

/// Refuses a plan whose largest batch would not fit in one request, naming a batch size
/// that would. Defence in depth: [`BatchPlan::build`] already splits batches by encoded size,
/// so this fires only for requests assembled some other way.
pub fn check_request_sizes(
    requests: &[BatchRobotSmartCallRequest],
    batch_size: usize,
) -> Result<(), UserError> {
    let Some((index, len)) = requests
        .iter()
        .map(encoded_len)
        .enumerate()
        .max_by_key(|(_, len)| *len)
    else {
        return Ok(());
    };
    if len <= MAX_ENCODED_PARAMS {
        return Ok(());
    }
    let numbers = requests[index].called_numbers.len().max(1);
    let per_number = len / numbers + 1;
    let fits = (MAX_ENCODED_PARAMS / per_number).clamp(1, batch_size.max(1));
    Err(UserError::new(
        "request.too_large",
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
    /// The campaign for a validated plan: every batch exactly as planned.
    pub fn from_plan(plan: &BatchPlan, provenance: Provenance) -> NewCampaign {
        NewCampaign {
            source_name: provenance.source_name,
            source_sha256: provenance.source_sha256,
            mapping_json: provenance.mapping_json,
            settings: CampaignSettings::from(plan.settings()),
            profile: provenance.profile,
            endpoint: provenance.endpoint,
            batches: plan
                .batches()
                .iter()
                .map(|b| NewBatch {
                    task_name: b.task_name.clone(),
                    called_numbers: b.called_numbers.to_vec(),
                    tts_param_head: b.tts_param_head.clone(),
                    tts_param: b.tts_param(),
                    source_rows: b.source_rows.clone(),
                })
                .collect(),
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
#[allow(clippy::expect_used, clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::campaign::plan::BatchSize;
    use crate::sheet::contacts::{ContactList, ValidationOptions};

    #[test]
    fn a_plan_becomes_a_campaign_batch_for_batch() {
        let rows: Vec<Vec<String>> = (0..5)
            .map(|i| vec![format!("1380013800{i}"), format!("客户{i}")])
            .collect();
        let list = ContactList::from_rows(&["name"], rows, ValidationOptions::default()).unwrap();
        let settings = TaskSettings {
            dialog_id: "D".into(),
            caller_numbers: vec!["057112345678".into()],
            corp_name: Some("公司".into()),
            is_self_line: false,
            early_media_asr: true,
            schedule_time_ms: None,
            task_name: "回访".into(),
        };
        let plan = BatchPlan::build(&list, &settings, BatchSize::new(2).unwrap()).unwrap();
        let new = NewCampaign::from_plan(
            &plan,
            Provenance {
                source_name: "a.csv".into(),
                source_sha256: "00".into(),
                mapping_json: "{}".into(),
                profile: "p".into(),
                endpoint: "e".into(),
            },
        );
        assert_eq!(new.batches.len(), 3);
        assert_eq!(new.total_numbers(), 5);
        assert_eq!(
            new.batches[2].called_numbers,
            plan.batches()[2].called_numbers.to_vec()
        );
        assert_eq!(new.batches[0].tts_param, plan.batches()[0].tts_param());
        assert!(new.settings.early_media_asr);
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
