//! The client against tiny local servers that misbehave on purpose.

use super::*;
use crate::aliyun::advice::ErrorClass;
use crate::aliyun::response::BodyKind;
use crate::aliyun::signer::{FixedClock, SequenceNonce};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

/// Serves one canned raw HTTP reply per connection; returns the base URL.
async fn raw_server(reply: &'static [u8], close_without_reply: bool) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        while let Ok((mut sock, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut buf = vec![0u8; 16 * 1024];
                let _ = sock.read(&mut buf).await;
                if close_without_reply {
                    drop(sock);
                    return;
                }
                let _ = sock.write_all(reply).await;
                let _ = sock.shutdown().await;
            });
        }
    });
    format!("http://{addr}")
}

fn client(endpoint: &str) -> Client {
    let config = ClientConfig {
        read_timeout: Duration::from_millis(300),
        connect_timeout: Duration::from_millis(500),
        ..ClientConfig::with_endpoint(endpoint)
    };
    Client::with_sources(
        config,
        Credentials::new("LTAI_TEST_AK", "test_secret_123"),
        Arc::new(FixedClock::at_rfc3339("2025-01-01T00:00:00Z").expect("time")),
        Arc::new(SequenceNonce::new("t")),
    )
    .expect("client")
}

fn request() -> BatchRobotSmartCallRequest {
    BatchRobotSmartCallRequest {
        called_numbers: vec!["13900001111".into()],
        called_show_numbers: vec!["057112345678".into()],
        dialog_id: "1".into(),
        task_name: "t".into(),
        corp_name: Some("c".into()),
        ..BatchRobotSmartCallRequest::default()
    }
}

#[tokio::test]
async fn success_returns_task_id_and_request_id() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"RequestId\":\"R1\",\"TaskId\":\"T-9\"}",
        false,
    )
    .await;
    let accepted = client(&url)
        .batch_robot_smart_call(&request())
        .await
        .expect("ok");
    assert_eq!(accepted.task_id.as_deref(), Some("T-9"));
    assert_eq!(accepted.request_id.as_deref(), Some("R1"));
}

#[tokio::test]
async fn ok_without_a_task_id_is_accepted_not_refused() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"RequestId\":\"R2\",\"TaskId\":\" \"}",
        false,
    )
    .await;
    let accepted = client(&url)
        .batch_robot_smart_call(&request())
        .await
        .expect("Code OK is an accepted task");
    assert_eq!(accepted.task_id, None);
    assert_eq!(accepted.request_id.as_deref(), Some("R2"));
}

#[tokio::test]
async fn unreadable_data_is_outcome_unknown_for_a_write_and_permanent_for_a_read() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"RequestId\":\"R3\",\"Data\":\"{not json\"}",
        false,
    )
    .await;
    let c = client(&url);
    let write = c
        .control_robot_task(crate::aliyun::tasks::TaskControl::Stop, "T1")
        .await
        .expect_err("unreadable");
    assert_eq!(write.class(), ErrorClass::OutcomeUnknown);
    assert!(!write.to_user_error().message.zh_cn.is_ascii());
    assert!(
        !write.to_user_error().message.zh_cn.contains("Data"),
        "no English fragment in the Chinese message: {}",
        write.to_user_error().message.zh_cn
    );
    let read = c.query_robot_info_list(None).await.expect_err("unreadable");
    assert_eq!(read.class(), ErrorClass::Permanent);
}

#[tokio::test]
async fn html_error_page_is_outcome_unknown_for_the_write_and_retry_safe_for_a_read() {
    let url = raw_server(
        b"HTTP/1.1 502 Bad Gateway\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n<html><body>502</body></html>",
        false,
    )
    .await;
    let c = client(&url);
    let err = c
        .batch_robot_smart_call(&request())
        .await
        .expect_err("html");
    assert!(
        matches!(
            err,
            CallError::BadResponse {
                kind: BodyKind::Html,
                status: 502,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.class(), ErrorClass::OutcomeUnknown);
    let err = c.query_robot_info_list(None).await.expect_err("html");
    assert_eq!(err.class(), ErrorClass::RetrySafe);
}

#[tokio::test]
async fn truncated_and_empty_bodies() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"Task",
        false,
    )
    .await;
    let err = client(&url)
        .call("QueryRobotInfoList", BTreeMap::new())
        .await
        .expect_err("cut");
    assert!(
        matches!(
            err,
            CallError::BadResponse {
                kind: BodyKind::Truncated,
                ..
            }
        ),
        "{err:?}"
    );
    let url = raw_server(
        b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n",
        false,
    )
    .await;
    let err = client(&url)
        .call("QueryRobotInfoList", BTreeMap::new())
        .await
        .expect_err("empty");
    assert!(
        matches!(
            err,
            CallError::BadResponse {
                kind: BodyKind::Empty,
                status: 500,
                ..
            }
        ),
        "{err:?}"
    );
    // A Content-Length longer than the body: the connection ends mid-reply.
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nContent-Length: 500\r\n\r\n{\"Code\":\"OK\"",
        false,
    )
    .await;
    let err = client(&url)
        .batch_robot_smart_call(&request())
        .await
        .expect_err("short");
    assert!(matches!(err, CallError::ConnectionLost { .. }), "{err:?}");
    assert_eq!(err.class(), ErrorClass::OutcomeUnknown);
}

