//! Named AccessKey profiles. The index (names, AccessKey ids, creation times, the default)
//! is a JSON file (`AppPaths::profiles_file()`); the secrets live only in a
//! [`SecretStore`] (the OS keychain), under the profile's name.
//!
//! For the CLI, `ALIBABA_CLOUD_ACCESS_KEY_ID` / `ALIBABA_CLOUD_ACCESS_KEY_SECRET` take
//! precedence over profiles when set ([`credentials_from_env`]).
//!
//! All methods block on the keychain; async callers use `tokio::task::spawn_blocking`.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use serde::{Deserialize, Serialize};

use super::store::{SecretStore, SecretStoreError};
use super::Secret;
use crate::aliyun::credentials::{mask_access_key_id, Credentials};
use crate::aliyun::SignatureVersion;
use crate::error_code::ErrorCode;
use crate::text::{Localized, UserError};

/// The standard Alibaba Cloud variables for the AccessKey id and secret.
pub const ENV_ACCESS_KEY_ID: &str = "ALIBABA_CLOUD_ACCESS_KEY_ID";
pub const ENV_ACCESS_KEY_SECRET: &str = "ALIBABA_CLOUD_ACCESS_KEY_SECRET";

/// One profile as stored in the index (no secret).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct StoredProfile {
    name: String,
    access_key_id: String,
    created_at: String,
    /// The signature this key's calls carry; files from before V3 have none and load as V3.
    #[serde(default)]
    signature: SignatureVersion,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "camelCase")]
struct ProfileIndex {
    version: u32,
    default: Option<String>,
    profiles: Vec<StoredProfile>,
}

/// A profile as the UI and `profile list` show it: the AccessKey id masked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileSummary {
    pub name: String,
    /// e.g. `LTAI****abcd`.
    pub masked_access_key_id: String,
    /// RFC 3339, UTC.
    pub created_at: String,
    pub is_default: bool,
    /// `v3` unless a check found that Alibaba Cloud refuses V3 for this key.
    pub signature: SignatureVersion,
}

