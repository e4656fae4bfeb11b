//! Tests of the field rules.

use super::*;

fn valid() -> BatchRobotSmartCallRequest {
    BatchRobotSmartCallRequest {
        called_numbers: vec!["13900001111".into(), "13900002222".into()],
        called_show_numbers: vec!["057112345678".into()],
        dialog_id: "1234567".into(),
        task_name: "外呼任务".into(),
        corp_name: Some("测试公司".into()),
        early_media_asr: false,
        is_self_line: false,
        schedule_time_ms: Some(2_000),
        tts_param_head: Some(r#"["name"]"#.into()),
        tts_param: Some(r#"[{"number":"13900001111","params":["小王"]}]"#.into()),
    }
}

fn codes(r: &BatchRobotSmartCallRequest, limits: &RequestLimits) -> Vec<String> {
    r.validate(1_000, limits)
        .into_iter()
        .map(|p| p.code().into_owned())
        .collect()
}

#[test]
fn a_valid_request_has_no_problems() {
    assert!(codes(&valid(), &RequestLimits::default()).is_empty());
}

#[test]
fn counts_duplicates_and_characters() {
    let limits = RequestLimits {
        max_called_numbers: 2,
        ..RequestLimits::default()
    };
    let mut r = valid();
    r.called_numbers = vec!["139".into(), "139".into(), "138 1".into()];
    r.tts_param = None;
    r.tts_param_head = None;
    let c = codes(&r, &limits);
    assert_eq!(
        c,
        [
            "called_number.too_many",
            "called_number.bad_characters",
            "called_number.duplicate"
        ]
    );
    r.called_numbers.clear();
    r.called_show_numbers = vec!["1".into(); 101];
    let c = codes(&r, &limits);
    assert!(c.contains(&"called_number.missing".to_owned()));
    assert!(c.contains(&"show_number.too_many".to_owned()));
}

#[test]
fn task_name_counts_characters_not_bytes() {
    let limits = RequestLimits::default();
    assert!(validate_task_name(&"外".repeat(30), &limits).is_empty());
    assert_eq!(
        validate_task_name(&"外".repeat(31), &limits)[0].code(),
        "task_name.too_long"
    );
    assert_eq!(
        validate_task_name("  ", &limits)[0].code(),
        "task_name.missing"
    );
}

#[test]
fn corp_name_schedule_and_dialog() {
    assert_eq!(
        validate_corp_name(None, false)[0].code(),
        "corp_name.missing"
    );
    assert!(validate_corp_name(None, true).is_empty());
    assert_eq!(
        validate_schedule_time(Some(1_000), 1_000)[0].code(),
        "schedule_time.past"
    );
    assert!(validate_schedule_time(None, 1_000).is_empty());
    assert_eq!(validate_dialog_id("")[0].code(), "dialog_id.missing");
}

#[test]
fn tts_rules() {
    let callees = vec!["13900001111".to_owned()];
    let check = |h: Option<&str>, p: Option<&str>| -> Vec<String> {
        validate_tts_params(h, p, &callees)
            .into_iter()
            .map(|p| p.code().into_owned())
            .collect()
    };
    assert_eq!(check(Some(r#"["a"]"#), None), ["tts_param.unpaired"]);
    assert_eq!(
        check(
            Some(r#"["a"]"#),
            Some(r#"[{"number":"1390000****","params":[“小王”]}]"#)
        ),
        ["tts_param.typographic_quotes"]
    );
    assert_eq!(
        check(Some("[a"), Some("[]")),
        ["tts_param_head.invalid_json"]
    );
    assert_eq!(
        check(
            Some(r#"["a","b"]"#),
            Some(r#"[{"number":"13900001111","params":["x"]}]"#)
        ),
        ["tts_param.arity"]
    );
    assert_eq!(
        check(
            Some(r#"["a"]"#),
            Some(r#"[{"number":"13800000000","params":["x"]}]"#)
        ),
        ["tts_param.unknown_number"]
    );
    assert_eq!(
        check(Some(r#"["a"]"#), Some(r#"{"x":1}"#)),
        ["tts_param.bad_shape"]
    );
    assert!(check(None, None).is_empty());
}

#[test]
fn every_problem_has_both_languages() {
    let r = BatchRobotSmartCallRequest::default();
    let problems = r.validate(0, &RequestLimits::default());
    assert!(problems.len() >= 4);
    for p in problems {
        let message = p.message();
        assert!(!message.zh_cn.is_empty() && !message.en.is_empty(), "{p:?}");
    }
}

#[test]
fn a_problem_reads_as_code_field_and_message_in_json() {
    let p = RequestProblem::NumberNotDigits {
        list: NumberList::Show,
        number: "+86571".into(),
    };
    let json = serde_json::to_value(&p).unwrap();
    let message = p.message();
    assert_eq!(
        json,
        serde_json::json!({
            "code": "show_number.bad_characters",
            "field": "CalledShowNumber",
            "message": serde_json::to_value(&message).unwrap(),
        })
    );
    assert!(message.zh_cn.starts_with("外显号码“+86571”"));
    let back: RequestProblemView = serde_json::from_value(json).unwrap();
    assert_eq!(back, RequestProblemView::from(&p));
}
