//! The dyvms HTTP client: `POST https://host/?<params>` with an empty body, as the official
//! SDKs send it (`docs/api/dyvms.md` §1.4), signed with V3 (`ACS3-HMAC-SHA256`, headers;
//! `docs/api/signature-v3.md`) by default or V1 (`HMAC-SHA1`, `Signature` in the query)
//! when [`ClientConfig::signature`] says so.
//!
//! `Client` is cheap to clone (an `Arc` inside) so a sending engine can share one across
//! tasks. Each attempt is signed afresh; the client itself never retries, because only the
//! caller knows whether a repeat is safe ([`CallError::class`]).
//!
//! Proxies: reqwest reads `HTTPS_PROXY`/`HTTP_PROXY`/`ALL_PROXY` and `NO_PROXY` from the
//! environment by default, which is what office networks need.

use std::collections::BTreeMap;
use std::sync::Arc;
use std::time::Duration;

use tracing::{debug, trace, warn};

use super::credentials::Credentials;
use super::error::{ApiError, CallError, Diagnosis};
use super::models::{
    ApiResponse, BatchCallAccepted, BatchRobotSmartCallRequest, CallDetail, RobotInfo,
};
use super::response::{parse_data, parse_reply, ReplyProblem};
use super::signature::HttpMethod;
use super::signer::{NonceSource, SignOptions, UuidNonce, DEFAULT_REGION_ID};
use super::signing::{sign_call, SignatureVersion, SignedCall};
use super::validate::RequestLimits;
use crate::clock::{SystemClock, WallClock};

/// The central dyvms endpoint (every region resolves to it).
pub const DEFAULT_ENDPOINT: &str = "https://dyvmsapi.aliyuncs.com";

/// How to reach the API.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClientConfig {
    /// `https://dyvmsapi.aliyuncs.com` by default; `http://` only for loopback (the simulator).
    pub endpoint: String,
    /// Time to establish the connection (TCP + TLS).
    pub connect_timeout: Duration,
    /// Time to wait for each read of the reply once the request is sent.
    pub read_timeout: Duration,
    /// `RegionId` to send (UNCERTAIN whether dyvms needs it); `None` sends none.
    pub region_id: Option<String>,
    /// Limits `batch_robot_smart_call` checks before sending.
    pub limits: RequestLimits,
    /// Which signature every request carries; V3 unless a profile or option says V1.
    pub signature: SignatureVersion,
}

impl Default for ClientConfig {
    fn default() -> Self {
        ClientConfig {
            endpoint: DEFAULT_ENDPOINT.to_owned(),
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(30),
            region_id: Some(DEFAULT_REGION_ID.to_owned()),
            limits: RequestLimits::default(),
            signature: SignatureVersion::default(),
        }
    }
}

impl ClientConfig {
    /// The default configuration with another endpoint.
    pub fn with_endpoint(endpoint: impl Into<String>) -> Self {
        ClientConfig {
            endpoint: endpoint.into(),
            ..ClientConfig::default()
        }
    }
}

/// A signed-call client for one AccessKey.
#[derive(Clone)]
pub struct Client {
    inner: Arc<Inner>,
}

#[derive(Clone)]
struct Inner {
    http: reqwest::Client,
    base: reqwest::Url,
    host: String,
    /// The `Host` header value V3 signs: the host, with `:port` when it is not the default.
    authority: String,
    config: ClientConfig,
    credentials: Credentials,
    clock: Arc<dyn WallClock>,
    nonces: Arc<dyn NonceSource>,
}

impl std::fmt::Debug for Client {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Client")
            .field("endpoint", &self.inner.config.endpoint)
            .field("access_key_id", &self.inner.credentials.masked_id())
            .finish()
    }
}

/// Actions that only read; anything else may have an effect and is never repeated blindly.
pub fn is_read_only(action: &str) -> bool {
    ["Query", "List", "Get", "Describe"]
        .iter()
        .any(|p| action.starts_with(p))
}

impl Client {
    /// A client using the computer's clock and random UUID nonces.
    pub fn new(config: ClientConfig, credentials: Credentials) -> Result<Client, CallError> {
        Client::with_sources(
            config,
            credentials,
            Arc::new(SystemClock),
            Arc::new(UuidNonce),
        )
    }

