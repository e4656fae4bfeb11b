//! Demo mode: the built-in dyvms simulator on 127.0.0.1, used with the same code path as
//! Alibaba Cloud, so a marketer can try every step without an account.

use serde::Serialize;
use smartdial_core::simulator::{Simulator, SimulatorConfig, DEMO_DIALOG_ID};
use smartdial_core::text::{Localized, UserError};
use tauri::State;

use crate::state::AppState;
use smartdial_core::error_code::ErrorCode;

/// Whether the demo is on, and where its simulator listens.
#[derive(Debug, Clone, Serialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub struct DemoStatus {
    pub active: bool,
    pub endpoint: Option<String>,
    /// A robot the simulator knows, to prefill the task form.
    pub dialog_id: Option<String>,
}

/// `SMARTDIAL_DEMO_PORT` pins the simulator's port (tests read its record there).
fn demo_bind() -> std::net::SocketAddr {
    let port = std::env::var("SMARTDIAL_DEMO_PORT")
        .ok()
        .and_then(|p| p.parse::<u16>().ok())
        .unwrap_or(0);
    std::net::SocketAddr::from(([127, 0, 0, 1], port))
}

#[tauri::command]
pub async fn start_demo(state: State<'_, AppState>) -> Result<DemoStatus, UserError> {
    ensure_demo(&state).await
}

/// Starts the simulator unless it runs already.
pub async fn ensure_demo(state: &AppState) -> Result<DemoStatus, UserError> {
    let mut demo = state.demo.lock().await;
    if demo.is_none() {
        let sim = Simulator::start(SimulatorConfig::demo(), demo_bind())
            .await
            .map_err(|err| {
                tracing::error!(%err, "demo simulator failed to start");
                UserError::new(
                    ErrorCode::DemoStartFailed,
                    Localized::new("演示模式无法启动", "Demo mode could not start"),
                    Localized::new(
                        "请关闭其他占用本机端口的程序后重试。",
                        "Close programs that may hold local ports, then try again.",
                    ),
                )
            })?;
        tracing::info!(endpoint = %sim.endpoint(), "demo simulator started");
        *demo = Some(sim);
    }
    Ok(status(demo.as_ref().map(|sim| sim.endpoint())))
}

#[tauri::command]
pub async fn stop_demo(state: State<'_, AppState>) -> Result<DemoStatus, UserError> {
    let sim = state.demo.lock().await.take();
    if let Some(sim) = sim {
        sim.shutdown().await;
        tracing::info!("demo simulator stopped");
    }
    Ok(status(None))
}

#[tauri::command]
pub async fn demo_status(state: State<'_, AppState>) -> Result<DemoStatus, UserError> {
    Ok(status(
        state.demo.lock().await.as_ref().map(|s| s.endpoint()),
    ))
}

fn status(endpoint: Option<String>) -> DemoStatus {
    DemoStatus {
        active: endpoint.is_some(),
        dialog_id: endpoint.as_ref().map(|_| DEMO_DIALOG_ID.to_owned()),
        endpoint,
    }
}
