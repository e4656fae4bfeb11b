//! HTTP-level tests: real requests (reqwest) against a real simulator on 127.0.0.1, signed
//! with the production signer.
use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Duration, Utc};
use serde_json::Value;

use crate::aliyun::signature::{percent_encode, HttpMethod};
use crate::aliyun::signer::{
    sign_request, FixedClock, SequenceNonce, SignOptions, UuidNonce, WallClock,
};
use crate::aliyun::Credentials;

use super::*;

const T0: &str = "2025-03-03T02:00:00Z";

fn t0() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(T0)
        .unwrap()
        .with_timezone(&Utc)
}

fn demo_creds() -> Credentials {
    Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET)
}

fn local() -> SocketAddr {
    "127.0.0.1:0".parse().unwrap()
}

/// A simulator and a client sharing one frozen clock.
struct Rig {
    sim: RunningSimulator,
    clock: Arc<FixedClock>,
    nonces: SequenceNonce,
    creds: Credentials,
    http: reqwest::Client,
}

struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    fn json(&self) -> Value {
        serde_json::from_str(&self.text).unwrap_or_else(|e| panic!("not JSON ({e}): {}", self.text))
    }

    fn code(&self) -> String {
        self.json()["Code"].as_str().unwrap_or("").to_owned()
    }

    /// `Data` parsed a second time.
    fn data(&self) -> Value {
        let data = self.json()["Data"]
            .as_str()
            .map(str::to_owned)
            .unwrap_or_else(|| panic!("no Data string: {}", self.text));
        serde_json::from_str(&data).expect("Data is JSON")
    }
}

impl Rig {
    async fn new(config: SimulatorConfig) -> Rig {
        let clock = Arc::new(FixedClock::new(t0()));
        let sim = Simulator::start(config.with_clock(clock.clone()), local())
            .await
            .unwrap();
        Rig {
            sim,
            clock,
            nonces: SequenceNonce::new("rig"),
            creds: demo_creds(),
            http: reqwest::Client::new(),
        }
    }

    async fn call(&self, action: &str, params: &[(&str, &str)]) -> Answer {
        self.try_call(action, params).await.expect("HTTP exchange")
    }

    async fn try_call(
        &self,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let params: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        let signed = sign_request(
            action,
            params,
            &self.creds,
            &*self.clock,
            &self.nonces,
            &SignOptions::default(),
        );
        let url = format!("{}/?{}", self.sim.endpoint(), signed.query());
        let resp = self.http.post(url).send().await?;
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await?;
        Ok(Answer {
            status,
            headers,
            text,
        })
    }

    async fn batch(&self, numbers: &str) -> Answer {
        self.call(
            "BatchRobotSmartCall",
            &[
                ("CalledNumber", numbers),
                ("CalledShowNumber", "057112345678"),
                ("DialogId", DEMO_DIALOG_ID),
                ("TaskName", "双十一回访"),
                ("CorpName", "示例科技有限公司"),
            ],
        )
        .await
    }
}

fn numbers(n: usize) -> String {
    (0..n)
        .map(|i| format!("139{i:08}"))
        .collect::<Vec<_>>()
        .join(",")
}

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

/// A full batch (1000 callees, three Chinese variables each) makes a ~270 KB query string:
/// longer than the `http` crate's URI limit (64 KiB), so reqwest cannot even send it in the
/// URL. In an x-www-form-urlencoded body the simulator accepts it (whether dyvms does is
/// UNCERTAIN, `docs/api/dyvms.md` §1.4).
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

