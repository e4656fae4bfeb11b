//! End-to-end tests of the real desktop app: tauri-driver + WebKitWebDriver drive the real
//! window (under Xvfb in CI) and the real Rust commands behind it.
//!
//! They need a display, `tauri-driver` and a binary built with the embedded UI
//! (`--features custom-protocol`). Without those they print why and pass, unless
//! `SMARTDIAL_REQUIRE_E2E=1` (set by CI) makes a missing piece a failure.

// A test that cannot set up its fixture should stop right there, loudly.
#![allow(clippy::expect_used, clippy::unwrap_used)]

mod driver;

mod cancel;
mod evidence;
mod frame;
mod recall;
mod responsiveness;
mod resume_choice;
mod updates;
mod wizard;
mod words;
