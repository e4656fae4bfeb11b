//! A refusal is honoured at once: numbers put on the do-not-call list after the campaign
//! was journaled are taken out of their batch when its turn comes, and a batch left with
//! nobody is cancelled, never sent.

use crate::compliance::dnc::{self, DncSource};

use super::*;

#[tokio::test(start_paused = true)]
async fn numbers_listed_after_journaling_are_never_sent() {
    // Batches of three: 13900000001–3, 13900000004–6, 13900000007–9.
    let s = setup(3);
    dnc::add(
        &mut s.journal.lock().unwrap(),
        [
            "139 0000 0002",
            "13900000004",
            "13900000005",
            "+86 139-0000-0006",
        ],
        Some("回访时要求不再来电"),
        DncSource::Manual,
        T0,
    )
    .unwrap();
    let dialer = Arc::new(ScriptedDialer::default());
    let (tx, mut rx) = mpsc::unbounded_channel();
    let report = engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), Some(tx))
        .await
        .unwrap();
    assert_eq!(report.end, RunEnd::Finished);

    let sent: Vec<(String, String)> = dialer.sent.lock().unwrap().clone();
    let numbers: Vec<&str> = sent.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(
        numbers,
        [
            "13900000001",
            "13900000003",
            "13900000007",
            "13900000008",
            "13900000009"
        ]
    );
    // Each person kept their own template values.
    assert_eq!(sent[1].1, r#"{"number":"13900000003","params":["b0"]}"#);
    assert_eq!(dialer.calls_for("回访-2"), 0);
    assert_eq!(
        states(&s),
        vec![BatchState::Sent, BatchState::Cancelled, BatchState::Sent]
    );

    let journal = s.journal.lock().unwrap();
    let first = journal.batch(s.id, 0).unwrap();
    assert_eq!(first.called_numbers, ["13900000001", "13900000003"]);
    assert_eq!(first.source_rows.len(), 2);
    let second = journal.batch(s.id, 1).unwrap();
    let problem = second.problem.expect("the cancelled batch says why");
    assert_eq!(problem.code, "campaign.withheld");
    assert!(problem.message.zh_cn.contains("免打扰"), "{problem:?}");
    let withheld: Vec<(i64, String, Option<String>)> = journal
        .conn()
        .prepare("SELECT batch_idx, number, reason FROM withheld ORDER BY number")
        .unwrap()
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)))
        .unwrap()
        .collect::<Result<_, _>>()
        .unwrap();
    assert_eq!(withheld.len(), 4);
    assert_eq!(journal.withheld_count(s.id).unwrap(), 4);
    assert_eq!(
        withheld[0],
        (0, "13900000002".into(), Some("回访时要求不再来电".into()))
    );
    drop(journal);

    let mut cancelled = Vec::new();
    while let Ok(event) = rx.try_recv() {
        if let EngineEvent::Batch(update) = event {
            if update.state == BatchState::Cancelled {
                cancelled.push(update);
            }
        }
    }
    assert_eq!(cancelled.len(), 1, "{cancelled:?}");
    assert_eq!(cancelled[0].index, 1);
    assert_eq!(
        cancelled[0].error_code.as_deref(),
        Some("campaign.withheld")
    );
}

#[tokio::test(start_paused = true)]
async fn a_campaign_with_nobody_listed_sends_its_batches_unchanged() {
    let s = setup(2);
    let before = s.journal.lock().unwrap().batches(s.id).unwrap();
    let dialer = Arc::new(ScriptedDialer::default());
    engine(&s, dialer.clone(), config(10.0, 1))
        .run(s.id, &ControlHandle::new(), None)
        .await
        .unwrap();
    let after = s.journal.lock().unwrap().batches(s.id).unwrap();
    for (b, a) in before.iter().zip(&after) {
        assert_eq!(b.called_numbers, a.called_numbers);
        assert_eq!(b.tts_param, a.tts_param);
        assert_eq!(b.source_rows, a.source_rows);
    }
    assert_eq!(dialer.sent.lock().unwrap().len(), 6);
    assert_eq!(s.journal.lock().unwrap().withheld_count(s.id).unwrap(), 0);
}
