//! Which endpoint and credentials a command talks to: the demo's simulator while demo mode
//! is on, else the endpoint setting with the default AccessKey profile.

use std::sync::Arc;

use smartdial_core::aliyun::{Client, ClientConfig, Credentials, SignatureVersion, ENV_SIGNATURE};
use smartdial_core::secrets::profiles::Profiles;
use smartdial_core::secrets::store::KeyringStore;
use smartdial_core::simulator::{DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET};
use smartdial_core::text::UserError;

use crate::commands::background_failed;
use crate::state::AppState;

/// A ready client plus what the journal records about it (never the key itself).
pub struct Connection {
    pub client: Client,
    pub profile: String,
    pub endpoint: String,
}

/// The profile name journaled for campaigns sent in demo mode.
pub const DEMO_PROFILE: &str = "demo";

pub async fn connect(state: &AppState) -> Result<Connection, UserError> {
    let demo_endpoint = state.demo.lock().await.as_ref().map(|sim| sim.endpoint());
    let (profile, endpoint, credentials, remembered) = match demo_endpoint {
        Some(endpoint) => (
            DEMO_PROFILE.to_owned(),
            endpoint,
            Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
            SignatureVersion::default(),
        ),
        None => {
            let settings = state.settings();
            let profiles_file = state.paths.profiles_file();
            let wanted = settings.default_profile.clone();
            // Keychain reads block.
            let (name, credentials, signature) = tauri::async_runtime::spawn_blocking(move || {
                let store = KeyringStore::new().map_err(|e| e.to_user_error())?;
                let profiles = Profiles::new(profiles_file, Arc::new(store));
                let (name, credentials) = profiles
                    .credentials(wanted.as_deref())
                    .map_err(|e| e.to_user_error())?;
                let signature = profiles
                    .signature(Some(&name))
                    .map_err(|e| e.to_user_error())?;
                Ok::<_, UserError>((name, credentials, signature))
            })
            .await
            .map_err(|_| background_failed())??;
            (name, settings.endpoint, credentials, signature)
        }
    };
    let mut config = ClientConfig::with_endpoint(endpoint.clone());
    // SMARTDIAL_SIGNATURE=v1|v3 overrides the profile, as for the CLI.
    config.signature = std::env::var(ENV_SIGNATURE)
        .ok()
        .and_then(|v| SignatureVersion::parse(&v).ok())
        .unwrap_or(remembered);
    let client = Client::new(config, credentials).map_err(|e| e.to_user_error())?;
    Ok(Connection {
        client,
        profile,
        endpoint,
    })
}