#[tokio::test]
async fn a_full_batch_of_1000_with_chinese_variables() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let nums: Vec<String> = (0..1000).map(|i| format!("139{i:08}")).collect();
    let rows: Vec<Value> = nums
        .iter()
        .map(|n| serde_json::json!({"number": n, "params": ["欧阳娜娜", "满一百减二十元优惠券", "上海市浦东新区"]}))
        .collect();
    let params: BTreeMap<String, String> = [
        ("CalledNumber", nums.join(",")),
        ("CalledShowNumber", "057112345678".to_owned()),
        ("DialogId", DEMO_DIALOG_ID.to_owned()),
        ("TaskName", "满额批次".to_owned()),
        ("CorpName", "公司".to_owned()),
        ("TtsParamHead", r#"["name","coupon","city"]"#.to_owned()),
        ("TtsParam", Value::Array(rows).to_string()),
    ]
    .into_iter()
    .map(|(k, v)| (k.to_owned(), v))
    .collect();
    let signed = sign_request(
        "BatchRobotSmartCall",
        params,
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    );
    let query = signed.query();
    assert!(query.len() > 65_535, "query is {} bytes", query.len());
    let too_long = rig
        .http
        .post(format!("{}/?{query}", rig.sim.endpoint()))
        .send()
        .await;
    assert!(
        too_long.as_ref().is_err_and(|e| e.is_builder()),
        "the URL cannot be built"
    );

    let resp = rig
        .http
        .post(format!("{}/", rig.sim.endpoint()))
        .header("content-type", "application/x-www-form-urlencoded")
        .body(query)
        .send()
        .await
        .unwrap();
    let status = resp.status().as_u16();
    let text = resp.text().await.unwrap();
    assert_eq!(status, 200, "{text}");
    assert!(text.contains("\"Code\":\"OK\""), "{text}");
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
async fn wrong_secret_gets_the_server_string_to_sign() {
    let mut rig = Rig::new(SimulatorConfig::demo()).await;
    rig.creds = Credentials::new(DEMO_ACCESS_KEY_ID, "not-the-secret");
    let params = BTreeMap::from([("AuditStatus".to_owned(), "AUDITPASS".to_owned())]);
    let signed = sign_request(
        "QueryRobotInfoList",
        params,
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    );
    let url = format!("{}/?{}", rig.sim.endpoint(), signed.query());
    let resp = rig.http.post(url).send().await.unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    let body: Value = resp
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(body["Code"], "SignatureDoesNotMatch");
    let message = body["Message"].as_str().unwrap();
    let server = message.split_once("server string to sign is:").unwrap().1;
    // Same algorithm on both sides: the strings match, so the secret is what is wrong.
    assert_eq!(server, signed.string_to_sign());
}

#[tokio::test]
async fn expired_timestamp_is_rejected_with_the_server_date() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    // The client's clock is 20 minutes slow.
    let slow = FixedClock::new(t0() - Duration::minutes(20));
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &rig.creds,
        &slow,
        &rig.nonces,
        &SignOptions::default(),
    );
    let resp = rig
        .http
        .post(format!("{}/?{}", rig.sim.endpoint(), signed.query()))
        .send()
        .await
        .unwrap();
    assert_eq!(resp.status().as_u16(), 400);
    assert_eq!(resp.headers()["date"], "Mon, 03 Mar 2025 02:00:00 GMT");
    let body: Value = resp
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(body["Code"], "InvalidTimeStamp.Expired");
    assert_eq!(
        body["Message"],
        "Specified time stamp or date value is expired."
    );
}

#[tokio::test]
async fn replayed_request_is_refused_as_nonce_used() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    );
    let url = format!("{}/?{}", rig.sim.endpoint(), signed.query());
    let first: Value = rig
        .http
        .post(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(first["Code"], "OK");
    let again = rig.http.post(&url).send().await.unwrap();
    assert_eq!(again.status().as_u16(), 400);
    let again: Value = again
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(again["Code"], "SignatureNonceUsed");
}

