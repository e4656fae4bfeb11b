//! One module per `smartdial` subcommand.

pub mod api;
pub mod campaigns;
pub mod cancel;
pub mod check;
pub mod contacts_args;
pub mod dnc;
pub mod export;
pub mod info;
pub mod profile;
pub mod recall;
pub mod results;
pub mod resume;
pub mod screening;
pub mod sending;
pub mod settings;
pub mod simulator;
pub mod status;
pub mod submit;
pub mod template;
