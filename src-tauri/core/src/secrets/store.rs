//! Where AccessKey secrets are kept: the OS keychain (service `com.smartdial.app`, user =
//! profile name) behind [`SecretStore`], with an in-memory store for unit tests.
//!
//! Every method blocks (D-Bus on Linux). Async callers use `tokio::task::spawn_blocking`.
//!
//! keyring 3 silently falls back to an in-memory mock when built without a backend for
//! the platform (hence the backend features in the workspace `Cargo.toml`); [`KeyringStore::new`] refuses such a
//! store, so a secret is never "saved" into memory and lost at exit.

use std::collections::HashMap;
use std::sync::Mutex;

use keyring::credential::{CredentialBuilder, CredentialPersistence};

use super::Secret;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// The keychain service name every SmartDial secret is stored under.
pub const KEYCHAIN_SERVICE: &str = "com.smartdial.app";

/// Keeps one secret per profile name.
pub trait SecretStore: Send + Sync {
    /// Stores (or replaces) the secret of `profile`.
    fn set(&self, profile: &str, secret: &Secret) -> Result<(), SecretStoreError>;
    /// The secret of `profile`; `None` when none is stored.
    fn get(&self, profile: &str) -> Result<Option<Secret>, SecretStoreError>;
    /// Deletes the secret of `profile`; `false` when there was none.
    fn delete(&self, profile: &str) -> Result<bool, SecretStoreError>;
}

/// A keychain failure. Carries the platform's text for logs; never a secret.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum SecretStoreError {
    /// No keychain service at all (Linux: no D-Bus session or no Secret Service provider).
    #[error("no system keychain is available: {detail}")]
    Unavailable { detail: String },
    /// The keychain exists but is locked or refused access.
    #[error("the system keychain is locked or refused access: {detail}")]
    Locked { detail: String },
    /// The keyring crate was built without a real backend and would keep secrets in memory.
    #[error("the keychain backend is an in-memory mock; refusing to store secrets in it")]
    MockBackend,
    #[error("keychain error: {detail}")]
    Other { detail: String },
}

impl SecretStoreError {
    /// What to tell the user, with what to install or unlock on their platform.
    pub fn to_user_error(&self) -> UserError {
        let (install_zh, install_en) = platform_advice();
        match self {
            SecretStoreError::Unavailable { .. } => UserError::new(
                ErrorCode::KeychainUnavailable,
                Localized::new(
                    "找不到系统钥匙串(Secret Service),无法安全保存 AccessKey Secret。",
                    "No system keychain (Secret Service) was found, so the AccessKey secret cannot be stored safely.",
                ),
                Localized::new(install_zh, install_en),
            ),
            SecretStoreError::Locked { .. } => UserError::new(
                ErrorCode::KeychainLocked,
                Localized::new(
                    "系统钥匙串已锁定或拒绝访问。",
                    "The system keychain is locked or refused access.",
                ),
                Localized::new(
                    "解锁钥匙串后重试(Linux:登录桌面会话,或运行 `gnome-keyring-daemon --unlock`;macOS:在“钥匙串访问”中解锁并允许 SmartDial)。也可以改用环境变量 ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
                    "Unlock the keychain and try again (Linux: log in to a desktop session or run `gnome-keyring-daemon --unlock`; macOS: unlock it in Keychain Access and allow SmartDial). You can also use the ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables.",
                ),
            ),
            SecretStoreError::MockBackend => UserError::new(
                ErrorCode::KeychainMockBackend,
                Localized::new(
                    "这个 SmartDial 版本没有编译系统钥匙串支持,不能保存 AccessKey。",
                    "This build of SmartDial has no system keychain support and cannot store AccessKeys.",
                ),
                Localized::new(
                    "请使用官方发布的版本,或改用环境变量 ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
                    "Use an official release, or the ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables.",
                ),
            ),
            SecretStoreError::Other { detail } => UserError::new(
                ErrorCode::KeychainError,
                // The keychain's own text is English: the Chinese message does without it.
                Localized::new("读写系统钥匙串失败。", format!("The system keychain failed: {detail}")),
                Localized::new(install_zh, install_en),
            ),
        }
    }
}

