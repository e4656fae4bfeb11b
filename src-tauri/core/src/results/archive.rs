//! Archiving call recordings: Alibaba's links expire 48 hours after they are issued, so each
//! answered call's recording is copied into the data folder
//! (`recordings/<campaign>/<number>-<TaskId>.<ext>`) and journaled (path, size, SHA-256, when).
//! A run is resumable (what is journaled is done; a half-written file is a `.part` that is
//! written again), bounded in rate, and never fetches a recording twice. A link that has
//! expired, or that the task call list did not give, is asked for again through
//! `QueryCallDetailByTaskId` first. Links are credentials: only their host is logged.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension};
use serde::Serialize;
use sha2::{Digest, Sha256};

use super::refresh::Refresher;
use super::ResultsError;
use crate::campaign::journal::Journal;
use crate::campaign::pacing::RateLimiter;
use crate::text::Localized;

/// The `recordings` table (a journal migration: never edit, append a new one).
pub const SCHEMA_SQL: &str = r#"
CREATE TABLE recordings (
    campaign_id     INTEGER NOT NULL,
    batch_idx       INTEGER NOT NULL,
    position        INTEGER NOT NULL,
    -- Relative to the data folder, with '/' separators.
    path            TEXT    NOT NULL,
    bytes           INTEGER NOT NULL,
    sha256          TEXT    NOT NULL,
    fetched_at_ms   INTEGER NOT NULL,
    PRIMARY KEY (campaign_id, batch_idx, position),
    FOREIGN KEY (campaign_id, batch_idx) REFERENCES batches (campaign_id, idx) ON DELETE CASCADE
) WITHOUT ROWID;
"#;

/// Downloads per second by default: recordings are small and never urgent.
pub const DEFAULT_PER_SECOND: f64 = 5.0;
/// A recording larger than this is refused (a robot call's WAV is well under a megabyte a
/// minute): a link that streams something else must not fill the disk.
pub const MAX_BYTES: usize = 64 * 1024 * 1024;
/// A link about to expire within this is asked for again before use.
const EXPIRY_MARGIN_MS: i64 = 60_000;

/// How an archive run goes.
#[derive(Debug, Clone)]
pub struct ArchiveOptions {
    /// The data folder: files go under `recordings/` in it.
    pub data_dir: PathBuf,
    pub per_second: f64,
}

/// One archived recording.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ArchivedRecording {
    /// Relative to the data folder.
    pub path: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub sha256: String,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub fetched_at_ms: i64,
}

/// A recording that could not be archived this time.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ArchiveFailure {
    pub number: String,
    pub batch_index: u32,
    pub position: u32,
    pub message: Localized,
}

/// What a run did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ArchiveReport {
    pub archived: u32,
    /// Already in the archive before this run.
    pub already: u32,
    /// Links asked for again (expired, or missing from the task call list).
    pub renewed: u32,
    #[cfg_attr(feature = "ts", ts(type = "number"))]
    pub bytes: u64,
    pub failed: Vec<ArchiveFailure>,
}

/// An answered call whose recording is not archived yet.
struct Pending {
    batch_index: u32,
    position: u32,
    task_id: String,
    number: String,
    url: Option<String>,
    expires_at_ms: Option<i64>,
}

fn lock(journal: &Mutex<Journal>) -> MutexGuard<'_, Journal> {
    journal.lock().unwrap_or_else(|p| p.into_inner())
}

/// The HTTP client recordings are downloaded with (a minute per file at most).
pub fn download_client() -> Result<reqwest::Client, reqwest::Error> {
    reqwest::Client::builder()
        .timeout(std::time::Duration::from_secs(60))
        .build()
}

/// The archived recording of one person, if any.
pub fn archived(
    conn: &Connection,
    campaign_id: i64,
    batch_index: u32,
    position: u32,
) -> rusqlite::Result<Option<ArchivedRecording>> {
    conn.query_row(
        "SELECT path, bytes, sha256, fetched_at_ms FROM recordings \
         WHERE campaign_id = ?1 AND batch_idx = ?2 AND position = ?3 AND deleted_at_ms IS NULL",
        params![campaign_id, batch_index, position],
        |r| {
            Ok(ArchivedRecording {
                path: r.get(0)?,
                bytes: r.get::<_, i64>(1)? as u64,
                sha256: r.get(2)?,
                fetched_at_ms: r.get(3)?,
            })
        },
    )
    .optional()
}

/// Copies every answered call's recording of `campaign_id` that is not archived yet.
pub async fn archive_recordings(
    journal: &Mutex<Journal>,
    refresher: &Refresher,
    http: &reqwest::Client,
    campaign_id: i64,
    options: &ArchiveOptions,
) -> Result<ArchiveReport, ResultsError> {
    archive_recordings_with_progress(journal, refresher, http, campaign_id, options, &|_, _| {})
        .await
}

