//! Updates through the real updater plugin: a local server plays the release page, the app
//! finds the newer version at start and offers it with its notes, and a download whose
//! signature does not verify against the built-in public key is not installed.

use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::{Arc, Mutex};

use crate::driver;

/// Serves `/latest.json` (version 9.9.9) and `/SmartDial.bin`; records the paths asked for.
fn release_server() -> (String, Arc<Mutex<Vec<String>>>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let base = format!("http://{}", listener.local_addr().expect("addr"));
    let asked = Arc::new(Mutex::new(Vec::new()));
    let manifest = serde_json::json!({
        "version": "9.9.9",
        "notes": "新增:AccessKey 获取指南\nNew: the AccessKey guide",
        "pub_date": "2027-01-15T08:00:00Z",
        "platforms": {
            "linux-x86_64": {
                "url": format!("{base}/SmartDial.bin"),
                // Well-formed base64, but no signature by SmartDial's key.
                "signature": "dW50cnVzdGVkIGNvbW1lbnQ6IG5vdCBhIHNpZ25hdHVyZQo="
            }
        }
    })
    .to_string();
    let log = asked.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming() {
            let Ok(mut stream) = stream else { continue };
            let mut line = String::new();
            let mut reader = BufReader::new(stream.try_clone().expect("clone"));
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            // Skip the headers.
            let mut header = String::new();
            while reader.read_line(&mut header).is_ok() && header.trim() != "" {
                header.clear();
            }
            let path = line.split_whitespace().nth(1).unwrap_or("").to_owned();
            log.lock().unwrap().push(path.clone());
            let (ctype, body) = if path.ends_with("latest.json") {
                ("application/json", manifest.clone().into_bytes())
            } else {
                ("application/octet-stream", vec![0x42; 4096])
            };
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: {ctype}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = stream.write_all(&body);
        }
    });
    (format!("{base}/latest.json"), asked)
}

#[tokio::test(flavor = "multi_thread")]
async fn a_new_version_is_offered_and_an_unsigned_download_is_refused() {
    let (endpoint, asked) = release_server();
    let Some(app) =
        driver::start_with_env(&[("SMARTDIAL_UPDATE_ENDPOINT", endpoint.clone())]).await
    else {
        return;
    };
    let dialog = app.text_of("update-dialog").await;
    assert!(dialog.contains("发现新版本 9.9.9"), "{dialog}");
    assert!(dialog.contains("当前版本 0.1.0"), "{dialog}");
    let notes = app.text_of("update-notes").await;
    assert!(notes.contains("AccessKey 获取指南"), "{notes}");
    // Offered, not downloaded: only the manifest was fetched so far.
    assert_eq!(*asked.lock().unwrap(), vec!["/latest.json".to_owned()]);

    app.click("update-install").await;
    let error = app.text_of("update-error").await;
    assert!(
        error.contains("更新没有安装成功"),
        "{error}\n{}",
        app.app_log()
    );
    assert!(
        asked.lock().unwrap().iter().any(|p| p == "/SmartDial.bin"),
        "the download was never requested"
    );
    let log = app.app_log();
    assert!(log.contains("update available version=9.9.9"), "{log}");
    assert!(!log.contains("update installed"), "{log}");
    app.quit().await;
}