#[tokio::test]
async fn get_works_when_signed_as_get_and_form_bodies_are_merged() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let get = SignOptions {
        method: HttpMethod::Get,
        ..SignOptions::default()
    };
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &get,
    );
    let url = format!("{}/?{}", rig.sim.endpoint(), signed.query());
    let ok: Value = rig
        .http
        .get(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(ok["Code"], "OK");
    // The same GET-signed parameters sent with a new nonce as POST fail: the method is signed.
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &get,
    );
    let url = format!("{}/?{}", rig.sim.endpoint(), signed.query());
    let bad: Value = rig
        .http
        .post(&url)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(bad["Code"], "SignatureDoesNotMatch");

    // Parameters in an x-www-form-urlencoded body, signed together with the query.
    let params = BTreeMap::from([("AuditStatus".to_owned(), "AUDITING".to_owned())]);
    let signed = sign_request(
        "QueryRobotInfoList",
        params,
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    );
    let mut query = Vec::new();
    for (k, v) in signed.params() {
        if k != "AuditStatus" {
            query.push(format!("{}={}", percent_encode(k), percent_encode(v)));
        }
    }
    query.push(format!("Signature={}", percent_encode(signed.signature())));
    let resp = rig
        .http
        .post(format!("{}/?{}", rig.sim.endpoint(), query.join("&")))
        .header("content-type", "application/x-www-form-urlencoded")
        .body("AuditStatus=AUDITING")
        .send()
        .await
        .unwrap();
    let answer = Answer {
        status: resp.status().as_u16(),
        headers: resp.headers().clone(),
        text: resp.text().await.unwrap(),
    };
    assert_eq!(answer.status, 200, "{}", answer.text);
    let robots = answer.data();
    assert_eq!(robots.as_array().unwrap().len(), 1);
    assert_eq!(robots[0]["auditStatus"], "AUDITING");
    assert_eq!(robots[0]["robotName"], "满意度调查");
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
    let params = BTreeMap::from([("AuditStatus".to_owned(), "AUDITPASS".to_owned())]);
    let mut signed = sign_request(
        "QueryRobotInfoList",
        params,
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    )
    .params()
    .clone();
    signed.insert("Format".into(), "XML".into());
    let to_sign = crate::aliyun::signature::string_to_sign(HttpMethod::Post, &signed);
    let signature = crate::aliyun::signature::sign(DEMO_ACCESS_KEY_SECRET, &to_sign);
    let query = format!(
        "{}&Signature={}",
        crate::aliyun::signature::canonicalized_query(&signed),
        percent_encode(&signature)
    );
    let resp = rig
        .http
        .post(format!("{}/?{query}", rig.sim.endpoint()))
        .send()
        .await
        .unwrap();
    assert!(resp.headers()["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/xml"));
    let body = resp.text().await.unwrap();
    assert!(
        body.contains("<QueryRobotInfoListResponse><RequestId>"),
        "{body}"
    );
    assert!(body.contains("<Code>OK</Code>"), "{body}");

    let put = rig
        .http
        .put(format!("{}/?Action=QueryRobotInfoList", rig.sim.endpoint()))
        .send()
        .await
        .unwrap();
    assert_eq!(put.status().as_u16(), 400);
    let body: Value = serde_json::from_str(&put.text().await.unwrap()).unwrap();
    assert_eq!(body["Code"], "UnsupportedHTTPMethod");
}

#[tokio::test]
async fn scheduled_task_can_be_cancelled_before_it_starts() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let at = (t0() + Duration::hours(2)).timestamp_millis().to_string();
    let answer = rig
        .call(
            "BatchRobotSmartCall",
            &[
                ("CalledNumber", "13900000000,13900000001"),
                ("CalledShowNumber", "057112345678"),
                ("DialogId", DEMO_DIALOG_ID),
                ("TaskName", "定时任务"),
                ("CorpName", "公司"),
                ("ScheduleCall", "true"),
                ("ScheduleTime", &at),
            ],
        )
        .await;
    let task = answer.json()["TaskId"].as_str().unwrap().to_owned();
    let list = rig.call("QueryRobotTaskList", &[]).await;
    assert_eq!(list.json()["TotalCount"], "1");
    assert_eq!(list.data()[0]["status"], "INIT");
    assert_eq!(list.data()[0]["scheduleType"], "ORDER");
    let detail = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(detail.data()["taskName"], "定时任务");
    let cancel = rig.call("CancelOrderRobotTask", &[("TaskId", &task)]).await;
    assert_eq!(cancel.json()["Data"], "true");
    rig.clock.set(t0() + Duration::hours(3));
    let later = rig.call("QueryRobotTaskList", &[]).await;
    assert_eq!(later.data()[0]["status"], "CANCEL");
    let calls = rig
        .call("QueryRobotTaskCallList", &[("TaskId", &task)])
        .await;
    assert_eq!(calls.data(), Value::Array(vec![]));
    // Cancelling again is refused in Data, not as an error.
    let again = rig.call("CancelOrderRobotTask", &[("TaskId", &task)]).await;
    assert_eq!(
        (again.code(), again.json()["Data"].clone()),
        ("OK".to_owned(), Value::from("false"))
    );
}

