//! Cross-crate tests of the `smartdial` command: the real binary against the real simulator,
//! a real SQLite journal and real files, each in its own temporary data folder.

// A test that cannot set up its fixture should stop right there, loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod support;

mod aliyun;
mod campaign;
mod compliance;
mod info;
mod profile;
mod results;
mod sheet;
mod signature;
mod simulator;
