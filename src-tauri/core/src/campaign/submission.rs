//! The send sequence, plan → check → journal, as both front ends follow it:
//! [`Submission::prepare`] plans the contacts and checks every batch's exact request (what
//! the preview and the dry run show), [`Submission::into_campaign`] turns exactly that plan
//! into the campaign the journal is given, with the one mapping record, and
//! [`Journal::create_campaign`](super::journal::Journal::create_campaign) journals it. The
//! desktop app asks for confirmation between the steps, the CLI too (`--yes` skips it).

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::model::{CampaignSummary, NewBatch, NewCampaign};
use super::plan::{BatchPlan, BatchSize, PlanError, PlanSummary};
use super::request::{check_requests, RequestError};
use super::settings::TaskSettings;
use crate::aliyun::BatchRobotSmartCallRequest;
use crate::compliance::rules::CallingRules;
use crate::error_code::ErrorCode;
use crate::sheet::contacts::ContactList;
use crate::text::{Localized, UserError};

/// A campaign planned and checked, not journaled yet.
#[derive(Debug, Clone)]
pub struct Submission {
    plan: BatchPlan,
    first_request: Option<BatchRobotSmartCallRequest>,
    mapping_json: String,
}

/// Who sends a campaign: the AccessKey profile's name (never the key) and the endpoint.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Sender {
    pub profile: String,
    pub endpoint: String,
}

impl Submission {
    /// Plan and check: the schedule against `now_ms` and the calling hours, the settings,
    /// the contacts split into batches of at most `batch_size`, and every batch's exact
    /// request with the rules the client applies before sending, so a plan that would fail
    /// half-way is refused before anything is journaled. `contacts` should have been
    /// screened (`compliance::screen::screen_contacts`): the plan takes the sendable ones.
    pub fn prepare(
        contacts: &ContactList,
        settings: &TaskSettings,
        batch_size: usize,
        calling: &CallingRules,
        now_ms: i64,
    ) -> Result<Submission, SubmissionError> {
        settings.check_schedule(now_ms)?;
        if let Some(at) = settings.schedule_time_ms {
            calling.check_schedule(at).map_err(SubmissionError::Rules)?;
        }
        let plan = BatchPlan::build(contacts, settings, BatchSize::new(batch_size)?)?;
        let first_request = check_requests(&plan, now_ms, batch_size)?;
        Ok(Submission {
            plan,
            first_request,
            mapping_json: mapping_record(contacts),
        })
    }

    pub fn plan(&self) -> &BatchPlan {
        &self.plan
    }

    /// Batch 1's exact request, for the preview.
    pub fn first_request(&self) -> Option<&BatchRobotSmartCallRequest> {
        self.first_request.as_ref()
    }

    pub fn summary(&self) -> PlanSummary {
        self.plan.summary()
    }

    /// The campaign for the journal: every batch exactly as planned and checked, the
    /// contacts' `source` file fingerprinted now (it is read again, so a file that moved
    /// since it was imported is refused here), and who sends it.
    pub fn into_campaign(
        self,
        source: &Path,
        sender: Sender,
    ) -> Result<NewCampaign, SubmissionError> {
        let source_sha256 =
            file_sha256(source).map_err(|err| SubmissionError::SourceUnreadable {
                path: source.to_owned(),
                err,
            })?;
        let source_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        Ok(NewCampaign::from_plan(
            self.plan,
            Provenance {
                source_name,
                source_sha256,
                mapping_json: self.mapping_json,
                profile: sender.profile,
                endpoint: sender.endpoint,
            },
        ))
    }
}

impl Submission {
    /// The campaign for a recall: its people come from `source`'s journal, not from a file,
    /// so the provenance names that campaign and keeps its file's fingerprint.
    pub fn into_recall_campaign(self, source: &CampaignSummary, sender: Sender) -> NewCampaign {
        NewCampaign::from_plan(
            self.plan,
            Provenance {
                source_name: format!("重呼 #{} {}", source.id, source.source_name),
                source_sha256: source.source_sha256.clone(),
                mapping_json: serde_json::json!({ "recallOf": source.id }).to_string(),
                profile: sender.profile,
                endpoint: sender.endpoint,
            },
        )
    }
}

/// How the contacts were read, as the journal records it: the sheet, the header row and
/// the columns by their header text (what a person recognises in the file later).
pub fn mapping_record(list: &ContactList) -> String {
    let s = list.summary();
    serde_json::json!({
        "sheet": s.sheet,
        "headerRow": s.header_row,
        "phoneColumn": s.phone_column.header,
        "variables": s.variables.iter().map(|v| serde_json::json!({
            "name": v.name, "column": v.column.header
        })).collect::<Vec<_>>(),
    })
    .to_string()
}

