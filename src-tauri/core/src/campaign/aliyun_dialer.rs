//! The real [`Dialer`]: the dyvms client, with its error classes mapped onto what the
//! engine does.

use super::dialer::{DialAccepted, DialFailure, Dialer, FailureClass};
use crate::aliyun::advice::{advice_for, UNKNOWN_CODE};
use crate::aliyun::{BatchRobotSmartCallRequest, CallError, Client, ErrorClass};

/// What a client error means for the batch.
pub fn failure_from(err: &CallError) -> DialFailure {
    let user = err.to_user_error();
    let class = match err.class() {
        ErrorClass::RetrySafe => FailureClass::RetrySafe,
        ErrorClass::Defer => FailureClass::Defer,
        ErrorClass::Permanent => FailureClass::Permanent,
        ErrorClass::OutcomeUnknown => FailureClass::OutcomeUnknown,
    };
    DialFailure {
        class,
        code: err
            .code()
            .map(str::to_owned)
            .unwrap_or_else(|| user.code.to_string()),
        account_level: err.is_account_level(),
        retry_after: None,
        request_id: err.request_id().map(str::to_owned),
        explained: is_explained(err),
        user,
    }
}

/// Whether SmartDial knows what this answer means.
fn is_explained(err: &CallError) -> bool {
    match err {
        CallError::Api(api) => advice_for(&api.code).code != UNKNOWN_CODE,
        CallError::BadResponse { .. } | CallError::UnexpectedData { .. } => false,
        _ => true,
    }
}

impl Dialer for Client {
    async fn dial(
        &self,
        request: &BatchRobotSmartCallRequest,
    ) -> Result<DialAccepted, DialFailure> {
        match self.batch_robot_smart_call(request).await {
            Ok(accepted) => Ok(DialAccepted {
                task_id: accepted.task_id,
                request_id: accepted.request_id.unwrap_or_default(),
            }),
            Err(err) => Err(failure_from(&err)),
        }
    }
}
