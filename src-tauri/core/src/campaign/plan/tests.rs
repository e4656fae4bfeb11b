//! Tests of `plan`.

use super::packer::fixed_encoded_len;
use super::stored::encoded_params_len;
use super::*;
use crate::aliyun::signature::percent_encoded_len;
use crate::sheet::contacts::ValidationOptions;

fn settings(name: &str) -> TaskSettings {
    TaskSettings {
        dialog_id: "100".into(),
        caller_numbers: vec!["057188880000".into()],
        corp_name: Some("公司".into()),
        is_self_line: false,
        early_media_asr: true,
        schedule_time_ms: None,
        task_name: name.into(),
    }
}

fn numbers(n: usize) -> ContactList {
    let rows: Vec<Vec<String>> = (0..n)
        .map(|i| vec![format!("138{:08}", i), format!("客户{i}"), "是".to_string()])
        .collect();
    ContactList::from_rows(&["姓名", "回访"], rows, ValidationOptions::default()).unwrap()
}

use crate::campaign::request::{encoded_len, for_batch};
use proptest::prelude::*;

/// Each batch's request exactly as submission and the engine build it.
fn sizes(plan: &BatchPlan) -> Vec<usize> {
    plan.batches()
        .iter()
        .map(|b| encoded_len(&for_batch(plan.settings(), b)))
        .collect()
}

/// Every sendable contact exactly once, in order, across the batches.
fn assert_all_once_in_order(plan: &BatchPlan, list: &ContactList) {
    let mut expected = Vec::new();
    list.for_each_sendable(|row, number, _| expected.push((row, number.to_string())));
    let got: Vec<(u32, String)> = plan
        .batches()
        .iter()
        .flat_map(|b| b.source_rows.iter().copied().zip(b.called_numbers.to_vec()))
        .collect();
    assert_eq!(got, expected);
    assert_eq!(plan.total_numbers(), expected.len());
}

fn long_variable(i: usize) -> String {
    format!("尊敬的第{i}号客户，您预约的宽带上门安装服务将于本周六上午九点到十二点之间进行")
}

#[test]
fn caller_numbers_follow_the_same_rule_as_the_request_check() {
    use crate::aliyun::validate::{validate_show_numbers, RequestLimits};
    for number in ["057112345678", "+8657112345678", "0571-1234", "", " 0571"] {
        let mut s = settings("回访");
        s.caller_numbers = vec![number.to_owned()];
        let plan_ok = s.check().is_ok();
        let request_ok =
            validate_show_numbers(&s.caller_numbers, &RequestLimits::default()).is_empty();
        assert_eq!(plan_ok, request_ok, "{number:?}");
        assert_eq!(plan_ok, number == "057112345678", "{number:?}");
    }
}

#[test]
fn long_chinese_variables_split_a_thousand_contacts_by_request_size() {
    let rows: Vec<Vec<String>> = (0..1000)
        .map(|i| vec![format!("139{:08}", i), long_variable(i)])
        .collect();
    let list = ContactList::from_rows(&["通知"], rows, ValidationOptions::default()).unwrap();
    let mut s = settings("这是一个二十六个字的很长很长的五月份宽带上门回访任务名");
    s.schedule_time_ms = Some(1_900_000_000_000);
    let plan = BatchPlan::build(&list, &s, BatchSize::default()).unwrap();
    let n = plan.batches().len();
    assert!(n > 1, "{n} batches");
    let sizes = sizes(&plan);
    for (i, (b, len)) in plan.batches().iter().zip(&sizes).enumerate() {
        assert!(*len <= MAX_ENCODED_PARAMS, "batch {i}: {len}");
        // Packed, not merely small: another contact would not have fitted.
        if i + 1 < n {
            assert!(*len > MAX_ENCODED_PARAMS - 1_000, "batch {i}: {len}");
        }
        assert!(b.task_name.chars().count() <= MAX_TASK_NAME_CHARS);
        assert!(b.task_name.ends_with(&format!(" ({}/{n})", i + 1)));
        let tts: serde_json::Value =
            serde_json::from_str(b.tts_param().as_deref().unwrap()).unwrap();
        assert_eq!(tts.as_array().unwrap().len(), b.called_numbers.len());
    }
    assert_all_once_in_order(&plan, &list);
    // The batch size still caps batches that are small on the wire.
    let small = ContactList::from_rows(
        &[] as &[&str],
        (0..1500).map(|i| [format!("138{:08}", i)]),
        ValidationOptions::default(),
    )
    .unwrap();
    let plan = BatchPlan::build(&small, &s, BatchSize::new(600).unwrap()).unwrap();
    let counts: Vec<_> = plan
        .batches()
        .iter()
        .map(|b| b.called_numbers.len())
        .collect();
    assert_eq!(counts, [600, 600, 300]);
}

