//! What the engine needs from the dyvms client: send one batch, and say what a failure
//! means for the people in it. The engine is written against this trait so it can be
//! tested with scripted outcomes; [`super::aliyun_dialer`] adapts the real client.

use std::future::Future;
use std::time::Duration;

use crate::aliyun::BatchRobotSmartCallRequest;
use crate::text::UserError;

/// The server accepted a batch.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialAccepted {
    /// `None` when the server said `OK` without a `TaskId`: sent all the same.
    pub task_id: Option<String>,
    pub request_id: String,
}

/// What a failure means for the people in the batch, which decides what the engine does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FailureClass {
    /// Certainly not received (connection refused, DNS) or refused as throttled: send again
    /// after a backoff.
    RetrySafe,
    /// Refused because of a business limit or a restricted calling period: pause the campaign.
    Defer,
    /// Refused for good: the batch is `rejected`; account-level ones stop the campaign.
    Permanent,
    /// May have arrived (timeout, dropped connection, 5xx, unreadable reply): `unknown`.
    OutcomeUnknown,
}

/// A failed send.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DialFailure {
    pub class: FailureClass,
    /// The API's error code, or a local one (`net.timeout`, `http.503`, ...).
    pub code: String,
    /// The plain-language explanation.
    pub user: UserError,
    /// No balance, key disabled, not subscribed, permission denied: every later batch
    /// would fail the same way.
    pub account_level: bool,
    /// How long the server asked us to wait, if it said.
    pub retry_after: Option<Duration>,
    pub request_id: Option<String>,
    /// The answer is one SmartDial knows (a documented code, a network failure). An
    /// unexplained one (an unknown code, a reply it cannot read) pauses the campaign.
    pub explained: bool,
}

/// Sends batches. Implementations must sign every call afresh (new nonce and timestamp), so
/// calling `dial` again for the same batch is a new, valid request. The request is the one
/// [`super::request::for_batch`] builds, the type the client sends and checks.
pub trait Dialer: Send + Sync + 'static {
    fn dial(
        &self,
        request: &BatchRobotSmartCallRequest,
    ) -> impl Future<Output = Result<DialAccepted, DialFailure>> + Send;
}