fn platform_advice() -> (&'static str, &'static str) {
    if cfg!(target_os = "linux") {
        (
            "在 Linux 上需要 Secret Service:安装并启动 GNOME Keyring(`sudo apt install gnome-keyring`)或 KWallet,并在桌面会话中登录使其解锁。没有桌面的服务器上,请改用环境变量 ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
            "On Linux a Secret Service is needed: install and start GNOME Keyring (`sudo apt install gnome-keyring`) or KWallet, and log in to a desktop session so it is unlocked. On a server without a desktop, use the ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET environment variables instead.",
        )
    } else if cfg!(target_os = "macos") {
        (
            "在“钥匙串访问”中确认登录钥匙串已解锁,然后重试。",
            "Make sure the login keychain is unlocked in Keychain Access, then try again.",
        )
    } else {
        (
            "确认 Windows 凭据管理器可用,然后重试。",
            "Make sure Windows Credential Manager is available, then try again.",
        )
    }
}

fn map_keyring_error(error: keyring::Error) -> SecretStoreError {
    match error {
        keyring::Error::PlatformFailure(e) => SecretStoreError::Unavailable {
            detail: e.to_string(),
        },
        keyring::Error::NoStorageAccess(e) => SecretStoreError::Locked {
            detail: e.to_string(),
        },
        other => SecretStoreError::Other {
            detail: other.to_string(),
        },
    }
}

/// The OS keychain: macOS Keychain, Windows Credential Manager, or the Linux Secret Service.
pub struct KeyringStore {
    builder: Box<CredentialBuilder>,
    service: String,
}

impl std::fmt::Debug for KeyringStore {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("KeyringStore")
            .field("service", &self.service)
            .finish()
    }
}

impl KeyringStore {
    /// The platform's keychain under [`KEYCHAIN_SERVICE`]. Fails with
    /// [`SecretStoreError::MockBackend`] if keyring was built without a real backend.
    pub fn new() -> Result<KeyringStore, SecretStoreError> {
        KeyringStore::with_builder(
            keyring::default::default_credential_builder(),
            KEYCHAIN_SERVICE,
        )
    }

    /// A store over a given credential builder; refuses builders whose credentials live only
    /// in the entry object (keyring's mock).
    pub fn with_builder(
        builder: Box<CredentialBuilder>,
        service: &str,
    ) -> Result<KeyringStore, SecretStoreError> {
        if matches!(builder.persistence(), CredentialPersistence::EntryOnly) {
            return Err(SecretStoreError::MockBackend);
        }
        Ok(KeyringStore {
            builder,
            service: service.to_owned(),
        })
    }

    fn entry(&self, profile: &str) -> Result<keyring::Entry, SecretStoreError> {
        let credential = self
            .builder
            .build(None, &self.service, profile)
            .map_err(map_keyring_error)?;
        Ok(keyring::Entry::new_with_credential(credential))
    }

    /// Checks that the keychain answers, by reading an entry that does not exist.
    pub fn probe(&self) -> Result<(), SecretStoreError> {
        self.get("__smartdial_probe__").map(|_| ())
    }
}

impl SecretStore for KeyringStore {
    fn set(&self, profile: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.entry(profile)?
            .set_password(secret.expose())
            .map_err(map_keyring_error)
    }

    fn get(&self, profile: &str) -> Result<Option<Secret>, SecretStoreError> {
        match self.entry(profile)?.get_password() {
            Ok(value) => Ok(Some(Secret::new(value))),
            Err(keyring::Error::NoEntry) => Ok(None),
            Err(e) => Err(map_keyring_error(e)),
        }
    }

    fn delete(&self, profile: &str) -> Result<bool, SecretStoreError> {
        match self.entry(profile)?.delete_credential() {
            Ok(()) => Ok(true),
            Err(keyring::Error::NoEntry) => Ok(false),
            Err(e) => Err(map_keyring_error(e)),
        }
    }
}

/// Secrets in process memory, for unit tests and a "this session only" fallback.
#[derive(Debug, Default)]
pub struct MemoryStore {
    secrets: Mutex<HashMap<String, Secret>>,
    failure: Mutex<Option<SecretStoreError>>,
}

impl MemoryStore {
    pub fn new() -> Self {
        MemoryStore::default()
    }