#[test]
fn the_planned_size_is_the_size_of_the_request_sent() {
    let list = numbers(7);
    let no_vars = ContactList::from_rows(
        &[] as &[&str],
        (0..7).map(|i| [format!("138{:08}", i)]),
        ValidationOptions::default(),
    )
    .unwrap();
    let mut variants = Vec::new();
    for corp in [Some("公司 A*~".to_string()), Some(String::new()), None] {
        for schedule in [None, Some(1_900_000_000_000)] {
            let mut s = settings(" 回访 (旧) ");
            s.is_self_line = corp.as_deref().is_none_or(str::is_empty);
            s.corp_name = corp.clone();
            s.schedule_time_ms = schedule;
            s.caller_numbers = vec!["057188880000".into(), "01088889999".into()];
            variants.push(s);
        }
    }
    for s in &variants {
        for list in [&list, &no_vars] {
            let head = list.variable_names();
            let head = (!head.is_empty()).then(|| serde_json::to_string(&head).unwrap());
            // A budget that forces batches of a few contacts, so sizes matter.
            let one = sizes(&BatchPlan::build(list, s, BatchSize::new(1).unwrap()).unwrap())[0];
            let two = sizes(&BatchPlan::build(list, s, BatchSize::new(2).unwrap()).unwrap())[0];
            let budget = one + 2 * (two - one) + 5;
            let plan = BatchPlan::build_within(list, s, BatchSize::default(), budget).unwrap();
            assert!(plan.batches().len() > 1);
            let fixed = fixed_encoded_len(s, head.as_deref(), 7);
            let suffix_room = percent_encoded_len(" (7/7)");
            let mut previous: Option<usize> = None;
            for (b, len) in plan.batches().iter().zip(sizes(&plan)) {
                assert!(len <= budget);
                assert_eq!(len, encoded_params_len(plan.settings(), b));
                // Exact but for the task name, counted at its longest.
                let mut values =
                    b.called_numbers.as_param().len() + 2 * (b.called_numbers.len() - 1);
                if let Some(t) = &b.tts_param() {
                    values += percent_encoded_len(t);
                }
                let counted = fixed + values;
                let name = percent_encoded_len(&b.task_name);
                let longest_name = percent_encoded_len("回访 (旧)") + suffix_room;
                assert_eq!(counted - longest_name, len - name);
                assert!(counted <= budget);
                // The batch before was closed only because this one's first contact
                // (a `,` and the number, a `,` and the item) did not fit.
                if let Some(before) = previous {
                    let mut next = 3 + b.called_numbers.iter().next().unwrap().len();
                    if let Some(t) = &b.tts_param() {
                        let items: serde_json::Value = serde_json::from_str(t).unwrap();
                        let first = serde_json::to_string(&items[0]).unwrap();
                        next += 3 + percent_encoded_len(&first);
                    }
                    assert!(before + next > budget, "{before} + {next} <= {budget}");
                }
                previous = Some(counted);
            }
            assert_all_once_in_order(&plan, list);
        }
    }
}

#[test]
fn one_contact_too_long_for_any_request_names_its_row() {
    let rows = vec![
        vec!["13800000001".to_string(), "张三".to_string()],
        vec!["13800000002".to_string(), "长".repeat(7_000)],
    ];
    let list = ContactList::from_rows(&["name"], rows, ValidationOptions::default()).unwrap();
    let err = BatchPlan::build(&list, &settings("x"), BatchSize::default()).unwrap_err();
    assert!(
        matches!(err, PlanError::ContactTooLong { row: 3, .. }),
        "{err:?}"
    );
    let user = err.to_user_error();
    assert_eq!(user.code, "plan.contact_too_long");
    assert!(
        user.message.zh_cn.contains("第 3 行"),
        "{}",
        user.message.zh_cn
    );
    assert!(user.message.en.contains("Row 3"), "{}", user.message.en);
    assert!(user.hint.en.contains("row 3"), "{}", user.hint.en);
}