/// [`archive_recordings`], calling `progress(done, total)` after each recording tried (the
/// recordings not archived when the run started count; a long run is minutes at 5/s).
pub async fn archive_recordings_with_progress(
    journal: &Mutex<Journal>,
    refresher: &Refresher,
    http: &reqwest::Client,
    campaign_id: i64,
    options: &ArchiveOptions,
    progress: &(dyn Fn(u32, u32) + Send + Sync),
) -> Result<ArchiveReport, ResultsError> {
    let (pending, already) = {
        let j = lock(journal);
        (
            pending(j.conn(), campaign_id)?,
            count_archived(j.conn(), campaign_id)?,
        )
    };
    let mut report = ArchiveReport {
        already,
        ..ArchiveReport::default()
    };
    let limiter = RateLimiter::new(options.per_second.clamp(0.1, 50.0));
    let total = pending.len() as u32;
    for (i, p) in pending.into_iter().enumerate() {
        limiter.acquire().await;
        match archive_one(
            journal,
            refresher,
            http,
            campaign_id,
            options,
            &p,
            &mut report,
        )
        .await
        {
            Ok(Some(done)) => {
                report.archived += 1;
                report.bytes += done.bytes;
            }
            Ok(None) => {}
            Err(message) => report.failed.push(ArchiveFailure {
                number: p.number.clone(),
                batch_index: p.batch_index,
                position: p.position,
                message,
            }),
        }
        progress(i as u32 + 1, total);
    }
    Ok(report)
}

/// Every archived recording of a campaign still on disk by (batch, position): its path.
pub fn paths(
    conn: &Connection,
    campaign_id: i64,
) -> rusqlite::Result<std::collections::HashMap<(u32, u32), String>> {
    let mut stmt =
        conn.prepare("SELECT batch_idx, position, path FROM recordings WHERE campaign_id = ?1 AND deleted_at_ms IS NULL")?;
    let rows = stmt.query_map([campaign_id], |r| Ok(((r.get(0)?, r.get(1)?), r.get(2)?)))?;
    rows.collect()
}

fn pending(conn: &Connection, campaign_id: i64) -> rusqlite::Result<Vec<Pending>> {
    let mut stmt = conn.prepare(
        "SELECT c.batch_idx, c.position, c.task_id, c.number, c.record_url, c.record_expires_at_ms \
         FROM call_records c LEFT JOIN recordings r \
         ON r.campaign_id = c.campaign_id AND r.batch_idx = c.batch_idx AND r.position = c.position \
         WHERE c.campaign_id = ?1 AND c.outcome = 'answered' AND r.path IS NULL \
         ORDER BY c.batch_idx, c.position",
    )?;
    let rows = stmt.query_map([campaign_id], |r| {
        Ok(Pending {
            batch_index: r.get(0)?,
            position: r.get(1)?,
            task_id: r.get(2)?,
            number: r.get(3)?,
            url: r.get(4)?,
            expires_at_ms: r.get(5)?,
        })
    })?;
    rows.collect()
}

fn count_archived(conn: &Connection, campaign_id: i64) -> rusqlite::Result<u32> {
    conn.query_row(
        "SELECT COUNT(*) FROM recordings WHERE campaign_id = ?1 AND deleted_at_ms IS NULL",
        [campaign_id],
        |r| r.get(0),
    )
}

/// Why a download failed: the link expired (ask again) or anything else.
enum Fetch {
    Expired,
    Failed(Localized),
}

async fn archive_one(
    journal: &Mutex<Journal>,
    refresher: &Refresher,
    http: &reqwest::Client,
    campaign_id: i64,
    options: &ArchiveOptions,
    p: &Pending,
    report: &mut ArchiveReport,
) -> Result<Option<ArchivedRecording>, Localized> {
    let now = refresher.now_ms();
    let fresh = p
        .url
        .clone()
        .filter(|_| p.expires_at_ms.is_some_and(|t| t > now + EXPIRY_MARGIN_MS));
    let mut url = match fresh {
        Some(url) => url,
        None => {
            report.renewed += 1;
            match renew(journal, refresher, campaign_id, p).await? {
                Some(url) => url,
                None => return Ok(None),
            }
        }
    };
    let rel = relative_path(campaign_id, p, &url);
    let target = options.data_dir.join(&rel);
    let mut renewed_once = p.url.is_none() || url != p.url.clone().unwrap_or_default();
    let (bytes, sha256) = loop {
        match download(http, &url, &target).await {
            Ok(done) => break done,
            Err(Fetch::Expired) if !renewed_once => {
                renewed_once = true;
                report.renewed += 1;
                url = match renew(journal, refresher, campaign_id, p).await? {
                    Some(url) => url,
                    None => return Ok(None),
                };
            }
            Err(Fetch::Expired) => {
                return Err(Localized::new(
                    "录音链接已过期，重新查询后仍无法下载。",
                    "The recording link expired and could not be renewed.",
                ))
            }
            Err(Fetch::Failed(why)) => return Err(why),
        }
    };
    let done = ArchivedRecording {
        path: rel.to_string_lossy().replace('\\', "/"),
        bytes,
        sha256,
        fetched_at_ms: refresher.now_ms(),
    };
    lock(journal)
        .conn()
        .execute(
            "INSERT OR IGNORE INTO recordings \
             (campaign_id, batch_idx, position, path, bytes, sha256, fetched_at_ms) \
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
            params![
                campaign_id,
                p.batch_index,
                p.position,
                done.path,
                done.bytes as i64,
                done.sha256,
                done.fetched_at_ms
            ],
        )
        .map_err(|err| {
            tracing::error!(%err, "could not journal an archived recording");
            Localized::new(
                "无法记录已保存的录音（本地数据库出错）。",
                "Could not journal the saved recording (local database error).",
            )
        })?;
    tracing::info!(campaign = campaign_id, path = %done.path, bytes = done.bytes, "recording archived");
    Ok(Some(done))
}