#[tokio::test]
async fn stop_restart_cancel_and_delete_a_running_task() {
    let rig = Rig::new(SimulatorConfig {
        call_spacing_ms: 10_000,
        ..SimulatorConfig::demo()
    })
    .await;
    let at = |secs: i64| rig.clock.set(t0() + Duration::seconds(secs));
    let task = rig.batch(&numbers(4)).await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let id = [("TaskId", task.as_str())];
    let rows = |answer: Answer| answer.data().as_array().map(Vec::len).unwrap_or(0);
    let status = |answer: Answer| answer.data()["status"].as_str().unwrap_or("").to_owned();

    at(15);
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await),
        "EXCUTING"
    );
    assert_eq!(rig.call("StopRobotTask", &id).await.json()["Data"], "true");
    at(100);
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await),
        "MANUAL_STOP"
    );
    assert_eq!(rows(rig.call("QueryRobotTaskCallList", &id).await), 2);
    assert_eq!(rig.call("StartRobotTask", &id).await.json()["Data"], "true");
    at(3600);
    assert_eq!(rows(rig.call("QueryRobotTaskCallList", &id).await), 4);
    let list = rig.call("QueryRobotTaskList", &[]).await.data();
    assert_eq!(list[0]["status"], "FINISH");
    assert_eq!(list[0]["finishCount"], 4);
    assert!(list[0]["completeTime"].is_string());
    assert_eq!(
        rig.call("DeleteRobotTask", &id).await.json()["Data"],
        "true"
    );
    let gone = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(gone.code(), "isv.INVALID_PARAMETERS");

    // Terminating a running task: callees not dialled yet are never called.
    at(4000);
    let other = rig.batch(&numbers(4)).await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    at(4005);
    assert_eq!(
        rig.call("StopRobotTask", &[("TaskId", "123")]).await.code(),
        "isv.INVALID_PARAMETERS"
    );
    assert_eq!(
        rig.call("CancelRobotTask", &[("TaskId", &other)])
            .await
            .json()["Data"],
        "true"
    );
    at(9000);
    assert_eq!(
        rows(
            rig.call("QueryRobotTaskCallList", &[("TaskId", &other)])
                .await
        ),
        1
    );
    assert_eq!(
        status(rig.call("QueryRobotTaskDetail", &[("Id", &other)]).await),
        "CANCEL"
    );
    // A finished or cancelled task cannot be stopped: Data "false", not an error.
    let refused = rig.call("StopRobotTask", &[("TaskId", &other)]).await;
    assert_eq!(
        (refused.code(), refused.json()["Data"].clone()),
        ("OK".to_owned(), Value::from("false"))
    );
}

