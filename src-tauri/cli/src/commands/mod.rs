//! One module per `smartdial` subcommand.

pub mod info;
