//! IPC commands, one module per screen of the wizard. Each converts transport types to core
//! calls; errors cross as `UserError { code, message, hint }`.

pub mod app;
