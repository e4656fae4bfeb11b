//! The robot-call APIs answered as documented: batch calls, their records and call
//! details, the documented refusals, formats and methods, realistic timing.

use chrono::Duration;

use crate::aliyun::signature::{self, HttpMethod};

use super::*;

#[tokio::test]
async fn accepted_call_returns_a_task_is_recorded_and_has_call_details() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let tts_head = r#"["name","coupon"]"#;
    let tts = r#"[{"number":"13900000000","params":["小王","满100减20"]},{"number":"13900000001","params":["A B","x*y~z"]}]"#;
    let ok = rig
        .call(
            "BatchRobotSmartCall",
            &[
                ("CalledNumber", "13900000000,13900000001"),
                ("CalledShowNumber", "057112345678"),
                ("DialogId", DEMO_DIALOG_ID),
                ("TaskName", "外呼 任务*~1"),
                ("CorpName", "阿里云 测试*公司~"),
                ("TtsParamHead", tts_head),
                ("TtsParam", tts),
                ("EarlyMediaAsr", "false"),
                ("IsSelfLine", "false"),
            ],
        )
        .await;
    assert_eq!(ok.status, 200, "{}", ok.text);
    let body = ok.json();
    assert_eq!(
        (body["Code"].as_str(), body["Message"].as_str()),
        (Some("OK"), Some("OK"))
    );
    let task_id = body["TaskId"].as_str().unwrap().to_owned();
    assert_eq!(task_id.len(), 13);
    assert_eq!(ok.headers["date"], "Mon, 03 Mar 2025 02:00:00 GMT");
    assert!(ok.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("application/json"));
    assert_eq!(
        ok.headers["x-acs-request-id"],
        body["RequestId"].as_str().unwrap()
    );

    let record = rig.sim.record();
    assert_eq!(record.batch_calls.len(), 1);
    let call = &record.batch_calls[0];
    assert_eq!(call.called_numbers, vec!["13900000000", "13900000001"]);
    assert_eq!(call.task_name, "外呼 任务*~1");
    assert_eq!(call.tts_param.as_deref(), Some(tts));
    assert_eq!(call.tts_param_head.as_deref(), Some(tts_head));
    assert_eq!(call.received_at, t0());
    assert_eq!(call.result.task_id.as_deref(), Some(task_id.as_str()));
    assert!(call.result.delivered);

    let query_date = t0().timestamp_millis().to_string();
    let detail = rig
        .call(
            "QueryCallDetailByTaskId",
            &[
                ("TaskId", &task_id),
                ("Callee", "13900000001"),
                ("QueryDate", &query_date),
            ],
        )
        .await;
    assert_eq!(detail.code(), "OK");
    assert!(
        detail.json()["Data"].is_string(),
        "Data must be a JSON string"
    );
    let data = detail.data();
    assert_eq!(data["callee"], "13900000001");
    let expected = outcomes::outcome_for(DEFAULT_SEED, &task_id, "13900000001", t0(), None);
    assert_eq!(data["statusCode"], expected.status.code.to_string());
    assert_eq!(data["stateDesc"], expected.status.desc);
    assert_eq!(data["duration"], expected.duration_secs);

    // Another day has no record: Code OK and no Data.
    let other_day = (t0() + Duration::days(2)).timestamp_millis().to_string();
    let none = rig
        .call(
            "QueryCallDetailByTaskId",
            &[
                ("TaskId", &task_id),
                ("Callee", "13900000001"),
                ("QueryDate", &other_day),
            ],
        )
        .await;
    assert_eq!(none.code(), "OK");
    assert!(none.json().get("Data").is_none());
}

#[tokio::test]
async fn an_optional_query_limit_answers_414() {
    let rig = Rig::new(SimulatorConfig {
        max_query_bytes: Some(8 * 1024),
        ..SimulatorConfig::demo()
    })
    .await;
    assert_eq!(rig.batch(&numbers(100)).await.code(), "OK");
    let long = rig.batch(&numbers(1000)).await;
    assert_eq!(long.status, 414);
    assert!(long.text.contains("414 Request-URI Too Large"));
    assert_eq!(rig.sim.record().batch_calls.len(), 1);
}

