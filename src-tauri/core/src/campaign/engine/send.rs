//! One batch, from its request to its recorded outcome: retried only where nobody can have
//! been called, and telling the dispatcher when the run must pause or stop.

use std::sync::atomic::Ordering;
use std::sync::Arc;

use super::run::{batch_update, lock, record, BatchDone, RunShared, Signal};
use super::EngineError;
use crate::campaign::dialer::{DialFailure, Dialer, FailureClass};
use crate::campaign::events::{EngineEvent, RetryKind, RetryNotice};
use crate::campaign::journal::{unknown_hint, AttemptOutcome, JournalError};
use crate::campaign::model::{BatchRow, BatchState};
use crate::campaign::resume;
use crate::campaign::untracked;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// Sends one batch (already committed as `sending`) until it is accepted, refused, unknown,
/// or out of safe retries, recording every attempt.
pub(super) async fn send_batch<D: Dialer>(
    shared: Arc<RunShared<D>>,
    batch: BatchRow,
    mut attempt: u32,
) -> Result<BatchDone, EngineError> {
    let id = shared.campaign_id();
    let request = crate::campaign::request::for_batch(&shared.settings, &batch);
    loop {
        let result = shared.dialer.dial(&request).await;
        let failure = match result {
            Ok(accepted) => {
                let outcome = AttemptOutcome::Accepted {
                    task_id: accepted.task_id.clone(),
                    request_id: accepted.request_id,
                };
                record(&shared, &batch, attempt, &outcome)?;
                // Sent all the same, but an OK without a TaskId is not normal: stop starting
                // batches until the marketer has looked.
                let signal = accepted
                    .task_id
                    .is_none()
                    .then(|| Signal::Defer(untracked::pause_reason(&batch.task_name)));
                shared.emit(batch_update(
                    &shared,
                    &batch,
                    BatchState::Sent,
                    attempt,
                    accepted.task_id,
                    None,
                ));
                return Ok(BatchDone { signal });
            }
            Err(failure) => failure,
        };
        let halted = shared.halt.load(Ordering::SeqCst);
        let too_large = resume::CALLEE_LIMIT_CODES.contains(&failure.code.as_str());
        let (outcome, signal) = match failure.class {
            // Every batch of this size would be refused alike; nobody was called, so the
            // unsent batches can be re-split and sent.
            _ if too_large => (
                rejected(&failure, true),
                Some(Signal::Stop(resume::callee_limit_reason(
                    batch.called_numbers.len(),
                    resume::suggested_batch_size(batch.called_numbers.len() as u32),
                ))),
            ),
            FailureClass::RetrySafe if shared.retry.may_retry(attempt) && !halted => {
                record(
                    &shared,
                    &batch,
                    attempt,
                    &AttemptOutcome::WillRetry {
                        code: failure.code.clone(),
                    },
                )?;
                let delay = {
                    let mut rng = shared.rng.lock().unwrap_or_else(|p| p.into_inner());
                    shared
                        .retry
                        .delay(attempt, failure.retry_after, rng.as_mut())
                };
                shared.emit(EngineEvent::Retrying(RetryNotice {
                    campaign_id: id,
                    index: batch.index,
                    attempt,
                    delay_ms: delay.as_millis() as u64,
                    code: failure.code.clone(),
                    kind: RetryKind::of(&failure.code),
                }));
                tokio::time::sleep(delay).await;
                shared.limiter.acquire().await;
                if shared.halt.load(Ordering::SeqCst) {
                    // Winding down: this batch never reached the server, so it stays
                    // sendable for the next run.
                    record(&shared, &batch, attempt, &rejected(&failure, true))?;
                    shared.emit(batch_update(
                        &shared,
                        &batch,
                        BatchState::Rejected,
                        attempt,
                        None,
                        Some(&failure),
                    ));
                    return Ok(BatchDone { signal: None });
                }
                match lock(&shared.journal).begin_attempt(
                    &shared.lease,
                    batch.index,
                    true,
                    shared.clock.now_ms(),
                ) {
                    // A retry is never screened again: it always goes on sending.
                    Ok(begun) => attempt = begun.attempt().unwrap_or(attempt),
                    Err(JournalError::LeaseLost(_)) => {
                        drop(record(&shared, &batch, attempt, &rejected(&failure, true)));
                        return Ok(BatchDone {
                            signal: Some(Signal::LeaseLost),
                        });
                    }
                    Err(err) => return Err(err.into()),
                }
                shared.emit(batch_update(
                    &shared,
                    &batch,
                    BatchState::Sending,
                    attempt,
                    None,
                    None,
                ));
                continue;
            }
            // Winding down: nobody was called, so it may go next run.
            FailureClass::RetrySafe if halted => (rejected(&failure, true), None),
            // Out of attempts: the network or the quota is down for everyone, so pause the
            // campaign rather than grind every remaining batch through the same retries.
            FailureClass::RetrySafe => (
                rejected(&failure, true),
                Some(Signal::Defer(failure.user.clone())),
            ),
            FailureClass::Defer => (
                rejected(&failure, true),
                Some(Signal::Defer(failure.user.clone())),
            ),
            FailureClass::Permanent if failure.account_level => (
                rejected(&failure, true),
                Some(Signal::Stop(failure.user.clone())),
            ),
            // A refusal SmartDial cannot explain may hit every later batch alike: pause.
            FailureClass::Permanent if !failure.explained => (
                rejected(&failure, false),
                Some(Signal::Defer(unexplained_reason(&batch, &failure))),
            ),
            FailureClass::Permanent => (rejected(&failure, false), None),
            // Sending on after an answer that may have called people would only pile up more
            // batches in the same doubt.
            FailureClass::OutcomeUnknown => (
                AttemptOutcome::Unknown {
                    code: failure.code.clone(),
                    problem: unknown_problem(&failure),
                },
                Some(Signal::Defer(unexplained_reason(&batch, &failure))),
            ),
        };
        let state = record(&shared, &batch, attempt, &outcome)?;
        let shown = match &outcome {
            AttemptOutcome::Unknown { problem, .. } => DialFailure {
                user: problem.clone(),
                ..failure
            },
            _ => failure,
        };
        shared.emit(batch_update(
            &shared,
            &batch,
            state,
            attempt,
            None,
            Some(&shown),
        ));
        return Ok(BatchDone { signal });
    }
}

