//! `smartdial profile add|list|verify|remove|default`: AccessKey profiles, secrets in the
//! OS keychain. Also how every command finds its credentials ([`resolve_credentials`]).

use std::io::BufRead;
use std::process::ExitCode;
use std::sync::Arc;

use serde::Serialize;
use smartdial_core::aliyun::{
    check_key, Client, ClientConfig, Credentials, SignatureVersion, DEFAULT_ENDPOINT,
};
use smartdial_core::secrets::profiles::{credentials_from_env, ProfileError, Profiles};
use smartdial_core::secrets::store::KeyringStore;
use smartdial_core::secrets::Secret;
use smartdial_core::text::{Localized, UserError};

use crate::context::Context;
use crate::output::{fail, print_json};
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    #[command(subcommand)]
    command: ProfileCommand,
}

#[derive(Debug, clap::Subcommand)]
enum ProfileCommand {
    /// Save an AccessKey under a name; the secret goes to the OS keychain.
    Add {
        /// Profile name, e.g. `main`.
        name: String,
        /// The AccessKey ID (LTAI…).
        #[arg(long)]
        access_key_id: String,
        /// Read the secret from standard input instead of a hidden prompt.
        #[arg(long)]
        secret_stdin: bool,
    },
    /// List saved profiles (AccessKey IDs masked).
    List {
        #[arg(long)]
        json: bool,
    },
    /// Check an AccessKey with a signed QueryRobotInfoList call: NAME, else --profile, else
    /// ALIBABA_CLOUD_ACCESS_KEY_ID/_SECRET when set, else the default profile.
    Verify {
        name: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Delete a profile and its secret.
    Remove { name: String },
    /// Make a profile the default.
    Default { name: String },
}

/// Where the credentials of a command came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CredentialSource {
    Environment,
    Profile(String),
}

impl CredentialSource {
    fn label(&self) -> String {
        match self {
            CredentialSource::Environment => "ALIBABA_CLOUD_ACCESS_KEY_ID".to_owned(),
            CredentialSource::Profile(name) => name.clone(),
        }
    }
}

fn open_profiles(ctx: &Context) -> Result<Profiles, UserError> {
    let store = KeyringStore::new().map_err(|e| e.to_user_error())?;
    Ok(Profiles::new(ctx.paths.profiles_file(), Arc::new(store)))
}

/// The credentials a command signs with: `ALIBABA_CLOUD_ACCESS_KEY_ID` / `_SECRET` when
/// set, else the profile named by `name` (or `--profile`), else the default profile.
pub fn resolve_credentials(
    ctx: &Context,
    name: Option<&str>,
) -> Result<(CredentialSource, Credentials), UserError> {
    let name = name.or(ctx.global.profile.as_deref());
    if name.is_none() {
        if let Some(found) = credentials_from_env(|k| std::env::var(k).ok()) {
            return found
                .map(|c| (CredentialSource::Environment, c))
                .map_err(|e| e.to_user_error());
        }
    }
    let profiles = open_profiles(ctx)?;
    let (name, creds) = profiles.credentials(name).map_err(|e| e.to_user_error())?;
    Ok((CredentialSource::Profile(name), creds))
}

/// The signature a command's calls carry: `--signature` / `SMARTDIAL_SIGNATURE`, else what
/// the profile remembers, else V3.
pub fn signature_for(
    ctx: &Context,
    source: &CredentialSource,
) -> Result<SignatureVersion, UserError> {
    if let Some(forced) = ctx.signature_override()? {
        return Ok(forced);
    }
    match source {
        CredentialSource::Environment => Ok(SignatureVersion::default()),
        CredentialSource::Profile(name) => index_only(ctx)
            .signature(Some(name))
            .map_err(|e| e.to_user_error()),
    }
}

/// The profile index without the keychain (for what it holds besides secrets).
fn index_only(ctx: &Context) -> Profiles {
    Profiles::new(
        ctx.paths.profiles_file(),
        Arc::new(smartdial_core::secrets::store::MemoryStore::new()),
    )
}