/// Why a profile operation failed.
#[derive(Debug, thiserror::Error)]
pub enum ProfileError {
    #[error("invalid profile name {name:?}")]
    InvalidName { name: String },
    #[error("invalid AccessKey id")]
    InvalidAccessKeyId,
    #[error("the AccessKey secret is empty")]
    EmptySecret,
    #[error("no profile named {name:?}")]
    NotFound { name: String },
    #[error("no AccessKey profile is set up")]
    NoProfiles,
    #[error("the keychain has no secret for profile {name:?}")]
    SecretMissing { name: String },
    #[error("only {present} is set; {missing} is missing")]
    IncompleteEnv {
        present: &'static str,
        missing: &'static str,
    },
    #[error(transparent)]
    Store(#[from] SecretStoreError),
    #[error("could not read or write {path}: {detail}")]
    Io { path: String, detail: String },
    #[error("{path} is damaged: {detail}")]
    Corrupt { path: String, detail: String },
}

impl ProfileError {
    pub fn to_user_error(&self) -> UserError {
        let add_hint = || {
            Localized::new(
                "用 `smartdial profile add 名称 --access-key-id LTAI…` 添加 AccessKey,或设置环境变量 ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET。",
                "Add an AccessKey with `smartdial profile add NAME --access-key-id LTAI…`, or set ALIBABA_CLOUD_ACCESS_KEY_ID / ALIBABA_CLOUD_ACCESS_KEY_SECRET.",
            )
        };
        match self {
            ProfileError::InvalidName { name } => UserError::new(
                ErrorCode::ProfileInvalidName,
                Localized::new(format!("配置名称“{name}”不可用。"), format!("The profile name \"{name}\" cannot be used.")),
                Localized::new(
                    "名称为 1–64 个字符,不能包含空格、斜杠或控制字符,也不能以 - 开头。",
                    "Use 1–64 characters without spaces, slashes or control characters, not starting with -.",
                ),
            ),
            ProfileError::InvalidAccessKeyId => UserError::new(
                ErrorCode::ProfileInvalidAccessKeyId,
                Localized::new("AccessKey ID 为空或含有空格。", "The AccessKey ID is empty or contains spaces."),
                Localized::new("从阿里云控制台“AccessKey 管理”复制完整的 ID。", "Copy the whole ID from AccessKey Management in the Alibaba Cloud console."),
            ),
            ProfileError::EmptySecret => UserError::new(
                ErrorCode::ProfileEmptySecret,
                Localized::new("AccessKey Secret 为空。", "The AccessKey secret is empty."),
                Localized::new("粘贴创建 AccessKey 时保存的 Secret。", "Paste the secret you saved when the AccessKey was created."),
            ),
            ProfileError::NotFound { name } => UserError::new(
                ErrorCode::ProfileNotFound,
                Localized::new(format!("没有名为“{name}”的配置。"), format!("There is no profile named \"{name}\".")),
                Localized::new("用 `smartdial profile list` 查看已有配置。", "See the existing profiles with `smartdial profile list`."),
            ),
            ProfileError::NoProfiles => UserError::new(
                ErrorCode::ProfileNone,
                Localized::new("还没有设置 AccessKey。", "No AccessKey is set up yet."),
                add_hint(),
            ),
            ProfileError::SecretMissing { name } => UserError::new(
                ErrorCode::ProfileSecretMissing,
                Localized::new(format!("系统钥匙串里没有配置“{name}”的 Secret(可能被删除了)。"), format!("The system keychain has no secret for profile \"{name}\" (it may have been deleted).")),
                Localized::new(format!("重新运行 `smartdial profile add {name} --access-key-id …` 保存 Secret。"), format!("Run `smartdial profile add {name} --access-key-id …` again to store the secret.")),
            ),
            ProfileError::IncompleteEnv { present, missing } => UserError::new(
                ErrorCode::ProfileIncompleteEnv,
                Localized::new(format!("设置了 {present},但没有设置 {missing}。"), format!("{present} is set but {missing} is not.")),
                Localized::new("两个环境变量要同时设置,或都不设置(改用保存的配置)。", "Set both variables, or neither (to use a saved profile)."),
            ),
            ProfileError::Store(e) => e.to_user_error(),
            ProfileError::Io { path, detail } => UserError::new(
                ErrorCode::ProfileIo,
                Localized::new(format!("无法读写 {path}。"), format!("Could not read or write {path}: {detail}")),
                Localized::new("检查文件夹权限和磁盘空间。", "Check the folder's permissions and free disk space."),
            ),
            ProfileError::Corrupt { path, detail } => UserError::new(
                ErrorCode::ProfileCorrupt,
                Localized::new(format!("配置文件 {path} 已损坏。"), format!("The profile file {path} is damaged: {detail}")),
                Localized::new("删除或修复这个文件后重新添加配置(Secret 仍在系统钥匙串中)。", "Delete or repair the file, then add the profiles again (the secrets are still in the keychain)."),
            ),
        }
    }
}

/// Checks a profile name: 1–64 characters, no whitespace, slashes or control characters,
/// not starting with `-` (it would read as a command-line option).
pub fn validate_profile_name(name: &str) -> Result<(), ProfileError> {
    let ok = !name.is_empty()
        && name.chars().count() <= 64
        && !name.starts_with('-')
        && !name
            .chars()
            .any(|c| c.is_whitespace() || c.is_control() || matches!(c, '/' | '\\'));
    if ok {
        Ok(())
    } else {
        Err(ProfileError::InvalidName {
            name: name.to_owned(),
        })
    }
}

/// Credentials from `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET`, read through `lookup` (so tests
/// need not touch the process environment). `None` when neither is set.
pub fn credentials_from_env(
    lookup: impl Fn(&str) -> Option<String>,
) -> Option<Result<Credentials, ProfileError>> {
    let id = lookup(ENV_ACCESS_KEY_ID).filter(|v| !v.trim().is_empty());
    let secret = lookup(ENV_ACCESS_KEY_SECRET).filter(|v| !v.is_empty());
    match (id, secret) {
        (None, None) => None,
        (Some(id), Some(secret)) => Some(Ok(Credentials::new(id.trim(), secret))),
        (Some(_), None) => Some(Err(ProfileError::IncompleteEnv {
            present: ENV_ACCESS_KEY_ID,
            missing: ENV_ACCESS_KEY_SECRET,
        })),
        (None, Some(_)) => Some(Err(ProfileError::IncompleteEnv {
            present: ENV_ACCESS_KEY_SECRET,
            missing: ENV_ACCESS_KEY_ID,
        })),
    }
}

/// The profile index file plus the secret store.
pub struct Profiles {
    path: PathBuf,
    store: Arc<dyn SecretStore>,
}

impl std::fmt::Debug for Profiles {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Profiles")
            .field("path", &self.path)
            .finish()
    }
}