/// Asks `QueryCallDetailByTaskId` for a fresh link; `None` when the record has none.
async fn renew(
    journal: &Mutex<Journal>,
    refresher: &Refresher,
    campaign_id: i64,
    p: &Pending,
) -> Result<Option<String>, Localized> {
    match refresher
        .refresh_person(journal, campaign_id, p.batch_index, p.position)
        .await
    {
        Ok(person) => Ok(person.record_url),
        Err(err) => Err(err.to_user_error().message),
    }
}

/// `recordings/<campaign>/<number>-<TaskId>.<ext>`, the extension from the link (`wav` when
/// it has none that looks like one).
fn relative_path(campaign_id: i64, p: &Pending, url: &str) -> PathBuf {
    let ext = url
        .split(['?', '#'])
        .next()
        .and_then(|path| path.rsplit('/').next())
        .and_then(|file| file.rsplit_once('.'))
        .map(|(_, ext)| ext.to_ascii_lowercase())
        .filter(|e| (1..=5).contains(&e.len()) && e.bytes().all(|b| b.is_ascii_alphanumeric()))
        .unwrap_or_else(|| "wav".to_owned());
    let safe = |s: &str| -> String {
        s.chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || c == '-' || c == '_' {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    };
    Path::new("recordings")
        .join(campaign_id.to_string())
        .join(format!("{}-{}.{ext}", safe(&p.number), safe(&p.task_id)))
}

/// The link's host, for logs (the rest of a link is a credential).
pub(crate) fn host_of(url: &str) -> &str {
    url.split("://")
        .nth(1)
        .and_then(|rest| rest.split(['/', '?']).next())
        .unwrap_or("?")
}

/// Downloads into `<target>.part`, hashing as it goes, then renames it into place.
async fn download(
    http: &reqwest::Client,
    url: &str,
    target: &Path,
) -> Result<(u64, String), Fetch> {
    let failed = |zh: String, en: String| Fetch::Failed(Localized::new(zh, en));
    let mut response = http.get(url).send().await.map_err(|err| {
        tracing::warn!(host = host_of(url), kind = ?err.is_timeout(), "recording download failed");
        failed(
            "无法下载录音（网络错误），下次刷新结果时会再试。".to_owned(),
            "Could not download the recording (network error); it is tried again at the next refresh.".to_owned(),
        )
    })?;
    let status = response.status().as_u16();
    if status == 403 || status == 404 || status == 410 {
        return Err(Fetch::Expired);
    }
    if !(200..300).contains(&status) {
        tracing::warn!(host = host_of(url), status, "recording download refused");
        return Err(failed(
            format!("录音服务器返回 HTTP {status}，下次刷新结果时会再试。"),
            format!("The recording server answered HTTP {status}; it is tried again at the next refresh."),
        ));
    }
    let io_failed = |err: std::io::Error| {
        failed(
            format!("无法保存录音：{}。", crate::os_error::io_reason(&err).zh_cn),
            format!("Could not save the recording: {err}."),
        )
    };
    if let Some(dir) = target.parent() {
        std::fs::create_dir_all(dir).map_err(io_failed)?;
    }
    let part = target.with_extension("part");
    let mut file = std::fs::File::create(&part).map_err(io_failed)?;
    let mut hasher = Sha256::new();
    let mut bytes: usize = 0;
    loop {
        let chunk = response.chunk().await.map_err(|_| {
            failed(
                "录音下载中断，下次刷新结果时会再试。".to_owned(),
                "The recording download broke off; it is tried again at the next refresh."
                    .to_owned(),
            )
        })?;
        let Some(chunk) = chunk else { break };
        bytes += chunk.len();
        if bytes > MAX_BYTES {
            drop(file);
            let _ = std::fs::remove_file(&part);
            return Err(failed(
                "录音文件大得不正常，没有保存。".to_owned(),
                "The recording is unreasonably large and was not saved.".to_owned(),
            ));
        }
        hasher.update(&chunk);
        file.write_all(&chunk).map_err(io_failed)?;
    }
    file.sync_all().map_err(io_failed)?;
    drop(file);
    std::fs::rename(&part, target).map_err(io_failed)?;
    let sha256 = hasher
        .finalize()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<String>();
    Ok((bytes as u64, sha256))
}
