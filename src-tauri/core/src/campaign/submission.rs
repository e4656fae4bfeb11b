//! Turning a batch plan into a campaign the journal can hold.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

use super::model::{NewBatch, NewCampaign};
use super::plan::BatchPlan;
pub use super::request::{check_request_sizes, check_requests, encoded_len, requests};

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
    use crate::campaign::plan::{BatchSize, TaskSettings};
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