impl Profiles {
    /// Profiles indexed in `path` (usually `AppPaths::profiles_file()`), secrets in `store`.
    pub fn new(path: impl Into<PathBuf>, store: Arc<dyn SecretStore>) -> Self {
        Profiles {
            path: path.into(),
            store,
        }
    }

    /// Adds a profile, or replaces the key of an existing one. The first profile becomes
    /// the default. The secret goes to the store before the index names it.
    pub fn add(
        &self,
        name: &str,
        access_key_id: &str,
        secret: &Secret,
        now: DateTime<Utc>,
    ) -> Result<ProfileSummary, ProfileError> {
        validate_profile_name(name)?;
        let access_key_id = access_key_id.trim();
        if access_key_id.is_empty() || access_key_id.chars().any(char::is_whitespace) {
            return Err(ProfileError::InvalidAccessKeyId);
        }
        // The same rule as `Credentials::new`: a pasted trailing newline is not the secret.
        let secret = Secret::new(secret.expose().trim());
        if secret.expose().is_empty() {
            return Err(ProfileError::EmptySecret);
        }
        let mut index = self.load()?;
        self.store.set(name, &secret)?;
        let stored = StoredProfile {
            name: name.to_owned(),
            access_key_id: access_key_id.to_owned(),
            created_at: now.to_rfc3339_opts(SecondsFormat::Secs, true),
            // A new key starts on the default again.
            signature: SignatureVersion::default(),
        };
        match index.profiles.iter_mut().find(|p| p.name == name) {
            Some(existing) => *existing = stored,
            None => index.profiles.push(stored),
        }
        if index.default.is_none() {
            index.default = Some(name.to_owned());
        }
        self.save(&index)?;
        summaries(&index)
            .into_iter()
            .find(|s| s.name == name)
            .ok_or(ProfileError::NotFound {
                name: name.to_owned(),
            })
    }

    /// Every profile, in the order they were added.
    pub fn list(&self) -> Result<Vec<ProfileSummary>, ProfileError> {
        Ok(summaries(&self.load()?))
    }

    /// The default profile's name, if any.
    pub fn default_name(&self) -> Result<Option<String>, ProfileError> {
        Ok(self.load()?.default)
    }

    /// Makes `name` the default profile.
    pub fn set_default(&self, name: &str) -> Result<(), ProfileError> {
        let mut index = self.load()?;
        if !index.profiles.iter().any(|p| p.name == name) {
            return Err(ProfileError::NotFound {
                name: name.to_owned(),
            });
        }
        index.default = Some(name.to_owned());
        self.save(&index)
    }

    /// Removes a profile and its secret. If it was the default, the first remaining
    /// profile becomes the default.
    pub fn remove(&self, name: &str) -> Result<(), ProfileError> {
        let mut index = self.load()?;
        let before = index.profiles.len();
        index.profiles.retain(|p| p.name != name);
        if index.profiles.len() == before {
            return Err(ProfileError::NotFound {
                name: name.to_owned(),
            });
        }
        self.store.delete(name)?;
        if index.default.as_deref() == Some(name) {
            index.default = index.profiles.first().map(|p| p.name.clone());
        }
        self.save(&index)
    }

    /// The signature stored for `name` (or the default profile). Reads only the index.
    pub fn signature(&self, name: Option<&str>) -> Result<SignatureVersion, ProfileError> {
        let index = self.load()?;
        let name = match name {
            Some(n) => n.to_owned(),
            None => index.default.clone().ok_or(ProfileError::NoProfiles)?,
        };
        index
            .profiles
            .iter()
            .find(|p| p.name == name)
            .map(|p| p.signature)
            .ok_or(ProfileError::NotFound { name })
    }

    /// Remembers which signature works for `name`; true when it changed. Only the index is
    /// written, never the keychain.
    pub fn remember_signature(
        &self,
        name: &str,
        signature: SignatureVersion,
    ) -> Result<bool, ProfileError> {
        let mut index = self.load()?;
        let profile = index
            .profiles
            .iter_mut()
            .find(|p| p.name == name)
            .ok_or_else(|| ProfileError::NotFound {
                name: name.to_owned(),
            })?;
        if profile.signature == signature {
            return Ok(false);
        }
        profile.signature = signature;
        self.save(&index)?;
        Ok(true)
    }