    /// A client with injected time and nonce sources (tests, the simulator's demo).
    pub fn with_sources(
        config: ClientConfig,
        credentials: Credentials,
        clock: Arc<dyn WallClock>,
        nonces: Arc<dyn NonceSource>,
    ) -> Result<Client, CallError> {
        let base = parse_endpoint(&config.endpoint)?;
        let host = base.host_str().unwrap_or_default().to_owned();
        let authority = match base.port() {
            Some(port) => format!("{host}:{port}"),
            None => host.clone(),
        };
        let http = reqwest::Client::builder()
            .connect_timeout(config.connect_timeout)
            .read_timeout(config.read_timeout)
            // A redirect would send the signed query to another host.
            .redirect(reqwest::redirect::Policy::none())
            .user_agent(concat!("SmartDial/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CallError::ClientSetup {
                detail: error_chain(&e.without_url()),
            })?;
        Ok(Client {
            inner: Arc::new(Inner {
                http,
                base,
                host,
                authority,
                config,
                credentials,
                clock,
                nonces,
            }),
        })
    }

    pub fn config(&self) -> &ClientConfig {
        &self.inner.config
    }

    /// The AccessKey id this client signs with.
    pub fn access_key_id(&self) -> &str {
        &self.inner.credentials.access_key_id
    }

    /// The signature version this client signs with.
    pub fn signature(&self) -> SignatureVersion {
        self.inner.config.signature
    }

    /// The same client (connection pool, key, clock) signing with `version`.
    pub fn with_signature(&self, version: SignatureVersion) -> Client {
        let mut inner = (*self.inner).clone();
        inner.config.signature = version;
        Client {
            inner: Arc::new(inner),
        }
    }

    /// Signs and sends one action; `Ok` only for `Code: OK`.
    pub async fn call(
        &self,
        action: &str,
        params: BTreeMap<String, String>,
    ) -> Result<ApiResponse, CallError> {
        let write = !is_read_only(action);
        let options = SignOptions {
            region_id: self.inner.config.region_id.clone(),
            method: HttpMethod::Post,
        };
        let signed = sign_call(
            self.inner.config.signature,
            action,
            params,
            &self.inner.credentials,
            self.inner.clock.as_ref(),
            self.inner.nonces.as_ref(),
            &self.inner.authority,
            &options,
        );
        let signature = signed.version().as_str();
        debug!(action, write, host = %self.inner.host, signature, "sending signed request");
        let mut url = self.inner.base.clone();
        let query = signed.query();
        url.set_query((!query.is_empty()).then_some(query.as_str()));
        let mut request = self
            .inner
            .http
            .post(url)
            .header(reqwest::header::CONTENT_LENGTH, "0");
        if let SignedCall::V3(v3) = &signed {
            // reqwest writes `Host` from the URL, which is the same authority V3 signed.
            for (name, value) in v3.headers().iter().filter(|(n, _)| n != "host") {
                request = request.header(name.as_str(), value.as_str());
            }
            let mut auth =
                reqwest::header::HeaderValue::from_str(&v3.authorization()).map_err(|_| {
                    CallError::ClientSetup {
                        detail: "the AccessKey id cannot be sent in a header".to_owned(),
                    }
                })?;
            // Keeps the value out of any debug output of the HTTP stack.
            auth.set_sensitive(true);
            request = request
                .header(reqwest::header::AUTHORIZATION, auth)
                .header(reqwest::header::ACCEPT, "application/json");
        }
        let sent = request.send().await;
        let response = match sent {
            Ok(r) => r,
            Err(e) => return Err(self.transport_error(action, write, e)),
        };
        let status = response.status().as_u16();
        let date = response
            .headers()
            .get(reqwest::header::DATE)
            .and_then(|v| v.to_str().ok())
            .map(str::to_owned);
        let body = match response.bytes().await {
            Ok(b) => b,
            Err(e) => return Err(self.transport_error(action, write, e)),
        };
        trace!(action, status, bytes = body.len(), "reply received");
        match parse_reply(status, &body) {
            Ok(reply) => {
                debug!(
                    action,
                    status,
                    request_id = reply.request_id.as_deref().unwrap_or(""),
                    "call succeeded"
                );
                Ok(reply)
            }
            Err(ReplyProblem::Unreadable { kind, request_id }) => {
                warn!(action, status, ?kind, "unreadable reply");
                Err(CallError::BadResponse {
                    action: action.to_owned(),
                    write,
                    status,
                    kind,
                    request_id,
                })
            }
            Err(ReplyProblem::Api {
                code,
                message,
                request_id,
            }) => {
                let diagnosis = self.diagnose(&code, &message, &signed, date.as_deref());
                warn!(action, status, code = %code, request_id = request_id.as_deref().unwrap_or(""), "call refused");
                Err(CallError::Api(Box::new(ApiError {
                    action: action.to_owned(),
                    write,
                    http_status: status,
                    code,
                    message,
                    request_id,
                    diagnosis,
                })))
            }
        }
    }