/// Why a campaign could not be prepared or handed to the journal.
#[derive(Debug, thiserror::Error)]
pub enum SubmissionError {
    #[error(transparent)]
    Plan(#[from] PlanError),
    #[error(transparent)]
    Request(#[from] RequestError),
    /// The calling rules refuse it (a schedule outside the calling hours).
    #[error("{}", .0.message.en)]
    Rules(UserError),
    /// The contacts' file could not be read again for its fingerprint.
    #[error("the contact sheet {} cannot be read again: {err}", .path.display())]
    SourceUnreadable { path: PathBuf, err: std::io::Error },
}

impl SubmissionError {
    /// The error as a user reads it.
    pub fn to_user_error(&self) -> UserError {
        match self {
            SubmissionError::Plan(e) => e.to_user_error(),
            SubmissionError::Request(e) => e.to_user_error(),
            SubmissionError::Rules(e) => e.clone(),
            SubmissionError::SourceUnreadable { path, err } => UserError::new(
                ErrorCode::SheetUnreadable,
                Localized::new(
                    format!(
                        "无法再次读取联系人表格 {}：{}。",
                        path.display(),
                        crate::os_error::io_reason(err).zh_cn
                    ),
                    format!(
                        "The contact sheet {} cannot be read again: {err}",
                        path.display()
                    ),
                ),
                Localized::new(
                    "文件可能已被移动或正被其他程序占用;请重新导入。",
                    "The file may have moved or be open in another program; import it again.",
                ),
            ),
        }
    }
}

impl From<SubmissionError> for UserError {
    fn from(e: SubmissionError) -> Self {
        e.to_user_error()
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
            settings,
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
pub(crate) mod tests {
    use super::*;
    use crate::campaign::journal::Journal;
    use crate::campaign::plan::{BatchSize, TaskSettings};
    use crate::campaign::request::requests;
    use crate::sheet::contacts::{ContactList, ValidationOptions};

    pub(crate) fn plan(
        people: usize,
        batch_size: usize,
        schedule_time_ms: Option<i64>,
    ) -> BatchPlan {
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
            .create_campaign(&NewCampaign::from_plan(plan, provenance()), None, 1)
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
    fn a_submission_journals_the_plan_it_checked_with_the_mapping_by_header() {
        let dir = tempfile::tempdir().unwrap();
        let file = dir.path().join("名单.csv");
        std::fs::write(&file, "手机,姓名\n13800138000,张三\n13900139000,李四\n").unwrap();
        let list = crate::sheet::import(&file, &Default::default(), None)
            .unwrap()
            .contacts;
        let settings = plan(1, 1, None).settings().clone();
        // Time passes between planning and journaling: a schedule already passed is refused.
        let past = TaskSettings {
            schedule_time_ms: Some(1_000),
            ..settings.clone()
        };
        let refused =
            Submission::prepare(&list, &past, 1, &CallingRules::default(), 1_000).unwrap_err();
        assert!(matches!(refused, SubmissionError::Plan(PlanError::Task(_))));
        assert_eq!(refused.to_user_error().code, "plan.schedule_in_past");

        let submission =
            Submission::prepare(&list, &settings, 1, &CallingRules::default(), 1_000).unwrap();
        assert_eq!(submission.summary().batches, 2);
        let first = submission.first_request().unwrap().clone();
        assert_eq!(first.called_numbers, ["13800138000"]);
        let sender = Sender {
            profile: "p".into(),
            endpoint: "e".into(),
        };
        let gone = dir.path().join("gone.csv");
        let err = submission
            .clone()
            .into_campaign(&gone, sender.clone())
            .unwrap_err();
        assert_eq!(err.to_user_error().code, "sheet.unreadable");
        let new = submission.into_campaign(&file, sender).unwrap();
        assert_eq!(new.source_name, "名单.csv");
        assert_eq!(new.source_sha256, file_sha256(&file).unwrap());
        let mapping: serde_json::Value = serde_json::from_str(&new.mapping_json).unwrap();
        assert_eq!(mapping["phoneColumn"], "手机");
        assert_eq!(mapping["headerRow"], 1);
        // The engine builds each request from the journaled row and settings: for every
        // batch, exactly the request that was checked.
        let checked: Vec<_> = requests(&plan_again(&list, &settings))
            .map(|(_, r)| r)
            .collect();
        assert_eq!(checked[0], first);
        let mut journal = Journal::open(&dir.path().join("journal.sqlite3"), 1).unwrap();
        let id = journal.create_campaign(&new, None, 1).unwrap();
        let stored = journal.settings(id).unwrap();
        let sent: Vec<_> = journal
            .batches(id)
            .unwrap()
            .iter()
            .map(|row| crate::campaign::request::for_batch(&stored, row))
            .collect();
        assert_eq!(sent, checked);
    }

    fn plan_again(list: &ContactList, settings: &TaskSettings) -> BatchPlan {
        Submission::prepare(list, settings, 1, &CallingRules::default(), 1_000)
            .unwrap()
            .plan
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