    /// The credentials of `name`, or of the default profile when `name` is `None`.
    /// Returns the profile name used alongside.
    pub fn credentials(&self, name: Option<&str>) -> Result<(String, Credentials), ProfileError> {
        let index = self.load()?;
        let name = match name {
            Some(n) => n.to_owned(),
            None => index.default.clone().ok_or(ProfileError::NoProfiles)?,
        };
        let profile = index
            .profiles
            .iter()
            .find(|p| p.name == name)
            .ok_or_else(|| ProfileError::NotFound { name: name.clone() })?;
        let secret = self
            .store
            .get(&name)?
            .ok_or_else(|| ProfileError::SecretMissing { name: name.clone() })?;
        Ok((
            name,
            Credentials {
                access_key_id: profile.access_key_id.clone(),
                access_key_secret: secret,
            },
        ))
    }

    fn load(&self) -> Result<ProfileIndex, ProfileError> {
        let text = match std::fs::read_to_string(&self.path) {
            Ok(t) => t,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Ok(ProfileIndex {
                    version: 1,
                    ..ProfileIndex::default()
                })
            }
            Err(e) => return Err(io_error(&self.path, &e)),
        };
        serde_json::from_str(&text).map_err(|e| ProfileError::Corrupt {
            path: self.path.display().to_string(),
            detail: e.to_string(),
        })
    }

    /// Writes through a temporary file and a rename, so a crash leaves the old index whole.
    fn save(&self, index: &ProfileIndex) -> Result<(), ProfileError> {
        crate::json_file::write_atomic(&self.path, index).map_err(|e| io_error(&self.path, &e))
    }
}

fn io_error(path: &Path, e: &std::io::Error) -> ProfileError {
    ProfileError::Io {
        path: path.display().to_string(),
        detail: e.to_string(),
    }
}

