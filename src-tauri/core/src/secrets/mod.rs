//! Secrets: the redacting wrapper for the AccessKey secret, the OS keychain behind the
//! small [`store::SecretStore`] trait, and named AccessKey profiles ([`profiles`]).
//!
//! Keychain calls block (D-Bus on Linux, Security.framework on macOS): async callers run
//! them through `tokio::task::spawn_blocking`.

pub mod profiles;
pub mod store;

use std::fmt;

/// A secret value whose `Debug` and `Display` print `<redacted>`, so it cannot leak through
/// a log line, an error message or a panic message by accident. Read it with [`Secret::expose`]
/// only where it is really used (signing, writing to the keychain).
#[derive(Clone, PartialEq, Eq)]
pub struct Secret(String);

impl Secret {
    /// Wraps a value.
    pub fn new(value: impl Into<String>) -> Self {
        Secret(value.into())
    }

    /// The value itself: only for signing and for writing it to the keychain.
    pub fn expose(&self) -> &str {
        &self.0
    }

    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }
}

impl fmt::Debug for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

impl fmt::Display for Secret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("<redacted>")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_and_display_never_show_the_value() {
        let s = Secret::new("very-secret-value");
        assert_eq!(format!("{s:?}"), "<redacted>");
        assert_eq!(format!("{s}"), "<redacted>");
        assert_eq!(format!("{:?}", Some(&s)), "Some(<redacted>)");
        assert_eq!(s.expose(), "very-secret-value");
    }
}