#[tokio::test]
async fn robot_task_apis_can_refuse_batch_task_ids() {
    let rig = Rig::new(SimulatorConfig {
        batch_task_visibility: BatchTaskVisibility::Error,
        ..SimulatorConfig::demo()
    })
    .await;
    let task = rig.batch("13900000000").await.json()["TaskId"]
        .as_str()
        .unwrap()
        .to_owned();
    let detail = rig.call("QueryRobotTaskDetail", &[("Id", &task)]).await;
    assert_eq!(
        (detail.status, detail.code()),
        (400, "isv.INVALID_PARAMETERS".to_owned())
    );
    assert_eq!(
        rig.call("QueryRobotTaskList", &[]).await.json()["TotalCount"],
        "0"
    );
    // The per-callee API still works.
    let ms = t0().timestamp_millis().to_string();
    let per_callee = rig
        .call(
            "QueryCallDetailByTaskId",
            &[
                ("TaskId", &task),
                ("Callee", "13900000000"),
                ("QueryDate", &ms),
            ],
        )
        .await;
    assert_eq!(per_callee.data()["callee"], "13900000000");
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

fn plan(f: impl FnOnce(&mut FaultPlan)) -> FaultPlan {
    let mut p = FaultPlan::default();
    f(&mut p);
    p
}

#[tokio::test]
async fn throttling_first_calls_does_not_create_tasks() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| p.throttle_first = 2))).await;
    for _ in 0..2 {
        let a = rig.batch("13900000000").await;
        assert_eq!((a.status, a.code()), (400, "Throttling.User".to_owned()));
        assert_eq!(
            a.json()["Message"],
            "Request was denied due to user flow control."
        );
    }
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let record = rig.sim.record();
    assert_eq!(record.batch_calls.len(), 1);
    assert_eq!(
        record
            .requests
            .iter()
            .filter(|r| r.fault.as_deref() == Some("throttle"))
            .count(),
        2
    );
}

#[tokio::test]
async fn server_errors_before_and_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.error_500_every = Some(2)
    })))
    .await;
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let e = rig.batch("13900000001").await;
    assert_eq!((e.status, e.code()), (500, "InternalError".to_owned()));
    assert_eq!(
        rig.sim.record().batch_calls.len(),
        1,
        "a 5xx before processing records nothing"
    );

    rig.sim
        .set_faults(plan(|p| p.error_500_after_processing_every = Some(1)));
    let e = rig.batch("13900000002").await;
    assert_eq!((e.status, e.code()), (500, "InternalError".to_owned()));
    let record = rig.sim.record();
    let last = record.batch_calls.last().unwrap();
    assert_eq!(last.called_numbers, vec!["13900000002"]);
    assert!(
        last.task_id.is_some(),
        "the task exists although the client saw a 500"
    );
    assert!(!last.result.delivered);
    assert_eq!(last.result.http_status, 500);
    assert_eq!(
        last.result.fault.as_deref(),
        Some("error500AfterProcessing")
    );
}

#[tokio::test]
async fn html_502_page_and_wrong_content_type() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.html_502_every = Some(1)
    })))
    .await;
    let a = rig.batch("13900000000").await;
    assert_eq!(a.status, 502);
    assert!(a.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert!(a.text.contains("502 Bad Gateway"));
    assert!(rig.sim.record().batch_calls.is_empty());

    rig.sim
        .set_faults(plan(|p| p.wrong_content_type_every = Some(1)));
    let b = rig.batch("13900000000").await;
    assert_eq!(b.status, 200);
    assert!(b.headers["content-type"]
        .to_str()
        .unwrap()
        .starts_with("text/html"));
    assert_eq!(b.code(), "OK");
    assert_eq!(rig.sim.record().accepted().count(), 1);
}

#[tokio::test]
async fn dropped_connections_before_and_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.drop_connection_every = Some(1)
    })))
    .await;
    let err = rig
        .try_call("BatchRobotSmartCall", &[("CalledNumber", "13900000000")])
        .await;
    assert!(err.is_err(), "no answer expected");
    assert!(rig.sim.record().batch_calls.is_empty());
    // Exactly one attempt arrived: the client did not silently retry on a fresh connection.
    assert_eq!(rig.sim.record().requests.len(), 1);
    assert_eq!(
        rig.sim.record().requests[0].fault.as_deref(),
        Some("dropConnection")
    );

    rig.sim
        .set_faults(plan(|p| p.drop_after_processing_every = Some(1)));
    let params = [
        ("CalledNumber", "13900000000"),
        ("CalledShowNumber", "057112345678"),
        ("DialogId", DEMO_DIALOG_ID),
        ("TaskName", "t"),
        ("CorpName", "c"),
    ];
    assert!(rig.try_call("BatchRobotSmartCall", &params).await.is_err());
    let record = rig.sim.record();
    assert_eq!(record.accepted().count(), 1);
    assert!(!record.batch_calls[0].result.delivered);
    assert_eq!(record.batch_calls[0].result.http_status, 0);
}