#[test]
fn a_stored_plan_over_the_budget_is_refused() {
    let plan = BatchPlan::build(&numbers(3), &settings("x"), BatchSize::default()).unwrap();
    let mut json: serde_json::Value = serde_json::to_value(&plan).unwrap();
    json["batches"][0]["taskName"] = serde_json::Value::from("y");
    assert!(serde_json::from_value::<BatchPlan>(json.clone()).is_ok());
    // The same people, one with a value too long for any request.
    let mut items: serde_json::Value =
        serde_json::from_str(json["batches"][0]["ttsParam"].as_str().unwrap()).unwrap();
    items[1]["params"][0] = serde_json::Value::from("长".repeat(7_000));
    json["batches"][0]["ttsParam"] = serde_json::Value::from(items.to_string());
    let err = serde_json::from_value::<BatchPlan>(json).unwrap_err();
    assert!(err.to_string().contains("batch 0"), "{err}");
}

#[test]
fn a_stored_plan_keeps_its_wire_form_and_refuses_numbers_and_values_that_disagree() {
    let plan = BatchPlan::build(&numbers(3), &settings("x"), BatchSize::default()).unwrap();
    let json: serde_json::Value = serde_json::to_value(&plan).unwrap();
    let batch = &json["batches"][0];
    // As before the compact form: a list of numbers and the TtsParam JSON as sent.
    assert_eq!(
        batch["calledNumbers"],
        serde_json::json!(["13800000000", "13800000001", "13800000002"])
    );
    assert_eq!(
        batch["ttsParam"].as_str(),
        plan.batches()[0].tts_param().as_deref()
    );
    let with = |field: &str, value: serde_json::Value| {
        let mut changed = json.clone();
        changed["batches"][0][field] = value;
        serde_json::from_value::<BatchPlan>(changed)
    };
    // A number that is not digits, or one that would split into two on the wire.
    let bad = serde_json::json!(["13800000000", "1380000000a", "13800000002"]);
    assert!(with("calledNumbers", bad).is_err());
    let joined = serde_json::json!(["13800000000,13800000001", "13800000002"]);
    assert!(with("calledNumbers", joined).is_err());
    // TtsParam items that name other numbers, or too few of them.
    let swapped = serde_json::json!(["13800000001", "13800000000", "13800000002"]);
    assert!(with("calledNumbers", swapped).is_err());
    let short = r#"[{"number":"13800000000","params":["客户0","是"]}]"#;
    assert!(with("ttsParam", serde_json::Value::from(short)).is_err());
    assert!(with("ttsParam", serde_json::Value::Null).is_err());
    assert!(with("sourceRows", serde_json::json!([2, 3])).is_err());
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn every_batch_fits_and_no_contact_is_lost(
        lens in proptest::collection::vec((0usize..900, 0u8..4), 1..260),
        size in 1usize..=1000,
    ) {
        let rows: Vec<Vec<String>> = lens
            .iter()
            .enumerate()
            .map(|(i, &(len, kind))| {
                let unit = ["客", "a", "\"q\"", "😀"][kind as usize];
                vec![format!("137{:08}", i), format!("{i}{}", unit.repeat(len))]
            })
            .collect();
        let list = ContactList::from_rows(&["v"], rows, ValidationOptions::default()).unwrap();
        let plan = BatchPlan::build(&list, &settings("随机"), BatchSize::new(size).unwrap()).unwrap();
        for (b, len) in plan.batches().iter().zip(sizes(&plan)) {
            prop_assert!(len <= MAX_ENCODED_PARAMS, "{len}");
            prop_assert!(b.called_numbers.len() <= size);
            prop_assert!(b.task_name.chars().count() <= MAX_TASK_NAME_CHARS);
        }
        assert_all_once_in_order(&plan, &list);
    }
}