/// What the user reads for an `unknown` batch: the failure as the client explained it, with
/// the decision to make (check, then mark as sent or resend) as the hint.
fn unknown_problem(failure: &DialFailure) -> UserError {
    UserError {
        hint: unknown_hint(),
        ..failure.user.clone()
    }
}

/// Why a run paused on an answer that may have called people or that SmartDial does not
/// know: the batch, what came back, and what to do before resuming.
fn unexplained_reason(batch: &BatchRow, failure: &DialFailure) -> UserError {
    let n = batch.index + 1;
    let name = &batch.task_name;
    let unknown = failure.class == FailureClass::OutcomeUnknown;
    let (zh_then, en_then) = if unknown {
        (
            "不知道这一批是否已被阿里云收到",
            "it is not known whether Alibaba Cloud received this batch",
        )
    } else {
        (
            "阿里云给出了 SmartDial 不认识的回答",
            "Alibaba Cloud gave an answer SmartDial does not know",
        )
    };
    UserError::new(
        ErrorCode::CampaignPausedUnexplained,
        Localized::new(
            format!(
                "第 {n} 批（任务“{name}”）：{zh_then}（{}），为避免重复呼叫或白白发出更多批次，已暂停发送。",
                failure.user.message.zh_cn.trim_end_matches('。')
            ),
            format!(
                "Batch {n} (task \"{name}\"): {en_then} ({}), so sending is paused rather than risk calling people twice or sending more batches in vain.",
                failure.user.message.en.trim_end_matches('.')
            ),
        ),
        if unknown {
            unknown_hint()
        } else {
            Localized::new(
                "查看这一批的错误说明；问题解决后点“继续发送”发出其余批次（smartdial resume）。",
                "Read this batch's error; once the cause is dealt with, resume to send the remaining batches (smartdial resume).",
            )
        },
    )
}

fn rejected(failure: &DialFailure, retryable: bool) -> AttemptOutcome {
    AttemptOutcome::Rejected {
        code: failure.code.clone(),
        problem: failure.user.clone(),
        retryable,
        request_id: failure.request_id.clone(),
    }
}
