//! The simulator's own endpoints (`/__simulator/…`: record, faults, reset, clock, info) and the
//! recordings its call records link to.

use super::*;

pub(super) fn json_response(shared: &Shared, status: u16, value: &serde_json::Value) -> Response {
    let date = {
        let inner = shared.lock();
        http_date(shared.now(&inner))
    };
    response(status, "application/json", &date, None, value.to_string())
}

pub(super) async fn admin_record(State(shared): State<Arc<Shared>>) -> Response {
    let record = shared.lock().world.record.clone();
    let value = serde_json::to_value(&record).unwrap_or_default();
    json_response(&shared, 200, &value)
}

pub(super) async fn admin_get_faults(State(shared): State<Arc<Shared>>) -> Response {
    let plan = shared.lock().faults.plan.clone();
    let value = serde_json::to_value(&plan).unwrap_or_default();
    json_response(&shared, 200, &value)
}

pub(super) async fn admin_set_faults(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<FaultPlan>(&body) {
        Ok(plan) => {
            shared.lock().faults = FaultState::new(plan);
            json_response(&shared, 200, &json!({"ok": true}))
        }
        Err(err) => json_response(
            &shared,
            400,
            &json!({"ok": false, "error": err.to_string()}),
        ),
    }
}

pub(super) async fn admin_reset(State(shared): State<Arc<Shared>>) -> Response {
    SimulatorControl {
        shared: shared.clone(),
    }
    .reset();
    json_response(&shared, 200, &json!({"ok": true}))
}

#[derive(Debug, Deserialize)]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub(super) struct ClockChange {
    advance_seconds: i64,
}

pub(super) async fn admin_clock(State(shared): State<Arc<Shared>>, body: Bytes) -> Response {
    match serde_json::from_slice::<ClockChange>(&body) {
        Ok(change) => {
            let control = SimulatorControl {
                shared: shared.clone(),
            };
            control.advance_clock(Duration::seconds(change.advance_seconds));
            json_response(&shared, 200, &json!({"ok": true, "now": control.now()}))
        }
        Err(err) => json_response(
            &shared,
            400,
            &json!({"ok": false, "error": err.to_string()}),
        ),
    }
}

pub(super) async fn admin_info(State(shared): State<Arc<Shared>>) -> Response {
    let now = {
        let inner = shared.lock();
        shared.now(&inner)
    };
    let ids: Vec<&str> = shared
        .config
        .access_keys
        .iter()
        .map(|(id, _)| id.as_str())
        .collect();
    let value = json!({
        "endpoint": shared.base_url,
        "accessKeyIds": ids,
        "seed": shared.config.seed,
        "now": now,
    });
    json_response(&shared, 200, &value)
}

/// The recording the simulator serves as `file`: a one-second WAV (8 kHz, 16-bit mono),
/// silent but for a few samples made from the name, so two recordings differ and a copy can
/// be checked byte for byte.
pub fn recording_wav(file: &str) -> Vec<u8> {
    let mut wav = silent_wav();
    for (slot, byte) in wav[44..].iter_mut().step_by(97).zip(file.bytes()) {
        *slot = byte;
    }
    wav
}

/// A one-second silent WAV (8 kHz, 16-bit mono).
fn silent_wav() -> Vec<u8> {
    let samples: u32 = 8000;
    let data_len = samples * 2;
    let mut out = Vec::with_capacity(44 + data_len as usize);
    out.extend_from_slice(b"RIFF");
    out.extend_from_slice(&(36 + data_len).to_le_bytes());
    out.extend_from_slice(b"WAVEfmt ");
    out.extend_from_slice(&16u32.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&1u16.to_le_bytes());
    out.extend_from_slice(&8000u32.to_le_bytes());
    out.extend_from_slice(&16000u32.to_le_bytes());
    out.extend_from_slice(&2u16.to_le_bytes());
    out.extend_from_slice(&16u16.to_le_bytes());
    out.extend_from_slice(b"data");
    out.extend_from_slice(&data_len.to_le_bytes());
    out.resize(44 + data_len as usize, 0);
    out
}

#[derive(Debug, Deserialize)]
pub(super) struct RecordingQuery {
    #[serde(rename = "Expires")]
    expires: Option<i64>,
}

/// Recording links expire after 48 hours (documented); an expired one answers like OSS.
pub(super) async fn recording(
    State(shared): State<Arc<Shared>>,
    Path(file): Path<String>,
    Query(query): Query<RecordingQuery>,
) -> Response {
    let now = {
        let inner = shared.lock();
        shared.now(&inner)
    };
    let date = http_date(now);
    if query.expires.is_some_and(|e| now.timestamp() > e) {
        let body = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error>\n  <Code>AccessDenied</Code>\n  <Message>Request has expired.</Message>\n</Error>\n";
        return response(403, "application/xml", &date, None, body);
    }
    shared
        .lock()
        .world
        .record
        .recordings_served
        .push(file.clone());
    let mut r = response(200, "audio/wav", &date, None, recording_wav(&file));
    if let Ok(v) = HeaderValue::from_str(&format!("inline; filename=\"{file}\"")) {
        r.headers_mut().insert(header::CONTENT_DISPOSITION, v);
    }
    r
}
