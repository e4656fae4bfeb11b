//! AccessKey profiles. The secret goes from the form straight into the OS keychain and
//! never comes back to the window.

use std::sync::Arc;

use smartdial_core::aliyun::key_check::ProfileVerified;
use smartdial_core::aliyun::{check_key, Client, ClientConfig, SignatureVersion, ENV_SIGNATURE};
use smartdial_core::secrets::profiles::{ProfileSummary, Profiles};
use smartdial_core::secrets::store::KeyringStore;
use smartdial_core::secrets::Secret;
use smartdial_core::text::UserError;
use tauri::State;

use crate::commands::blocking;
use crate::state::AppState;

/// The profile list over the real keychain. Keychain calls block: callers run this on a
/// blocking thread.
fn profiles(state: &AppState) -> Result<Profiles, UserError> {
    let store = KeyringStore::new().map_err(|e| e.to_user_error())?;
    Ok(Profiles::new(state.paths.profiles_file(), Arc::new(store)))
}

#[tauri::command]
pub async fn list_profiles(state: State<'_, AppState>) -> Result<Vec<ProfileSummary>, UserError> {
    let profiles = profiles(&state)?;
    blocking(move || profiles.list().map_err(|e| e.to_user_error())).await
}

#[tauri::command]
pub async fn add_profile(
    state: State<'_, AppState>,
    name: String,
    access_key_id: String,
    access_key_secret: String,
) -> Result<ProfileSummary, UserError> {
    let secret = Secret::new(access_key_secret);
    let profiles = profiles(&state)?;
    let summary = blocking(move || {
        profiles
            .add(
                name.trim(),
                access_key_id.trim(),
                &secret,
                chrono::Utc::now(),
            )
            .map_err(|e| e.to_user_error())
    })
    .await?;
    tracing::info!(profile = %summary.name, id = %summary.masked_access_key_id, "profile saved");
    Ok(summary)
}

/// Proves a profile works with one cheap signed read call (`QueryRobotInfoList`), V3 first
/// and V1 when Alibaba Cloud refuses V3 (remembered for the profile); returns how many
/// robots the account has.
#[tauri::command]
pub async fn verify_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<ProfileVerified, UserError> {
    let profiles = Arc::new(profiles(&state)?);
    let reader = profiles.clone();
    let wanted = name.clone();
    let (_, credentials) = blocking(move || {
        reader
            .credentials(Some(&wanted))
            .map_err(|e| e.to_user_error())
    })
    .await?;
    let mut config = ClientConfig::with_endpoint(state.settings().endpoint);
    // SMARTDIAL_SIGNATURE forces a version (no fallback), as for the CLI.
    let forced = std::env::var(ENV_SIGNATURE)
        .ok()
        .and_then(|v| SignatureVersion::parse(&v).ok());
    config.signature = forced.unwrap_or_default();
    let client = Client::new(config, credentials).map_err(|e| e.to_user_error())?;
    let check = check_key(&client, forced.is_none())
        .await
        .map_err(|e| e.to_user_error())?;
    let verified = check.verified(&name);
    if let Some(note) = &verified.note {
        tracing::warn!(profile = %name, "{}", note.en);
    }
    let signature = check.signature;
    blocking(move || {
        profiles
            .remember_signature(&name, signature)
            .map_err(|e| e.to_user_error())
    })
    .await?;
    Ok(verified)
}

#[tauri::command]
pub async fn remove_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<ProfileSummary>, UserError> {
    let profiles = profiles(&state)?;
    blocking(move || {
        profiles.remove(&name).map_err(|e| e.to_user_error())?;
        profiles.list().map_err(|e| e.to_user_error())
    })
    .await
}

#[tauri::command]
pub async fn set_default_profile(
    state: State<'_, AppState>,
    name: String,
) -> Result<Vec<ProfileSummary>, UserError> {
    let profiles = profiles(&state)?;
    blocking(move || {
        profiles.set_default(&name).map_err(|e| e.to_user_error())?;
        profiles.list().map_err(|e| e.to_user_error())
    })
    .await
}
