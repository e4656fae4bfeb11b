//! HTTP-level tests: real requests (reqwest) against a real simulator on 127.0.0.1, signed
//! with the production signer. This module holds the shared [`Rig`]; the tests are in its
//! submodules, by what they exercise.

mod calls;
mod faults;
mod harness;
mod properties;
mod signing;
mod tasks;

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::sync::Arc;

use chrono::{DateTime, Utc};
use serde_json::Value;

use crate::aliyun::signer::{
    sign_request, FixedClock, SequenceNonce, SignOptions, SignedRequest, WallClock,
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

/// What came back over HTTP.
struct Answer {
    status: u16,
    headers: reqwest::header::HeaderMap,
    text: String,
}

impl Answer {
    async fn read(resp: reqwest::Response) -> Result<Answer, reqwest::Error> {
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await?;
        Ok(Answer {
            status,
            headers,
            text,
        })
    }

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

    /// A signed POST of `action`, answered.
    async fn call(&self, action: &str, params: &[(&str, &str)]) -> Answer {
        self.try_call(action, params).await.expect("HTTP exchange")
    }

    async fn try_call(
        &self,
        action: &str,
        params: &[(&str, &str)],
    ) -> Result<Answer, reqwest::Error> {
        let signed = self.sign(action, params, &SignOptions::default());
        self.send(self.post(&signed.query())).await
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

    /// `params` signed with the rig's key, clock and nonces, for a test to send its own way.
    fn sign(&self, action: &str, params: &[(&str, &str)], options: &SignOptions) -> SignedRequest {
        self.sign_at(&*self.clock, action, params, options)
    }

    /// [`Rig::sign`] by a client whose clock says something else.
    fn sign_at(
        &self,
        clock: &dyn WallClock,
        action: &str,
        params: &[(&str, &str)],
        options: &SignOptions,
    ) -> SignedRequest {
        let params: BTreeMap<String, String> = params
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        sign_request(action, params, &self.creds, clock, &self.nonces, options)
    }

    /// The simulator's API URL with `query` (none when empty).
    fn url(&self, query: &str) -> String {
        match query {
            "" => format!("{}/", self.sim.endpoint()),
            _ => format!("{}/?{query}", self.sim.endpoint()),
        }
    }

    fn post(&self, query: &str) -> reqwest::RequestBuilder {
        self.http.post(self.url(query))
    }

    fn get(&self, query: &str) -> reqwest::RequestBuilder {
        self.http.get(self.url(query))
    }

    async fn send(&self, request: reqwest::RequestBuilder) -> Result<Answer, reqwest::Error> {
        Answer::read(request.send().await?).await
    }

    /// A request to the simulator's own control API (`/__simulator/...`).
    async fn admin(&self, method: reqwest::Method, path: &str, body: Option<&str>) -> Answer {
        let url = format!("{}/__simulator/{path}", self.sim.endpoint());
        let mut request = self.http.request(method, url);
        if let Some(body) = body {
            request = request.body(body.to_owned());
        }
        self.send(request).await.expect("HTTP exchange")
    }
}

fn numbers(n: usize) -> String {
    (0..n)
        .map(|i| format!("139{i:08}"))
        .collect::<Vec<_>>()
        .join(",")
}
