//! The real [`Dialer`]: the dyvms client, with its error classes mapped onto what the
//! engine does.

use super::dialer::{BatchRequest, DialAccepted, DialFailure, Dialer, FailureClass};
use crate::aliyun::advice::{advice_for, UNKNOWN_CODE};
use crate::aliyun::{BatchRobotSmartCallRequest, CallError, Client, ErrorClass};

impl From<&BatchRequest> for BatchRobotSmartCallRequest {
    fn from(batch: &BatchRequest) -> Self {
        BatchRobotSmartCallRequest {
            called_numbers: batch.called_numbers.clone(),
            called_show_numbers: batch.caller_numbers.clone(),
            dialog_id: batch.dialog_id.clone(),
            task_name: batch.task_name.clone(),
            corp_name: batch.corp_name.clone(),
            early_media_asr: batch.early_media_asr,
            is_self_line: batch.is_self_line,
            schedule_time_ms: batch.schedule_time_ms,
            tts_param_head: batch.tts_param_head.clone(),
            tts_param: batch.tts_param.clone(),
        }
    }
}

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
    async fn dial(&self, request: &BatchRequest) -> Result<DialAccepted, DialFailure> {
        let wire = BatchRobotSmartCallRequest::from(request);
        match self.batch_robot_smart_call(&wire).await {
            Ok(accepted) => Ok(DialAccepted {
                task_id: accepted.task_id,
                request_id: accepted.request_id.unwrap_or_default(),
            }),
            Err(err) => Err(failure_from(&err)),
        }
    }
}
