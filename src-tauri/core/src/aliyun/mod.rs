//! Talking to Alibaba Cloud Voice Service (dyvms, API 2017-05-25): signing (V3
//! `ACS3-HMAC-SHA256` by default, V1 `HMAC-SHA1` on request), the HTTP client, typed requests
//! and responses, local validation, and error codes turned into advice. The API facts this
//! module relies on are in `docs/api/signature-v3.md`, `docs/api/dyvms.md` (V1 signature §1,
//! error codes §5) and `docs/api/dyvms-models.md` (fields).
//!
//! ```no_run
//! # async fn demo() -> Result<(), smartdial_core::aliyun::CallError> {
//! use smartdial_core::aliyun::{Client, ClientConfig, Credentials};
//!
//! let client = Client::new(ClientConfig::default(), Credentials::new("LTAI…", "secret"))?;
//! let robots = client.query_robot_info_list(None).await?;
//! println!("{} robots", robots.len());
//! # Ok(()) }
//! ```

pub mod advice;
pub mod client;
pub mod credentials;
pub mod error;
pub mod key_check;
pub mod models;
pub mod ram;
pub mod response;
pub mod robot_audit;
pub mod signature;
pub mod signature_v3;
pub mod signer;
pub mod signer_v3;
pub mod signing;
pub mod tasks;
pub mod validate;

pub use advice::ErrorClass;
pub use client::{Client, ClientConfig, DEFAULT_ENDPOINT};
pub use credentials::Credentials;
pub use error::{ApiError, CallError, Diagnosis};
pub use key_check::{check_key, KeyCheck};
pub use models::{
    ApiResponse, BatchCallAccepted, BatchRobotSmartCallRequest, CallDetail, RobotInfo,
};
pub use signer::{NonceSource, UuidNonce};
pub use signing::{SignatureVersion, SignedCall, ENV_SIGNATURE};
pub use validate::{RequestLimits, RequestProblem};