fn summaries(index: &ProfileIndex) -> Vec<ProfileSummary> {
    index
        .profiles
        .iter()
        .map(|p| ProfileSummary {
            name: p.name.clone(),
            masked_access_key_id: mask_access_key_id(&p.access_key_id),
            created_at: p.created_at.clone(),
            is_default: index.default.as_deref() == Some(p.name.as_str()),
            signature: p.signature,
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::secrets::store::MemoryStore;

    fn now() -> DateTime<Utc> {
        DateTime::parse_from_rfc3339("2025-01-01T08:00:00Z")
            .unwrap()
            .with_timezone(&Utc)
    }

    fn setup() -> (tempfile::TempDir, Arc<MemoryStore>, Profiles) {
        let dir = tempfile::tempdir().unwrap();
        let store = Arc::new(MemoryStore::new());
        let profiles = Profiles::new(dir.path().join("profiles.json"), store.clone());
        (dir, store, profiles)
    }

    #[test]
    fn add_list_default_remove() {
        let (dir, store, profiles) = setup();
        let s = profiles
            .add("main", "LTAI5tAbCdEfGhIjabcd", &Secret::new("sec-1"), now())
            .unwrap();
        assert_eq!(s.masked_access_key_id, "LTAI****abcd");
        assert!(s.is_default);
        profiles
            .add("second", "LTAIsecond0000wxyz", &Secret::new("sec-2"), now())
            .unwrap();
        let list = profiles.list().unwrap();
        assert_eq!(list.len(), 2);
        assert!(!list[1].is_default);
        profiles.set_default("second").unwrap();
        let (name, creds) = profiles.credentials(None).unwrap();
        assert_eq!(name, "second");
        assert_eq!(creds.access_key_secret.expose(), "sec-2");
        // The index file holds no secret.
        let file = std::fs::read_to_string(dir.path().join("profiles.json")).unwrap();
        assert!(!file.contains("sec-1") && !file.contains("sec-2"));
        assert!(file.contains("LTAI5tAbCdEfGhIjabcd"));
        profiles.remove("second").unwrap();
        assert_eq!(profiles.default_name().unwrap().as_deref(), Some("main"));
        assert_eq!(store.get("second").unwrap(), None);
        assert!(matches!(
            profiles.remove("second"),
            Err(ProfileError::NotFound { .. })
        ));
        // Adding the same name again replaces the key.
        profiles
            .add("main", "LTAInew000000000zzzz", &Secret::new("sec-3"), now())
            .unwrap();
        assert_eq!(profiles.list().unwrap().len(), 1);
        assert_eq!(
            profiles.credentials(Some("main")).unwrap().1.access_key_id,
            "LTAInew000000000zzzz"
        );
    }

    #[test]
    fn failures_are_specific() {
        let (dir, store, profiles) = setup();
        assert!(matches!(
            profiles.credentials(None),
            Err(ProfileError::NoProfiles)
        ));
        assert!(matches!(
            profiles.add("a b", "id", &Secret::new("s"), now()),
            Err(ProfileError::InvalidName { .. })
        ));
        assert!(matches!(
            profiles.add("-x", "id", &Secret::new("s"), now()),
            Err(ProfileError::InvalidName { .. })
        ));
        assert!(matches!(
            profiles.add("a", "", &Secret::new("s"), now()),
            Err(ProfileError::InvalidAccessKeyId)
        ));
        assert!(matches!(
            profiles.add("a", "id", &Secret::new(" "), now()),
            Err(ProfileError::EmptySecret)
        ));
        profiles.add("a", "id", &Secret::new("s"), now()).unwrap();
        // A key pasted with surrounding whitespace is stored without it.
        profiles
            .add(
                "pasted",
                " LTAIpasted0000abcd\n",
                &Secret::new("  sec-4\r\n"),
                now(),
            )
            .unwrap();
        let (_, pasted) = profiles.credentials(Some("pasted")).unwrap();
        assert_eq!(pasted.access_key_id, "LTAIpasted0000abcd");
        assert_eq!(pasted.access_key_secret.expose(), "sec-4");
        store.delete("a").unwrap();
        let err = profiles.credentials(Some("a")).expect_err("missing");
        assert_eq!(err.to_user_error().code, "profile.secret_missing");
        store.fail_with(SecretStoreError::Unavailable {
            detail: "no bus".into(),
        });
        let err = profiles
            .add("b", "id", &Secret::new("s"), now())
            .expect_err("no keychain");
        assert_eq!(err.to_user_error().code, "keychain.unavailable");
        // The failed add left no index entry behind.
        assert_eq!(profiles.list().unwrap().len(), 2);
        std::fs::write(dir.path().join("profiles.json"), "{oops").unwrap();
        assert_eq!(
            profiles.list().expect_err("corrupt").to_user_error().code,
            "profile.corrupt"
        );
    }

    #[test]
    fn the_signature_is_remembered_and_old_files_load_as_v3() {
        let (dir, _store, profiles) = setup();
        let path = dir.path().join("profiles.json");
        // An index written before profiles had a signature.
        std::fs::write(
            &path,
            r#"{"version":1,"default":"old","profiles":[{"name":"old","accessKeyId":"LTAIold000000000abcd","createdAt":"2025-01-01T00:00:00Z"}]}"#,
        )
        .unwrap();
        assert_eq!(profiles.signature(None).unwrap(), SignatureVersion::V3);
        assert_eq!(profiles.list().unwrap()[0].signature, SignatureVersion::V3);
        assert!(profiles
            .remember_signature("old", SignatureVersion::V1)
            .unwrap());
        assert!(!profiles
            .remember_signature("old", SignatureVersion::V1)
            .unwrap());
        assert_eq!(
            profiles.signature(Some("old")).unwrap(),
            SignatureVersion::V1
        );
        let file = std::fs::read_to_string(&path).unwrap();
        assert!(file.contains(r#""signature": "v1""#), "{file}");
        assert!(matches!(
            profiles.remember_signature("nobody", SignatureVersion::V1),
            Err(ProfileError::NotFound { .. })
        ));
        // Saving a new key for the profile starts it on V3 again.
        profiles
            .add("old", "LTAInew000000000abcd", &Secret::new("s"), now())
            .unwrap();
        assert_eq!(
            profiles.signature(Some("old")).unwrap(),
            SignatureVersion::V3
        );
    }

    #[test]
    fn environment_credentials() {
        let env = |pairs: &'static [(&'static str, &'static str)]| {
            move |k: &str| {
                pairs
                    .iter()
                    .find(|(n, _)| *n == k)
                    .map(|(_, v)| (*v).to_owned())
            }
        };
        assert!(credentials_from_env(env(&[])).is_none());
        let c = credentials_from_env(env(&[
            (ENV_ACCESS_KEY_ID, "LTAIx"),
            (ENV_ACCESS_KEY_SECRET, "s"),
        ]))
        .unwrap()
        .unwrap();
        assert_eq!(c.access_key_id, "LTAIx");
        let e = credentials_from_env(env(&[(ENV_ACCESS_KEY_ID, "LTAIx")]))
            .unwrap()
            .expect_err("half");
        assert_eq!(e.to_user_error().code, "profile.incomplete_env");
    }
}