/// A full batch (1000 callees, three Chinese variables each) makes a ~270 KB query string:
/// longer than the `http` crate's URI limit (64 KiB), so reqwest cannot even send it in the
/// URL. In an x-www-form-urlencoded body the simulator accepts it (whether dyvms does is
/// UNCERTAIN, `docs/api/dyvms.md` §1.4).
#[tokio::test]
async fn a_full_batch_of_1000_with_chinese_variables() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let nums: Vec<String> = (0..1000).map(|i| format!("139{i:08}")).collect();
    let rows: Vec<Value> = nums
        .iter()
        .map(|n| serde_json::json!({"number": n, "params": ["欧阳娜娜", "满一百减二十元优惠券", "上海市浦东新区"]}))
        .collect();
    let called = nums.join(",");
    let tts = Value::Array(rows).to_string();
    let signed = rig.sign(
        "BatchRobotSmartCall",
        &[
            ("CalledNumber", &called),
            ("CalledShowNumber", "057112345678"),
            ("DialogId", DEMO_DIALOG_ID),
            ("TaskName", "满额批次"),
            ("CorpName", "公司"),
            ("TtsParamHead", r#"["name","coupon","city"]"#),
            ("TtsParam", &tts),
        ],
        &SignOptions::default(),
    );
    let query = signed.query();
    assert!(query.len() > 65_535, "query is {} bytes", query.len());
    let too_long = rig.send(rig.post(&query)).await;
    assert!(
        too_long.as_ref().is_err_and(|e| e.is_builder()),
        "the URL cannot be built"
    );

    let answer = rig
        .send(
            rig.post("")
                .header("content-type", "application/x-www-form-urlencoded")
                .body(query),
        )
        .await
        .unwrap();
    assert_eq!(answer.status, 200, "{}", answer.text);
    assert!(answer.text.contains("\"Code\":\"OK\""), "{}", answer.text);
    assert_eq!(rig.sim.record().batch_calls[0].called_numbers.len(), 1000);
}

#[tokio::test]
async fn same_seed_same_outcomes_other_seed_other_outcomes() {
    async fn statuses(seed: u64) -> Vec<String> {
        let rig = Rig::new(SimulatorConfig {
            seed,
            ..SimulatorConfig::demo()
        })
        .await;
        let task = rig.batch(&numbers(30)).await.json()["TaskId"]
            .as_str()
            .unwrap()
            .to_owned();
        let list = rig
            .call(
                "QueryRobotTaskCallList",
                &[("TaskId", &task), ("PageSize", "100")],
            )
            .await;
        list.data()
            .as_array()
            .unwrap()
            .iter()
            .map(|row| format!("{}:{}", row["called"], row["callResult"]))
            .collect()
    }
    let a = statuses(11).await;
    assert_eq!(a.len(), 30);
    assert_eq!(a, statuses(11).await);
    assert_ne!(a, statuses(12).await);
}

