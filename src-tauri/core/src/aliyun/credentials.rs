//! An AccessKey pair.

use crate::secrets::Secret;

/// An AccessKey id and its secret. `Debug` shows the id but never the secret.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Credentials {
    pub access_key_id: String,
    pub access_key_secret: Secret,
}

impl Credentials {
    /// Surrounding whitespace is never part of a key: a secret pasted with its trailing
    /// newline (or read from an environment file) would otherwise sign wrongly.
    pub fn new(access_key_id: impl Into<String>, access_key_secret: impl Into<String>) -> Self {
        let (id, secret) = (access_key_id.into(), access_key_secret.into());
        Credentials {
            access_key_id: id.trim().to_owned(),
            access_key_secret: Secret::new(secret.trim()),
        }
    }

    /// The id masked for display, e.g. `LTAI****abcd`.
    pub fn masked_id(&self) -> String {
        mask_access_key_id(&self.access_key_id)
    }
}

/// Shows the first four and last four characters of an AccessKey id, e.g. `LTAI****abcd`;
/// short ids show only their first character.
pub fn mask_access_key_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 8 {
        let head: String = chars.iter().take(1).collect();
        return format!("{head}****");
    }
    let head: String = chars[..4].iter().collect();
    let tail: String = chars[chars.len() - 4..].iter().collect();
    format!("{head}****{tail}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_like_the_console() {
        assert_eq!(mask_access_key_id("LTAI5tAbCdEfGhIjabcd"), "LTAI****abcd");
        assert_eq!(mask_access_key_id("short"), "s****");
        assert_eq!(mask_access_key_id(""), "****");
    }

    #[test]
    fn debug_shows_no_secret() {
        let c = Credentials::new("LTAIid", "s3cr3t-value");
        assert!(!format!("{c:?}").contains("s3cr3t"));
    }
}
