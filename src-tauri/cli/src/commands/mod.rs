//! One module per `smartdial` subcommand.

pub mod api;
pub mod check;
pub mod info;
pub mod profile;
pub mod simulator;
pub mod template;