#[tokio::test]
async fn reset_after_sending_is_outcome_unknown() {
    let url = raw_server(b"", true).await;
    let err = client(&url)
        .batch_robot_smart_call(&request())
        .await
        .expect_err("reset");
    assert!(err.request_left());
    assert_eq!(err.class(), ErrorClass::OutcomeUnknown, "{err:?}");
}

#[tokio::test]
async fn silence_is_a_timeout_after_the_request_left() {
    let listener = TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr");
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((sock, _)) = listener.accept().await {
            held.push(sock); // never answer
        }
    });
    let err = client(&format!("http://{addr}"))
        .batch_robot_smart_call(&request())
        .await
        .expect_err("timeout");
    assert!(
        matches!(err, CallError::Timeout { write: true, .. }),
        "{err:?}"
    );
    assert_eq!(err.class(), ErrorClass::OutcomeUnknown);
    assert_eq!(err.to_user_error().code, "network.timeout.outcome_unknown");
}

#[tokio::test]
async fn refused_connection_never_left() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    let addr = listener.local_addr().expect("addr");
    drop(listener);
    let err = client(&format!("http://{addr}"))
        .batch_robot_smart_call(&request())
        .await
        .expect_err("refused");
    assert!(matches!(err, CallError::Connect { .. }), "{err:?}");
    assert!(!err.request_left());
    assert_eq!(err.class(), ErrorClass::RetrySafe);
    assert!(!err.to_string().contains("Signature"));
    assert!(!err.to_string().contains("LTAI_TEST_AK"));
}

#[tokio::test]
async fn invalid_request_is_not_sent() {
    let mut r = request();
    r.task_name = "x".repeat(31);
    let err = client("http://127.0.0.1:9")
        .batch_robot_smart_call(&r)
        .await
        .expect_err("invalid");
    assert!(matches!(err, CallError::InvalidRequest { .. }));
    assert!(!err.request_left());
}

#[test]
fn endpoints_must_be_https_unless_loopback() {
    let build = |e: &str| Client::new(ClientConfig::with_endpoint(e), Credentials::new("a", "b"));
    assert!(build("https://dyvmsapi.aliyuncs.com").is_ok());
    assert!(build("http://127.0.0.1:8080").is_ok());
    assert!(build("http://[::1]:8080/").is_ok());
    assert!(build("http://localhost:1").is_ok());
    assert!(matches!(
        build("http://dyvmsapi.aliyuncs.com"),
        Err(CallError::InvalidEndpoint { .. })
    ));
    assert!(matches!(
        build("ftp://x"),
        Err(CallError::InvalidEndpoint { .. })
    ));
    assert!(matches!(
        build("not a url"),
        Err(CallError::InvalidEndpoint { .. })
    ));
    assert!(matches!(
        build("https://u:p@host/"),
        Err(CallError::InvalidEndpoint { .. })
    ));
}

#[tokio::test]
async fn data_lists_and_details_are_parsed() {
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"RequestId\":\"R\",\"Data\":\"[{\\\"id\\\":7,\\\"robotName\\\":\\\"r\\\"}]\"}",
        false,
    )
    .await;
    let robots = client(&url)
        .query_robot_info_list(Some("AUDITPASS"))
        .await
        .expect("list");
    assert_eq!(robots.len(), 1);
    assert_eq!(robots[0].id.as_deref(), Some("7"));
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"Data\":\"{\\\"callee\\\":\\\"139\\\",\\\"transferNumber\\\" :0571-8833****,\\\"duration\\\":5}\"}",
        false,
    )
    .await;
    let detail = client(&url)
        .query_call_detail_by_task_id("T", "139", 0)
        .await
        .expect("detail");
    let detail = detail.expect("some");
    assert_eq!(detail.duration, Some(5));
    assert_eq!(detail.raw["transferNumber"], "0571-8833****");
    let url = raw_server(
        b"HTTP/1.1 200 OK\r\nConnection: close\r\n\r\n{\"Code\":\"OK\",\"Data\":null}",
        false,
    )
    .await;
    assert!(client(&url)
        .query_call_detail_by_task_id("T", "139", 0)
        .await
        .expect("none")
        .is_none());
}

#[tokio::test]
async fn clock_skew_comes_from_the_date_header() {
    // The client's clock says 2025-01-01T00:00:00Z; the server says 00:23:10.
    let url = raw_server(
        b"HTTP/1.1 400 Bad Request\r\nDate: Wed, 01 Jan 2025 00:23:10 GMT\r\nConnection: close\r\n\r\n{\"Code\":\"InvalidTimeStamp.Expired\",\"Message\":\"Specified time stamp or date value is expired.\",\"RequestId\":\"R\"}",
        false,
    )
    .await;
    let err = client(&url)
        .call("QueryRobotInfoList", BTreeMap::new())
        .await
        .expect_err("expired");
    match &err {
        CallError::Api(api) => assert_eq!(
            api.diagnosis,
            Diagnosis::ClockSkew {
                seconds: 23 * 60 + 10
            }
        ),
        other => panic!("{other:?}"),
    }
    assert!(err
        .to_user_error()
        .message
        .en
        .contains("about 23 minutes behind"));
}