#[test]
fn task_names_fit_thirty_chars_and_keep_the_suffix() {
    let long = "这是一个非常非常非常非常非常非常非常非常长的任务名称啊";
    for (i, n) in [(0, 1), (2, 12), (999, 1000)] {
        let name = batch_task_name(long, i, n);
        assert!(name.chars().count() <= 30, "{name}");
        if n > 1 {
            assert!(name.ends_with(&format!(" ({}/{n})", i + 1)));
        }
    }
    assert_eq!(batch_task_name("回访", 2, 12), "回访 (3/12)");
    assert_eq!(batch_task_name(" 回访 ", 0, 1), "回访");
    assert_eq!(batch_task_name(&"a".repeat(40), 0, 1), "a".repeat(30));
}

#[test]
fn batches_split_evenly_with_params_in_order() {
    let list = numbers(2501);
    let plan = BatchPlan::build(&list, &settings("五月"), BatchSize::new(400).unwrap()).unwrap();
    let sizes: Vec<_> = plan
        .batches()
        .iter()
        .map(|b| b.called_numbers.len())
        .collect();
    assert_eq!(sizes, [400, 400, 400, 400, 400, 400, 101]);
    assert_eq!(plan.total_numbers(), 2501);
    let b = &plan.batches()[5];
    assert_eq!(b.index, 5);
    assert_eq!(b.task_name, "五月 (6/7)");
    assert_eq!(b.tts_param_head.as_deref(), Some(r#"["姓名","回访"]"#));
    let tts: serde_json::Value = serde_json::from_str(b.tts_param().as_deref().unwrap()).unwrap();
    assert_eq!(tts[0]["number"], "13800002000");
    assert_eq!(tts[0]["params"][0], "客户2000");
    assert_eq!(b.source_rows[0], 2002);
    assert!(b.tts_param().unwrap().contains("客户2000"));
}

#[test]
fn tts_param_bytes_match_serde_json() {
    let list = numbers(3);
    let plan = BatchPlan::build(&list, &settings("x"), BatchSize::default()).unwrap();
    let expected = serde_json::json!([
        {"number": "13800000000", "params": ["客户0", "是"]},
        {"number": "13800000001", "params": ["客户1", "是"]},
        {"number": "13800000002", "params": ["客户2", "是"]},
    ]);
    assert_eq!(
        plan.batches()[0].tts_param().as_deref(),
        Some(serde_json::to_string(&expected).unwrap().as_str())
    );
}

#[test]
fn settings_are_checked() {
    let list = numbers(3);
    let mut s = settings("x");
    s.corp_name = None;
    assert_eq!(
        BatchPlan::build(&list, &s, BatchSize::default()).unwrap_err(),
        PlanError::Task(crate::aliyun::RequestProblem::CorpNameMissing)
    );
    s.is_self_line = true;
    assert!(BatchPlan::build(&list, &s, BatchSize::default()).is_ok());
    s.caller_numbers = vec!["0571 8888".into()];
    assert_eq!(
        BatchPlan::build(&list, &s, BatchSize::default())
            .unwrap_err()
            .code(),
        "plan.caller_number_invalid"
    );
    assert!(BatchSize::new(0).is_err());
    assert!(BatchSize::new(1001).is_err());
    let mut s = settings("x");
    s.schedule_time_ms = Some(1000);
    assert!(s.check_schedule(999).is_ok());
    assert!(s.check_schedule(1000).is_err());
}

#[test]
fn no_sendable_contacts_is_an_error_and_plans_round_trip() {
    let list =
        ContactList::from_rows(&[] as &[&str], [["abc"]], ValidationOptions::default()).unwrap();
    assert_eq!(
        BatchPlan::build(&list, &settings("x"), BatchSize::default()).unwrap_err(),
        PlanError::NoContacts { skipped: 1 }
    );
    let plan = BatchPlan::build(&numbers(5), &settings("x"), BatchSize::new(2).unwrap()).unwrap();
    let json = serde_json::to_string(&plan).unwrap();
    let back: BatchPlan = serde_json::from_str(&json).unwrap();
    assert_eq!(back, plan);
    let broken = json.replacen("\"index\":1", "\"index\":7", 1);
    assert!(serde_json::from_str::<BatchPlan>(&broken).is_err());
    let no_vars = ContactList::from_rows(
        &[] as &[&str],
        [["13800138000"]],
        ValidationOptions::default(),
    )
    .unwrap();
    let plan = BatchPlan::build(&no_vars, &settings("x"), BatchSize::default()).unwrap();
    assert_eq!(plan.batches()[0].tts_param(), None);
    assert_eq!(plan.batches()[0].task_name, "x");
}
