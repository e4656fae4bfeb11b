//! Campaigns: batch planning, the sending engine and the SQLite journal that records what
//! was really sent.
//!
//! - [`plan`]: contacts split into `BatchRobotSmartCall`-sized batches, holding their
//!   numbers ([`numbers`]) and template values ([`tts`]) compactly.
//! - [`journal`] (with [`schema`], [`lease`]): the truth about what was sent.
//! - [`engine`] (with [`dialer`], [`pacing`], [`retry`], [`events`]): sending, paced and
//!   retried only where that cannot call anyone twice; [`untracked`]: batches accepted
//!   without a TaskId.

pub mod aliyun_dialer;
pub mod dialer;
pub mod engine;
pub mod events;
pub mod journal;
pub mod lease;
pub mod lifecycle;
pub mod model;
pub mod numbers;
pub mod pacing;
pub mod plan;
pub mod request;
pub mod resplit;
pub mod resume;
pub mod retry;
pub mod schema;
pub mod settings;
pub mod submission;
pub mod tts;
pub mod untracked;

#[cfg(test)]
mod engine_tests;
#[cfg(test)]
pub(crate) mod tests;