    /// Validates and sends a `BatchRobotSmartCall`. Never retried here: a timeout after the
    /// request left is [`super::ErrorClass::OutcomeUnknown`].
    pub async fn batch_robot_smart_call(
        &self,
        request: &BatchRobotSmartCallRequest,
    ) -> Result<BatchCallAccepted, CallError> {
        const ACTION: &str = "BatchRobotSmartCall";
        let problems = request.validate(self.inner.clock.now_ms(), &self.inner.config.limits);
        if !problems.is_empty() {
            return Err(CallError::InvalidRequest {
                action: ACTION.to_owned(),
                problems,
            });
        }
        let reply = self.call(ACTION, request.to_params()).await?;
        // `Code: OK` means the task was created, whatever else the reply lacks: treating a
        // missing TaskId as a failure would let the same people be sent again.
        let task_id = reply
            .str_field("TaskId")
            .filter(|t| !t.trim().is_empty())
            .map(str::to_owned);
        if task_id.is_none() {
            warn!(
                action = ACTION,
                request_id = reply.request_id.as_deref().unwrap_or(""),
                "accepted without a TaskId"
            );
        }
        Ok(BatchCallAccepted {
            task_id,
            request_id: reply.request_id.clone(),
        })
    }

    /// Lists robots (communication scripts); also the cheapest way to verify a key.
    pub async fn query_robot_info_list(
        &self,
        audit_status: Option<&str>,
    ) -> Result<Vec<RobotInfo>, CallError> {
        const ACTION: &str = "QueryRobotInfoList";
        let mut params = BTreeMap::new();
        if let Some(status) = audit_status {
            params.insert("AuditStatus".to_owned(), status.to_owned());
        }
        let reply = self.call(ACTION, params).await?;
        let data = data_of(ACTION, &reply)?;
        Ok(match data {
            serde_json::Value::Array(items) => items.iter().map(RobotInfo::from_json).collect(),
            serde_json::Value::Null => Vec::new(),
            // Some list APIs wrap the list in an object; take the first array inside.
            serde_json::Value::Object(map) => map
                .values()
                .find_map(serde_json::Value::as_array)
                .map(|items| items.iter().map(RobotInfo::from_json).collect())
                .unwrap_or_default(),
            other => {
                return Err(CallError::UnexpectedData {
                    action: ACTION.to_owned(),
                    request_id: reply.request_id.clone(),
                    detail: format!("Data is {} instead of a list", json_kind(&other)),
                })
            }
        })
    }