#[tokio::test]
async fn empty_and_truncated_bodies_after_processing() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.empty_body_every = Some(1)
    })))
    .await;
    let a = rig.batch("13900000000").await;
    assert_eq!((a.status, a.text.as_str()), (200, ""));
    rig.sim
        .set_faults(plan(|p| p.truncated_body_every = Some(1)));
    let b = rig.batch("13900000001").await;
    assert_eq!(b.status, 200);
    assert!(b.text.starts_with("{\"RequestId\""), "{}", b.text);
    assert!(
        serde_json::from_str::<Value>(&b.text).is_err(),
        "cut JSON: {}",
        b.text
    );
    let record = rig.sim.record();
    assert_eq!(record.accepted().count(), 2, "both were processed");
    let faults: Vec<_> = record
        .batch_calls
        .iter()
        .map(|c| (c.result.delivered, c.result.fault.clone()))
        .collect();
    assert_eq!(
        faults,
        [
            (false, Some("emptyBody".to_owned())),
            (false, Some("truncatedBody".to_owned()))
        ]
    );
}

#[tokio::test]
async fn latency_makes_a_short_timeout_fire() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| p.latency_ms = 3_000))).await;
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &rig.creds,
        &*rig.clock,
        &rig.nonces,
        &SignOptions::default(),
    );
    let err = rig
        .http
        .post(format!("{}/?{}", rig.sim.endpoint(), signed.query()))
        .timeout(std::time::Duration::from_millis(200))
        .send()
        .await
        .expect_err("times out");
    assert!(err.is_timeout());
    rig.sim.set_faults(FaultPlan::default());
    assert_eq!(rig.call("QueryRobotInfoList", &[]).await.code(), "OK");
}

#[tokio::test]
async fn scripted_business_answers_and_malformed_data() {
    let rig = Rig::new(SimulatorConfig::with_faults(plan(|p| {
        p.batch_answers = vec![
            FaultPlan::parse_batch_answer("2:isv.AMOUNT_NOT_ENOUGH").unwrap(),
            FaultPlan::parse_batch_answer("3:isv.BUSINESS_LIMIT_CONTROL").unwrap(),
        ]
    })))
    .await;
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let second = rig.batch("13900000001").await;
    assert_eq!(
        (second.status, second.code()),
        (400, "isv.AMOUNT_NOT_ENOUGH".to_owned())
    );
    assert_eq!(second.json()["Message"], "账户余额不足");
    assert_eq!(
        rig.batch("13900000002").await.code(),
        "isv.BUSINESS_LIMIT_CONTROL"
    );
    assert_eq!(rig.batch("13900000003").await.code(), "OK");
    let record = rig.sim.record();
    let codes: Vec<_> = record
        .batch_calls
        .iter()
        .map(|c| c.result.code.as_str())
        .collect();
    assert_eq!(
        codes,
        [
            "OK",
            "isv.AMOUNT_NOT_ENOUGH",
            "isv.BUSINESS_LIMIT_CONTROL",
            "OK"
        ]
    );
    assert_eq!(record.accepted().count(), 2);

    rig.sim
        .set_faults(plan(|p| p.malformed_data_every = Some(1)));
    let robots = rig.call("QueryRobotInfoList", &[]).await;
    assert_eq!(robots.code(), "OK");
    let data = robots.json()["Data"].as_str().unwrap().to_owned();
    assert!(
        serde_json::from_str::<Value>(&data).is_err(),
        "Data should be broken: {data}"
    );
}

