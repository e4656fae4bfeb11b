//! The `recording:` URI scheme: the window plays a call's saved recording from the data
//! folder, never from Alibaba's expiring link. A request names a person
//! (`<campaign>-<batch>-<position>`), never a path: the file is the one the journal recorded
//! for them, inside the recordings folder, so the window cannot read anything else.
//! (The window fetches it and plays the bytes: WebKitGTK's media player cannot read custom
//! schemes itself, tauri-apps/tauri#3725.)

use std::borrow::Cow;

use smartdial_core::results::retention::saved_file;
use tauri::http::{header, Request, Response, StatusCode};
use tauri::{Manager, Runtime, UriSchemeContext, UriSchemeResponder};

use crate::state::{lock, AppState};

pub const SCHEME: &str = "recording";

/// Serves the request on a worker thread (a file read must not stall the window).
pub fn handle<R: Runtime>(
    ctx: UriSchemeContext<'_, R>,
    request: Request<Vec<u8>>,
    responder: UriSchemeResponder,
) {
    let app = ctx.app_handle().clone();
    tauri::async_runtime::spawn_blocking(move || {
        let state = app.state::<AppState>();
        responder.respond(serve(&state, &request));
    });
}

fn status(code: StatusCode) -> Response<Cow<'static, [u8]>> {
    Response::builder()
        .status(code)
        .body(Cow::Borrowed(&[][..]))
        .unwrap_or_default()
}

/// `/<campaign>-<batch>-<position>` (as `convertFileSrc` writes it on every platform).
fn person(path: &str) -> Option<(i64, u32, u32)> {
    let mut parts = path.trim_start_matches('/').split('-');
    let campaign = parts.next()?.parse().ok()?;
    let batch = parts.next()?.parse().ok()?;
    let position = parts.next()?.parse().ok()?;
    parts
        .next()
        .is_none()
        .then_some((campaign, batch, position))
}

fn serve(state: &AppState, request: &Request<Vec<u8>>) -> Response<Cow<'static, [u8]>> {
    let Some((campaign, batch, position)) = person(request.uri().path()) else {
        return status(StatusCode::BAD_REQUEST);
    };
    let Ok(journal) = state.journal() else {
        return status(StatusCode::SERVICE_UNAVAILABLE);
    };
    let saved = {
        let j = lock(&journal);
        saved_file(&j, &state.paths.data_dir, campaign, batch, position)
    };
    let Some(file) = saved.ok().flatten() else {
        return status(StatusCode::NOT_FOUND);
    };
    let bytes = match std::fs::read(&file) {
        Ok(bytes) => bytes,
        Err(err) => {
            tracing::warn!(%err, campaign, "a saved recording could not be read");
            return status(StatusCode::NOT_FOUND);
        }
    };
    let mime = match file.extension().and_then(|e| e.to_str()) {
        Some("mp3") => "audio/mpeg",
        Some("ogg") => "audio/ogg",
        Some("m4a") => "audio/mp4",
        _ => "audio/wav",
    };
    let total = bytes.len();
    // Media players ask for byte ranges to seek.
    let range = request
        .headers()
        .get(header::RANGE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| byte_range(v, total));
    let builder = Response::builder()
        .header(header::CONTENT_TYPE, mime)
        .header(header::ACCEPT_RANGES, "bytes")
        .header(header::CACHE_CONTROL, "no-store")
        // The window (tauri://localhost, or http://tauri.localhost on Windows) fetches it.
        .header(header::ACCESS_CONTROL_ALLOW_ORIGIN, "*");
    let response = match range {
        Some((start, end)) => builder
            .status(StatusCode::PARTIAL_CONTENT)
            .header(
                header::CONTENT_RANGE,
                format!("bytes {start}-{end}/{total}"),
            )
            .header(header::CONTENT_LENGTH, end + 1 - start)
            .body(Cow::Owned(bytes[start..=end].to_vec())),
        None => builder
            .status(StatusCode::OK)
            .header(header::CONTENT_LENGTH, total)
            .body(Cow::Owned(bytes)),
    };
    response.unwrap_or_else(|_| status(StatusCode::INTERNAL_SERVER_ERROR))
}

/// `bytes=a-b`, `bytes=a-` or `bytes=-n` within `total` bytes, as inclusive offsets.
fn byte_range(header: &str, total: usize) -> Option<(usize, usize)> {
    let spec = header
        .trim()
        .strip_prefix("bytes=")?
        .split(',')
        .next()?
        .trim();
    let (a, b) = spec.split_once('-')?;
    if total == 0 {
        return None;
    }
    let (start, end) = match (a.trim(), b.trim()) {
        ("", n) => {
            let n: usize = n.parse().ok()?;
            (total.saturating_sub(n), total - 1)
        }
        (a, "") => (a.parse().ok()?, total - 1),
        (a, b) => (a.parse().ok()?, b.parse::<usize>().ok()?.min(total - 1)),
    };
    (start <= end && start < total).then_some((start, end))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_request_names_a_person_never_a_path() {
        assert_eq!(person("/3-0-12"), Some((3, 0, 12)));
        assert_eq!(person("3-1-2"), Some((3, 1, 2)));
        assert_eq!(person("/../etc/passwd"), None);
        assert_eq!(person("/3-0-12-4"), None);
        assert_eq!(person("/3-0"), None);
    }

    #[test]
    fn ranges_are_read_within_the_file() {
        assert_eq!(byte_range("bytes=0-", 10), Some((0, 9)));
        assert_eq!(byte_range("bytes=2-4", 10), Some((2, 4)));
        assert_eq!(byte_range("bytes=5-99", 10), Some((5, 9)));
        assert_eq!(byte_range("bytes=-3", 10), Some((7, 9)));
        assert_eq!(byte_range("bytes=10-", 10), None);
        assert_eq!(byte_range("items=0-1", 10), None);
    }
}
