//! One module per `smartdial` subcommand.

pub mod check;
pub mod info;
pub mod template;
