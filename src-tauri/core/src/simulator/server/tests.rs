//! Tests of `server`.

use super::*;

#[test]
fn http_date_is_rfc_7231() {
    let t = DateTime::from_timestamp(1_735_689_600, 0).unwrap_or_default();
    assert_eq!(http_date(t), "Wed, 01 Jan 2025 00:00:00 GMT");
}

#[test]
fn request_ids_are_deterministic_uuid_shaped() {
    assert_eq!(request_id(1, 1), request_id(1, 1));
    assert_ne!(request_id(1, 1), request_id(1, 2));
    let id = request_id(7, 3);
    assert_eq!(id.len(), 36);
    assert_eq!(id.matches('-').count(), 4);
}

#[test]
fn wav_header_is_well_formed() {
    let wav = recording_wav("task_0.wav");
    assert_eq!(&wav[0..4], b"RIFF");
    assert_eq!(wav.len(), 44 + 16000);
}