    /// Makes every following call fail with `error` (to test failure paths).
    pub fn fail_with(&self, error: SecretStoreError) {
        if let Ok(mut f) = self.failure.lock() {
            *f = Some(error);
        }
    }

    fn check(
        &self,
    ) -> Result<std::sync::MutexGuard<'_, HashMap<String, Secret>>, SecretStoreError> {
        if let Some(e) = self.failure.lock().ok().and_then(|f| f.clone()) {
            return Err(e);
        }
        self.secrets.lock().map_err(|_| SecretStoreError::Other {
            detail: "memory store poisoned".to_owned(),
        })
    }
}

impl SecretStore for MemoryStore {
    fn set(&self, profile: &str, secret: &Secret) -> Result<(), SecretStoreError> {
        self.check()?.insert(profile.to_owned(), secret.clone());
        Ok(())
    }

    fn get(&self, profile: &str) -> Result<Option<Secret>, SecretStoreError> {
        Ok(self.check()?.get(profile).cloned())
    }

    fn delete(&self, profile: &str) -> Result<bool, SecretStoreError> {
        Ok(self.check()?.remove(profile).is_some())
    }
}

/// Whether tests must use the real keychain (CI sets `SMARTDIAL_REQUIRE_KEYRING=1`).
pub fn keyring_required() -> bool {
    std::env::var("SMARTDIAL_REQUIRE_KEYRING").is_ok_and(|v| v == "1")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_mock_backend_is_refused() {
        let err = KeyringStore::with_builder(
            keyring::mock::default_credential_builder(),
            KEYCHAIN_SERVICE,
        )
        .expect_err("mock must be refused");
        assert_eq!(err, SecretStoreError::MockBackend);
        assert_eq!(err.to_user_error().code, "keychain.mock_backend");
    }

    #[test]
    fn the_platform_default_is_a_real_backend() {
        // With the workspace's keyring features the default is the Secret Service on Linux.
        assert!(KeyringStore::new().is_ok());
    }

    #[test]
    fn memory_store_round_trip_and_failures() {
        let store = MemoryStore::new();
        assert_eq!(store.get("p").unwrap(), None);
        store.set("p", &Secret::new("s1")).unwrap();
        assert_eq!(store.get("p").unwrap().unwrap().expose(), "s1");
        assert!(store.delete("p").unwrap());
        assert!(!store.delete("p").unwrap());
        store.fail_with(SecretStoreError::Unavailable {
            detail: "no bus".into(),
        });
        let err = store.get("p").expect_err("fails");
        let user = err.to_user_error();
        assert_eq!(user.code, "keychain.unavailable");
        if cfg!(target_os = "linux") {
            assert!(user.hint.en.contains("gnome-keyring"));
            assert!(user.hint.zh_cn.contains("gnome-keyring"));
        }
    }

    /// Runs against the real Secret Service / Keychain. Under CI
    /// (`dbus-run-session -- .ci/with-keyring.sh cargo test`, `SMARTDIAL_REQUIRE_KEYRING=1`)
    /// it must pass; elsewhere it skips when no keychain answers.
    #[test]
    fn real_keychain_round_trip() {
        let store = KeyringStore::new().expect("real backend");
        if let Err(e) = store.probe() {
            assert!(
                !keyring_required(),
                "SMARTDIAL_REQUIRE_KEYRING=1 but the keychain failed: {e}"
            );
            eprintln!("skip real_keychain_round_trip: {e}");
            return;
        }
        let profile = format!("unit-test-{}", uuid::Uuid::new_v4());
        assert_eq!(store.get(&profile).unwrap(), None);
        store.set(&profile, &Secret::new("s3cr3t 密钥 ✓")).unwrap();
        assert_eq!(
            store.get(&profile).unwrap().unwrap().expose(),
            "s3cr3t 密钥 ✓"
        );
        store.set(&profile, &Secret::new("second")).unwrap();
        assert_eq!(store.get(&profile).unwrap().unwrap().expose(), "second");
        assert!(store.delete(&profile).unwrap());
        assert_eq!(store.get(&profile).unwrap(), None);
        assert!(!store.delete(&profile).unwrap());
    }
}
