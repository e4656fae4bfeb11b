//! The small JSON files in the data folder (settings, task templates, saved mappings, the
//! profile index): read with "missing means empty", written through a temporary file and a
//! rename, so a crash mid-write leaves the old file whole.

use std::io;
use std::path::Path;

use serde::Serialize;

/// The file's text, or `None` when there is no such file.
pub fn read_if_present(path: &Path) -> io::Result<Option<String>> {
    match std::fs::read_to_string(path) {
        Ok(text) => Ok(Some(text)),
        Err(err) if err.kind() == io::ErrorKind::NotFound => Ok(None),
        Err(err) => Err(err),
    }
}

/// Writes `value` as pretty JSON, creating the folder if needed.
pub fn write_atomic<T: Serialize>(path: &Path, value: &T) -> io::Result<()> {
    let text = serde_json::to_vec_pretty(value).map_err(io::Error::other)?;
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let tmp = path.with_extension("json.tmp");
    std::fs::write(&tmp, text)?;
    std::fs::rename(&tmp, path)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_written_file_reads_back_and_a_missing_one_is_none() {
        let dir = tempfile::tempdir().expect("tempdir");
        let path = dir.path().join("deeper").join("x.json");
        assert_eq!(read_if_present(&path).expect("missing"), None);
        write_atomic(&path, &serde_json::json!({"a": 1})).expect("write");
        let text = read_if_present(&path).expect("read").expect("present");
        assert_eq!(
            serde_json::from_str::<serde_json::Value>(&text).expect("json")["a"],
            1
        );
        assert!(
            !path.with_extension("json.tmp").exists(),
            "the temporary file is renamed"
        );
    }
}
