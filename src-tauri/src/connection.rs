//! Which endpoint and credentials a command talks to: the demo's simulator while demo mode
//! is on, else the endpoint setting with the default AccessKey profile.

use std::sync::Arc;

use smartdial_core::aliyun::{Client, ClientConfig, Credentials};
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
    let (profile, endpoint, credentials) = match demo_endpoint {
        Some(endpoint) => (
            DEMO_PROFILE.to_owned(),
            endpoint,
            Credentials::new(DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET),
        ),
        None => {
            let settings = state.settings();
            let profiles_file = state.paths.profiles_file();
            let wanted = settings.default_profile.clone();
            // Keychain reads block.
            let (name, credentials) = tauri::async_runtime::spawn_blocking(move || {
                let store = KeyringStore::new().map_err(|e| e.to_user_error())?;
                Profiles::new(profiles_file, Arc::new(store))
                    .credentials(wanted.as_deref())
                    .map_err(|e| e.to_user_error())
            })
            .await
            .map_err(|_| background_failed())??;
            (name, settings.endpoint, credentials)
        }
    };
    let client = Client::new(ClientConfig::with_endpoint(endpoint.clone()), credentials)
        .map_err(|e| e.to_user_error())?;
    Ok(Connection {
        client,
        profile,
        endpoint,
    })
}