/// The client configuration from the global options (`--endpoint` / `SMARTDIAL_ENDPOINT`)
/// and the signature.
pub fn client_config(ctx: &Context, signature: SignatureVersion) -> ClientConfig {
    let mut config = ClientConfig::with_endpoint(
        ctx.global
            .endpoint
            .clone()
            .filter(|e| !e.trim().is_empty())
            .unwrap_or_else(|| DEFAULT_ENDPOINT.to_owned()),
    );
    config.signature = signature;
    config
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    let result = match args.command {
        ProfileCommand::Add {
            name,
            access_key_id,
            secret_stdin,
        } => add(ctx, &name, &access_key_id, secret_stdin),
        ProfileCommand::List { json } => list(ctx, json),
        ProfileCommand::Verify { name, json } => return verify(ctx, name.as_deref(), json),
        ProfileCommand::Remove { name } => remove(ctx, &name),
        ProfileCommand::Default { name } => set_default(ctx, &name),
    };
    match result {
        Ok(code) => code,
        Err(error) => fail(ctx.lang, false, &error),
    }
}

fn read_secret(from_stdin: bool) -> Result<Secret, UserError> {
    let text = if from_stdin {
        let mut line = String::new();
        std::io::stdin()
            .lock()
            .read_line(&mut line)
            .map_err(|e| stdin_error(&e.to_string()))?;
        line
    } else {
        rpassword::prompt_password("AccessKey Secret: ").map_err(|e| stdin_error(&e.to_string()))?
    };
    Ok(Secret::new(text.trim_end_matches(['\r', '\n'])))
}

fn stdin_error(detail: &str) -> UserError {
    UserError::new(
        ErrorCode::ProfileSecretUnreadable,
        Localized::new(
            "无法读取 AccessKey Secret。".to_owned(),
            format!("Could not read the AccessKey secret: {detail}"),
        ),
        Localized::new(
            "在终端中运行以隐藏输入,或用 --secret-stdin 从标准输入传入(不要把 Secret 写在命令行参数里)。",
            "Run it in a terminal for a hidden prompt, or pipe it in with --secret-stdin (never put the secret on the command line).",
        ),
    )
}

fn add(
    ctx: &Context,
    name: &str,
    access_key_id: &str,
    secret_stdin: bool,
) -> Result<ExitCode, UserError> {
    // Check the name before asking for the secret.
    smartdial_core::secrets::profiles::validate_profile_name(name)
        .map_err(|e| e.to_user_error())?;
    // Find out that there is no usable keychain before the user types the secret.
    let store = KeyringStore::new().map_err(|e| e.to_user_error())?;
    store.probe().map_err(|e| e.to_user_error())?;
    let profiles = Profiles::new(ctx.paths.profiles_file(), Arc::new(store));
    let secret = read_secret(secret_stdin)?;
    let summary = profiles
        .add(name, access_key_id, &secret, chrono::Utc::now())
        .map_err(|e| e.to_user_error())?;
    let default_mark = Localized::new("(默认)", " (default)");
    let default = if summary.is_default {
        default_mark.get(ctx.lang)
    } else {
        ""
    };
    println!(
        "{}",
        Localized::new(
            format!(
                "已保存配置 {}{default}:{},Secret 存入系统钥匙串。",
                summary.name, summary.masked_access_key_id
            ),
            format!(
                "Saved profile {}{default}: {}, secret stored in the system keychain.",
                summary.name, summary.masked_access_key_id
            ),
        )
        .get(ctx.lang)
    );
    Ok(ExitCode::SUCCESS)
}

fn list(ctx: &Context, json: bool) -> Result<ExitCode, UserError> {
    // Listing reads only the index; it works without a keychain.
    let profiles = Profiles::new(
        ctx.paths.profiles_file(),
        Arc::new(smartdial_core::secrets::store::MemoryStore::new()),
    );
    let list = profiles
        .list()
        .map_err(|e: ProfileError| e.to_user_error())?;
    if json {
        return Ok(print_json(&list));
    }
    if list.is_empty() {
        println!(
            "{}",
            Localized::new(
                "还没有配置。用 `smartdial profile add` 添加。",
                "No profiles yet. Add one with `smartdial profile add`."
            )
            .get(ctx.lang)
        );
    }
    for p in list {
        let mark = if p.is_default { "*" } else { " " };
        println!(
            "{mark} {:<20} {:<16} {}",
            p.name,
            p.masked_access_key_id,
            smartdial_core::china_time::describe_rfc3339(&p.created_at).get(ctx.lang)
        );
    }
    Ok(ExitCode::SUCCESS)
}

