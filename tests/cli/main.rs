//! Cross-crate tests of the `smartdial` command: the real binary against the real simulator,
//! a real SQLite journal and real files, each in its own temporary data folder.

mod support;

mod aliyun;
mod campaign;
mod info;
mod profile;
mod results;
mod sheet;
mod simulator;