    /// One callee's call record in a `BatchRobotSmartCall` task; `None` while there is none.
    pub async fn query_call_detail_by_task_id(
        &self,
        task_id: &str,
        callee: &str,
        query_date_ms: i64,
    ) -> Result<Option<CallDetail>, CallError> {
        const ACTION: &str = "QueryCallDetailByTaskId";
        let params = [
            ("TaskId", task_id.to_owned()),
            ("Callee", callee.to_owned()),
            ("QueryDate", query_date_ms.to_string()),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_owned(), v))
        .collect();
        let reply = self.call(ACTION, params).await?;
        let data = data_of(ACTION, &reply)?;
        Ok(match data {
            serde_json::Value::Null => None,
            serde_json::Value::Object(ref map) if map.is_empty() => None,
            serde_json::Value::Array(items) => items.first().map(CallDetail::from_json),
            other => Some(CallDetail::from_json(&other)),
        })
    }

    fn transport_error(&self, action: &str, write: bool, error: reqwest::Error) -> CallError {
        let error = error.without_url();
        let detail = error_chain(&error);
        warn!(action, detail = %detail, "transport failure");
        if error.is_connect() {
            CallError::Connect {
                action: action.to_owned(),
                host: self.inner.host.clone(),
                detail,
            }
        } else if error.is_timeout() {
            CallError::Timeout {
                action: action.to_owned(),
                write,
                seconds: self.inner.config.read_timeout.as_secs(),
            }
        } else if error.is_builder() {
            CallError::InvalidEndpoint { reason: detail }
        } else {
            CallError::ConnectionLost {
                action: action.to_owned(),
                write,
                detail,
            }
        }
    }

    fn diagnose(
        &self,
        code: &str,
        message: &str,
        signed: &SignedCall,
        date: Option<&str>,
    ) -> Diagnosis {
        match code {
            "SignatureDoesNotMatch" | "IncompleteSignature" => {
                // V1 and V3 alike: the server's string follows this mark.
                const MARK: &str = "server string to sign is:";
                match message.find(MARK) {
                    Some(at) => {
                        let server = message[at + MARK.len()..].trim();
                        if server == signed.string_to_sign() {
                            Diagnosis::WrongSecret
                        } else {
                            Diagnosis::StringToSignDiffers {
                                server: server.to_owned(),
                            }
                        }
                    }
                    None => Diagnosis::None,
                }
            }
            "InvalidTimeStamp.Expired" => date
                .and_then(|d| chrono::DateTime::parse_from_rfc2822(d).ok())
                .map(|server| Diagnosis::ClockSkew {
                    seconds: (server.timestamp_millis() - self.inner.clock.now_ms()) / 1000,
                })
                .unwrap_or(Diagnosis::None),
            _ => Diagnosis::None,
        }
    }
}

fn data_of(action: &str, reply: &ApiResponse) -> Result<serde_json::Value, CallError> {
    parse_data(reply.body.get("Data")).map_err(|detail| CallError::UnexpectedData {
        action: action.to_owned(),
        request_id: reply.request_id.clone(),
        detail,
    })
}

fn json_kind(v: &serde_json::Value) -> &'static str {
    match v {
        serde_json::Value::Null => "null",
        serde_json::Value::Bool(_) => "a boolean",
        serde_json::Value::Number(_) => "a number",
        serde_json::Value::String(_) => "text",
        serde_json::Value::Array(_) => "a list",
        serde_json::Value::Object(_) => "an object",
    }
}

fn parse_endpoint(endpoint: &str) -> Result<reqwest::Url, CallError> {
    let invalid = |reason: &str| CallError::InvalidEndpoint {
        reason: reason.to_owned(),
    };
    let mut url = reqwest::Url::parse(endpoint.trim())
        .map_err(|e| invalid(&format!("\"{endpoint}\" is not a URL ({e})")))?;
    let host = url.host_str().unwrap_or_default().to_owned();
    if host.is_empty() {
        return Err(invalid("the address has no host name"));
    }
    match url.scheme() {
        "https" => {}
        "http" if is_loopback(&host) => {}
        "http" => {
            return Err(invalid(
                "plain http is only allowed for 127.0.0.1 / localhost",
            ))
        }
        other => return Err(invalid(&format!("unsupported scheme {other}"))),
    }
    if !url.username().is_empty() || url.password().is_some() {
        return Err(invalid(
            "the address must not contain a user name or password",
        ));
    }
    url.set_query(None);
    url.set_fragment(None);
    if url.path().is_empty() {
        url.set_path("/");
    }
    Ok(url)
}

fn is_loopback(host: &str) -> bool {
    let bare = host.trim_start_matches('[').trim_end_matches(']');
    bare.eq_ignore_ascii_case("localhost")
        || bare
            .parse::<std::net::IpAddr>()
            .is_ok_and(|ip| ip.is_loopback())
}

/// An error and its sources, joined with `: `; callers pass errors without URLs.
fn error_chain(error: &dyn std::error::Error) -> String {
    let mut text = error.to_string();
    let mut source = error.source();
    while let Some(s) = source {
        let part = s.to_string();
        if !text.contains(&part) {
            text.push_str(": ");
            text.push_str(&part);
        }
        source = s.source();
    }
    text
}

#[cfg(test)]
mod sim_tests;
#[cfg(test)]
mod tests;