#[derive(Debug, Serialize)]
#[serde(rename_all = "camelCase")]
struct VerifyReport {
    source: String,
    masked_access_key_id: String,
    endpoint: String,
    ok: bool,
    robots: u32,
    /// The signature that worked (`v3` or `v1`).
    signature: SignatureVersion,
    /// Set when V3 was refused and V1 worked.
    fell_back_from: Option<SignatureVersion>,
    /// Whether the profile now remembers `signature`.
    remembered: bool,
}

fn verify(ctx: &Context, name: Option<&str>, json: bool) -> ExitCode {
    let (source, creds) = match resolve_credentials(ctx, name) {
        Ok(found) => found,
        Err(e) => return fail(ctx.lang, json, &e),
    };
    // A check tries V3 whatever the profile remembers, unless a version is forced.
    let forced = match ctx.signature_override() {
        Ok(f) => f,
        Err(e) => return fail(ctx.lang, json, &e),
    };
    let config = client_config(ctx, forced.unwrap_or_default());
    let endpoint = config.endpoint.clone();
    let masked = creds.masked_id();
    let client = match Client::new(config, creds) {
        Ok(c) => c,
        Err(e) => return fail(ctx.lang, json, &e.to_user_error()),
    };
    let result = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt.block_on(check_key(&client, forced.is_none())),
        Err(e) => {
            return fail(
                ctx.lang,
                json,
                &UserError::new(
                    ErrorCode::Internal,
                    Localized::new("内部错误。", format!("Internal error: {e}")),
                    Localized::new("", ""),
                ),
            )
        }
    };
    match result {
        Ok(check) => {
            let profile = match &source {
                CredentialSource::Profile(name) => Some(name.as_str()),
                CredentialSource::Environment => None,
            };
            let remembered = match profile {
                Some(name) => match index_only(ctx).remember_signature(name, check.signature) {
                    Ok(_) => true,
                    Err(e) => return fail(ctx.lang, json, &e.to_user_error()),
                },
                None => false,
            };
            let note = check.fallback_note(profile);
            let report = VerifyReport {
                source: source.label(),
                masked_access_key_id: masked,
                endpoint,
                ok: true,
                robots: check.robots,
                signature: check.signature,
                fell_back_from: check.refused,
                remembered,
            };
            if let Some(note) = &note {
                // On stderr, so `--json` output stays one document.
                eprintln!("{}", note.get(ctx.lang));
            }
            if json {
                return print_json(&report);
            }
            println!(
                "{}",
                Localized::new(
                    format!(
                        "AccessKey {} 可用({}),能看到 {} 个机器人话术;签名 {}。",
                        report.masked_access_key_id,
                        report.source,
                        report.robots,
                        report.signature.describe()
                    ),
                    format!(
                        "AccessKey {} works ({}); {} robot scripts are visible; signature {}.",
                        report.masked_access_key_id,
                        report.source,
                        report.robots,
                        report.signature.describe()
                    ),
                )
                .get(ctx.lang)
            );
            ExitCode::SUCCESS
        }
        Err(e) => fail(ctx.lang, json, &e.to_user_error()),
    }
}

fn remove(ctx: &Context, name: &str) -> Result<ExitCode, UserError> {
    open_profiles(ctx)?
        .remove(name)
        .map_err(|e| e.to_user_error())?;
    println!(
        "{}",
        Localized::new(
            format!("已删除配置 {name} 及其 Secret。"),
            format!("Removed profile {name} and its secret."),
        )
        .get(ctx.lang)
    );
    Ok(ExitCode::SUCCESS)
}

fn set_default(ctx: &Context, name: &str) -> Result<ExitCode, UserError> {
    // Only the index changes; no keychain needed.
    let profiles = Profiles::new(
        ctx.paths.profiles_file(),
        Arc::new(smartdial_core::secrets::store::MemoryStore::new()),
    );
    profiles.set_default(name).map_err(|e| e.to_user_error())?;
    println!(
        "{}",
        Localized::new(
            format!("默认配置改为 {name}。"),
            format!("The default profile is now {name}."),
        )
        .get(ctx.lang)
    );
    Ok(ExitCode::SUCCESS)
}