#[tokio::test]
async fn documented_batch_rules_answer_documented_codes() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let base = [
        ("CalledNumber", "13900000000"),
        ("CalledShowNumber", "057112345678"),
        ("DialogId", DEMO_DIALOG_ID),
        ("TaskName", "任务"),
        ("CorpName", "公司"),
    ];
    let with = |changes: &[(&'static str, Option<&'static str>)]| {
        let mut p: BTreeMap<&str, &str> = base.iter().copied().collect();
        for (k, v) in changes {
            match v {
                Some(v) => p.insert(k, v),
                None => p.remove(k),
            };
        }
        p.into_iter().collect::<Vec<_>>()
    };
    let many = numbers(1001);
    let many: &'static str = Box::leak(many.into_boxed_str());
    type Case<'a> = (Vec<(&'a str, &'a str)>, &'a str, u16);
    let cases: Vec<Case> = vec![
        (
            with(&[("CalledNumber", Some(many))]),
            "isv.VOICE_ROBOT_CALLEE_LIMIT",
            400,
        ),
        (with(&[("CalledNumber", None)]), "MissingCalledNumber", 400),
        (with(&[("TaskName", None)]), "MissingTaskName", 400),
        (
            with(&[("CalledNumber", Some("1390000000x"))]),
            "isv.MOBILE_NUMBER_ILLEGAL",
            400,
        ),
        (
            with(&[("CalledShowNumber", Some("abc"))]),
            "isv.DISPLAY_NUMBER_ILLEGAL",
            400,
        ),
        (
            with(&[(
                "TaskName",
                Some("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一"),
            )]),
            "isv.INVALID_PARAMETERS",
            400,
        ),
        (with(&[("CorpName", None)]), "isv.INVALID_PARAMETERS", 400),
        (
            with(&[("ScheduleCall", Some("true"))]),
            "isv.INVALID_PARAMETERS",
            400,
        ),
        (
            with(&[
                ("TtsParamHead", Some(r#"["a"]"#)),
                (
                    "TtsParam",
                    Some(r#"[{“number”:"13900000000","params":["x"]}]"#),
                ),
            ]),
            "isv.INVALID_PARAMETERS",
            400,
        ),
        (
            with(&[
                ("TtsParamHead", Some(r#"["a","b"]"#)),
                (
                    "TtsParam",
                    Some(r#"[{"number":"13900000000","params":["x"]}]"#),
                ),
            ]),
            "isv.TEMPLATE_PARAMS_ILLEGAL",
            400,
        ),
        (
            with(&[
                ("TtsParamHead", Some(r#"["a"]"#)),
                (
                    "TtsParam",
                    Some(r#"[{"number":"13700000000","params":["x"]}]"#),
                ),
            ]),
            "isv.TEMPLATE_PARAMS_ILLEGAL",
            400,
        ),
        (
            with(&[("IsSelfLine", Some("maybe"))]),
            "InvalidIsSelfLine",
            400,
        ),
        // 30 characters (not bytes) is fine; so is a missing CorpName on one's own line.
        (
            with(&[(
                "TaskName",
                Some("一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十"),
            )]),
            "OK",
            200,
        ),
        (
            with(&[("CorpName", None), ("IsSelfLine", Some("true"))]),
            "OK",
            200,
        ),
    ];
    for (params, code, status) in cases {
        let answer = rig.call("BatchRobotSmartCall", &params).await;
        assert_eq!(
            (answer.code(), answer.status),
            (code.to_owned(), status),
            "{params:?}: {}",
            answer.text
        );
    }
    // Business rejections are recorded (no task); gateway-level ones (Missing*) are not.
    let record = rig.sim.record();
    assert_eq!(record.batch_calls.len(), 12);
    assert_eq!(record.accepted().count(), 2);
}

#[tokio::test]
async fn unknown_action_and_case_matter() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let a = rig.call("batchRobotSmartCall", &[]).await;
    assert_eq!(
        (a.status, a.code()),
        (404, "InvalidApi.NotFound".to_owned())
    );
    let b = rig.call("SingleCallByTts", &[]).await;
    assert_eq!(b.code(), "Simulator.NotImplemented");
}

#[tokio::test]
async fn xml_format_and_unsupported_methods() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let xml = rig.call("QueryRobotInfoList", &[("Format", "XML")]).await;
    // The signer forces Format=JSON; sign an XML request by hand instead.
    assert_eq!(xml.code(), "OK");
    let mut signed = rig
        .sign(
            "QueryRobotInfoList",
            &[("AuditStatus", "AUDITPASS")],
            &SignOptions::default(),
        )
        .params()
        .clone();
    signed.insert("Format".into(), "XML".into());
    let to_sign = signature::string_to_sign(HttpMethod::Post, &signed);
    let sig = signature::sign(DEMO_ACCESS_KEY_SECRET, &to_sign);
    let query = format!(
        "{}&Signature={}",
        signature::canonicalized_query(&signed),
        signature::percent_encode(&sig)
    );
    let answer = rig.send(rig.post(&query)).await.unwrap();
    assert!(answer.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/xml"));
    let body = &answer.text;
    assert!(
        body.contains("<QueryRobotInfoListResponse><RequestId>"),
        "{body}"
    );
    assert!(body.contains("<Code>OK</Code>"), "{body}");

    let put = rig
        .send(rig.http.put(rig.url("Action=QueryRobotInfoList")))
        .await
        .unwrap();
    assert_eq!(put.status, 400);
    assert_eq!(put.code(), "UnsupportedHTTPMethod");
}

#[tokio::test]
async fn realistic_timing_hides_details_until_the_call_ends() {
    let rig = Rig::new(SimulatorConfig {
        results_after_call_end: true,
        forced_outcomes: [("13900000000".to_owned(), 200000)].into_iter().collect(),
        ..SimulatorConfig::demo()
    })
    .await;
    let task = rig.batch("13900000000").await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let ms = t0().timestamp_millis().to_string();
    let q = [
        ("TaskId", task.as_str()),
        ("Callee", "13900000000"),
        ("QueryDate", ms.as_str()),
    ];
    assert!(rig
        .call("QueryCallDetailByTaskId", &q)
        .await
        .json()
        .get("Data")
        .is_none());
    rig.clock.set(t0() + Duration::minutes(10));
    let detail = rig.call("QueryCallDetailByTaskId", &q).await.data();
    assert_eq!(detail["statusCode"], "200000");
    assert_eq!(detail["recordStatus"], 1);
    // The recording link is served, and refused after 48 hours.
    let url = detail["recordFile"].as_str().unwrap().to_owned();
    let wav = rig.http.get(&url).send().await.unwrap();
    assert_eq!(wav.status().as_u16(), 200);
    assert_eq!(&wav.bytes().await.unwrap()[0..4], b"RIFF");
    rig.sim.advance_clock(Duration::hours(49));
    assert_eq!(
        rig.http.get(&url).send().await.unwrap().status().as_u16(),
        403
    );
}

// ------------------------------------------------------------------------------ faults