#[tokio::test]
async fn admin_endpoints_drive_a_simulator_from_outside() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let base = rig.sim.endpoint();
    let set = rig
        .http
        .post(format!("{base}/__simulator/faults"))
        .body(r#"{"throttleFirst":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(set.status().as_u16(), 200);
    assert_eq!(rig.batch("13900000000").await.code(), "Throttling.User");
    assert_eq!(rig.batch("13900000000").await.code(), "OK");
    let faults: FaultPlan = rig
        .http
        .get(format!("{base}/__simulator/faults"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(faults.throttle_first, 1);
    let bad = rig
        .http
        .post(format!("{base}/__simulator/faults"))
        .body(r#"{"nope":1}"#)
        .send()
        .await
        .unwrap();
    assert_eq!(bad.status().as_u16(), 400);

    let record: SimulatorRecord = rig
        .http
        .get(format!("{base}/__simulator/record"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(record, rig.sim.record());
    assert_eq!(record.accepted().count(), 1);

    let clock: Value = rig
        .http
        .post(format!("{base}/__simulator/clock"))
        .body(r#"{"advanceSeconds":60}"#)
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(clock["now"], "2025-03-03T02:01:00Z");

    let reset = rig
        .http
        .post(format!("{base}/__simulator/reset"))
        .send()
        .await
        .unwrap();
    assert_eq!(reset.status().as_u16(), 200);
    assert_eq!(rig.sim.record(), SimulatorRecord::default());
    let info: Value = rig
        .http
        .get(format!("{base}/__simulator/info"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    assert_eq!(info["accessKeyIds"][0], DEMO_ACCESS_KEY_ID);
    assert!(!info.to_string().contains(DEMO_ACCESS_KEY_SECRET));
}

#[test]
fn thread_handle_serves_without_a_runtime_and_stops_on_drop() {
    let handle = Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap();
    let endpoint = handle.endpoint();
    assert!(endpoint.starts_with("http://127.0.0.1:"));
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let creds = demo_creds();
    let clock = crate::aliyun::signer::SystemClock;
    let signed = sign_request(
        "QueryRobotInfoList",
        BTreeMap::new(),
        &creds,
        &clock,
        &UuidNonce,
        &SignOptions::default(),
    );
    let url = format!("{endpoint}/?{}", signed.query());
    let body: Value = rt.block_on(async {
        reqwest::get(&url)
            .await
            .unwrap()
            .text()
            .await
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap()
    });
    // Sent as GET but signed as POST.
    assert_eq!(body["Code"], "SignatureDoesNotMatch");
    let body: Value = rt.block_on(async {
        let signed = sign_request(
            "QueryRobotInfoList",
            BTreeMap::new(),
            &creds,
            &clock,
            &UuidNonce,
            &SignOptions::default(),
        );
        let url = format!("{endpoint}/?{}", signed.query());
        reqwest::Client::new()
            .post(url)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap()
    });
    assert_eq!(body["Code"], "OK");
    assert_eq!(handle.record().requests.len(), 2);
    let addr = endpoint.trim_start_matches("http://").to_owned();
    drop(handle);
    assert!(
        std::net::TcpStream::connect(addr).is_err(),
        "port closed after drop"
    );
    let _ = clock.now_utc();
}

#[test]
fn port_in_use_is_a_clear_user_error() {
    let first = Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap();
    let addr: SocketAddr = first
        .endpoint()
        .trim_start_matches("http://")
        .parse()
        .unwrap();
    let err = Simulator::spawn_in_thread_on(SimulatorConfig::demo(), addr).unwrap_err();
    let user = err.to_user_error();
    assert_eq!(user.code, "simulator.bind_failed");
    assert!(user.hint.en.contains("--port 0"));
}

// ------------------------------------------------------------------ property tests

mod properties {
    use super::*;
    use proptest::prelude::*;

    /// Names that are not common parameters (the signer owns those).
    fn name() -> impl Strategy<Value = String> {
        "[A-Z][A-Za-z0-9]{0,12}".prop_filter("not a common parameter", |n| {
            !crate::aliyun::signer::COMMON_PARAMS.contains(&n.as_str()) && n != "RegionId"
        })
    }

    /// Values from every corner: printable ASCII (all punctuation), any Unicode, Chinese
    /// with emoji, control characters, empty.
    fn value() -> impl Strategy<Value = String> {
        prop_oneof![
            "[ -~]{0,40}",
            "\\PC{0,20}",
            "[一-龥😀-🙏 *~+/=&%]{0,12}",
            ".{0,10}",
            Just(String::new()),
        ]
    }

    fn params() -> impl Strategy<Value = BTreeMap<String, String>> {
        proptest::collection::btree_map(name(), value(), 0..8)
    }

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(256))]

        /// Whatever a caller signs with the production signer, the simulator's gateway
        /// accepts: both sides canonicalize the same way.
        #[test]
        fn gateway_accepts_every_signed_parameter_map(params in params(), get in any::<bool>()) {
            let clock = FixedClock::new(t0());
            let nonces = SequenceNonce::new("p");
            let options = SignOptions {
                method: if get { HttpMethod::Get } else { HttpMethod::Post },
                ..SignOptions::default()
            };
            let signed = sign_request("QueryRobotInfoList", params, &demo_creds(), &clock, &nonces, &options);
            let mut sent = signed.params().clone();
            sent.insert("Signature".into(), signed.signature().to_owned());
            let config = SimulatorConfig::demo();
            let mut book = super::super::gateway::NonceBook::default();
            let verdict = super::super::gateway::check(&config, &mut book, options.method, &sent, t0());
            prop_assert!(verdict.is_ok(), "{:?}", verdict.err());
        }
    }

    #[test]
    fn over_http_every_signed_parameter_map_is_accepted() {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap();
        let rig = rt.block_on(Rig::new(SimulatorConfig::demo()));
        let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
        runner
            .run(&params(), |params| {
                let pairs: Vec<(&str, &str)> = params
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_str()))
                    .collect();
                let answer = rt.block_on(rig.call("QueryRobotInfoList", &pairs));
                prop_assert_eq!(answer.code(), "OK", "{}", answer.text);
                Ok(())
            })
            .unwrap();
    }
}

/// Throughput figures (not an assertion): `cargo test -p smartdial-core --release --lib
/// simulator::tests::throughput -- --ignored --nocapture`.
#[tokio::test]
#[ignore = "benchmark: prints figures"]
async fn throughput() {
    let rig = Rig::new(SimulatorConfig::demo()).await;
    let n = 2000;
    let started = std::time::Instant::now();
    for _ in 0..n {
        assert_eq!(rig.call("QueryRobotInfoList", &[]).await.code(), "OK");
    }
    let per_sec = f64::from(n) / started.elapsed().as_secs_f64();
    println!("sequential signed QueryRobotInfoList: {per_sec:.0} req/s");

    let big = numbers(1000);
    let started = std::time::Instant::now();
    let mut task = String::new();
    for _ in 0..20 {
        task = rig.batch(&big).await.json()["TaskId"]
            .as_str()
            .unwrap()
            .to_owned();
    }
    let ms = started.elapsed().as_secs_f64() * 1000.0 / 20.0;
    println!("BatchRobotSmartCall with 1000 callees: {ms:.1} ms each");

    let started = std::time::Instant::now();
    let rows = rig
        .call(
            "QueryRobotTaskCallList",
            &[("TaskId", &task), ("PageSize", "1000")],
        )
        .await;
    assert_eq!(rows.data().as_array().unwrap().len(), 1000);
    println!(
        "QueryRobotTaskCallList, 1000 rows: {:.1} ms",
        started.elapsed().as_secs_f64() * 1000.0
    );
}
