//! Files that are not the spreadsheet they claim to be: empty, renamed, random bytes,
//! damaged or fake archives, password-protected, unreadable, in a legacy encoding.

use super::*;

#[test]
fn empty_files() {
    let d = dir();
    for name in ["空.xlsx", "empty.csv"] {
        let p = path(&d, name);
        std::fs::write(&p, b"").unwrap();
        let e = open_err(&p);
        assert_eq!(e.code(), "sheet.empty_file");
        assert_names_file(&e, name);
    }
    let p = path(&d, "blank.csv");
    std::fs::write(&p, b" \r\n\r\n").unwrap();
    assert_eq!(open_err(&p).code(), "sheet.empty_file");
}

#[test]
fn header_only() {
    let d = dir();
    let csv = path(&d, "header.csv");
    std::fs::write(&csv, "手机号,姓名\n").unwrap();
    let e = import_err(&csv, &ImportOptions::default());
    assert_eq!(e.code(), "sheet.header_only");
    assert_names_file(&e, "header.csv");
    let xlsx = path(&d, "header.xlsx");
    simple_xlsx(&xlsx, &[&["手机号", "姓名"]]);
    let e = import_err(&xlsx, &ImportOptions::default());
    assert_eq!(e.code(), "sheet.header_only");
    assert!(e.to_user_error().message.en.contains("Sheet1"));
}

#[test]
fn renamed_files_are_read_by_content_with_a_notice() {
    let d = dir();
    let csv_as_xlsx = path(&d, "list.xlsx");
    std::fs::write(&csv_as_xlsx, "手机号\n13800138000\n").unwrap();
    let imported = import(&csv_as_xlsx, &ImportOptions::default(), None).unwrap();
    let s = imported.contacts.summary();
    assert_eq!(s.valid, 1);
    assert_eq!(s.notices[0].code, "sheet.extension_mismatch");
    assert!(s.notices[0].message.en.contains(".xlsx"));

    let xlsx_as_csv = path(&d, "list.csv");
    simple_xlsx(&xlsx_as_csv, &[&["手机号"], &["13800138000"]]);
    let wb = read::open(&xlsx_as_csv, Limits::default()).unwrap();
    assert_eq!(wb.format(), FileFormat::Xlsx);
    assert_eq!(wb.notices()[0].code, "sheet.extension_mismatch");
    let imported = import(&xlsx_as_csv, &ImportOptions::default(), None).unwrap();
    assert_eq!(imported.contacts.summary().valid, 1);
}

#[test]
fn random_binary_is_not_a_spreadsheet() {
    let d = dir();
    let mut rng = rand::rngs::StdRng::seed_from_u64(7);
    for (i, name) in ["noise.xlsx", "noise.csv", "noise.bin"].iter().enumerate() {
        let mut bytes = vec![0u8; 4096 * (i + 1)];
        rng.fill_bytes(&mut bytes);
        bytes[0] = b'x'; // not a zip/OLE signature by accident
        let p = path(&d, name);
        std::fs::write(&p, &bytes).unwrap();
        let e = open_err(&p);
        assert!(
            matches!(
                e.code(),
                ErrorCode::SheetNotASpreadsheet | ErrorCode::SheetEncoding
            ),
            "{name}: {}",
            e.code()
        );
        assert_names_file(&e, name);
    }
    // High bytes without NULs: not text either.
    let p = path(&d, "high.csv");
    let bytes: Vec<u8> = (0..2000u32).map(|i| 0x80 + (i * 7 % 0x7f) as u8).collect();
    std::fs::write(&p, bytes).unwrap();
    // These happen to be valid GB18030 (random hanzi): read as text, then no phone column.
    let e = import_err(&p, &ImportOptions::default());
    assert!(
        matches!(
            e.code(),
            ErrorCode::SheetNotASpreadsheet
                | ErrorCode::SheetEncoding
                | ErrorCode::SheetPhoneColumnNotFound
        ),
        "{}",
        e.code()
    );
    assert_names_file(&e, "high.csv");
}

#[test]
fn truncated_and_fake_zips_are_corrupt() {
    let d = dir();
    let good = path(&d, "good.xlsx");
    simple_xlsx(&good, &[&["手机号"], &["13800138000"]]);
    let bytes = std::fs::read(&good).unwrap();
    let cut = path(&d, "cut.xlsx");
    std::fs::write(&cut, &bytes[..bytes.len() / 2]).unwrap();
    let e = open_err(&cut);
    assert_eq!(e.code(), "sheet.corrupt");
    assert_names_file(&e, "cut.xlsx");
    // A zip that is not a workbook.
    let other = path(&d, "photos.xlsx");
    let mut z = zip::ZipWriter::new(std::fs::File::create(&other).unwrap());
    z.start_file("a.jpg", zip::write::SimpleFileOptions::default())
        .unwrap();
    z.write_all(b"jpeg").unwrap();
    z.finish().unwrap();
    assert_eq!(open_err(&other).code(), "sheet.not_a_spreadsheet");
    // Just the zip signature.
    let stub = path(&d, "stub.xlsx");
    std::fs::write(&stub, b"PK\x03\x04garbage").unwrap();
    assert_eq!(open_err(&stub).code(), "sheet.corrupt");
}

#[test]
fn password_protected_workbook() {
    let d = dir();
    let p = path(&d, "secret.xlsx");
    // What Excel writes for an encrypted workbook: an OLE container with EncryptionInfo and
    // EncryptedPackage streams instead of a zip.
    let mut c = cfb::create(&p).unwrap();
    c.create_stream("EncryptionInfo")
        .unwrap()
        .write_all(&[4, 0, 4, 0, 0x40, 0, 0, 0])
        .unwrap();
    c.create_stream("EncryptedPackage")
        .unwrap()
        .write_all(&[0u8; 4096])
        .unwrap();
    c.flush().unwrap();
    drop(c);
    let e = open_err(&p);
    assert_eq!(e.code(), "sheet.encrypted");
    assert_names_file(&e, "secret.xlsx");
    assert!(e.to_user_error().hint.zh_cn.contains("密码"));
    // An OLE file that is neither: corrupt, not a panic.
    let q = path(&d, "odd.xls");
    let mut c = cfb::create(&q).unwrap();
    c.create_stream("Something")
        .unwrap()
        .write_all(b"x")
        .unwrap();
    c.flush().unwrap();
    drop(c);
    assert_eq!(open_err(&q).code(), "sheet.corrupt");
}

#[test]
fn non_utf8_text_without_bom() {
    let d = dir();
    let p = path(&d, "gbk.csv");
    let (gbk, _, _) = encoding_rs::GB18030.encode("手机号;姓名\n138 0013 8000;张三\n");
    std::fs::write(&p, &gbk).unwrap();
    let list = import(
        &p,
        &ImportOptions {
            variables: vec![("姓名".into(), None)],
            ..ImportOptions::default()
        },
        None,
    )
    .unwrap()
    .contacts;
    let row = list.row(2).unwrap();
    assert_eq!(row.values, ["张三"]);
    assert_eq!(row.number.as_deref(), Some("13800138000"));
    // Latin-1 bytes that are neither UTF-8 nor GB18030.
    let q = path(&d, "latin1.csv");
    std::fs::write(&q, b"phone,name\n13800138000,caf\xe9\n13900139000,\xff\n").unwrap();
    let e = open_err(&q);
    assert_eq!(e.code(), "sheet.encoding");
    assert!(
        e.to_user_error().message.en.contains("Line 2"),
        "{}",
        e.to_user_error().message.en
    );
    assert_names_file(&e, "latin1.csv");
}

#[test]
fn unreadable_and_missing_files() {
    let d = dir();
    let missing = path(&d, "nope.xlsx");
    assert_eq!(open_err(&missing).code(), "sheet.not_found");
    assert_eq!(open_err(d.path()).code(), "sheet.not_a_spreadsheet");
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let p = path(&d, "locked.csv");
        std::fs::write(&p, "手机号\n13800138000\n").unwrap();
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o000)).unwrap();
        if std::fs::File::open(&p).is_ok() {
            // Running as root (CAP_DAC_OVERRIDE): permissions do not apply; nothing to test.
            eprintln!("skipped: running with privileges that ignore file permissions");
        } else {
            let e = open_err(&p);
            assert_eq!(e.code(), "sheet.unreadable");
            assert_names_file(&e, "locked.csv");
        }
        std::fs::set_permissions(&p, std::fs::Permissions::from_mode(0o600)).unwrap();
    }
}

#[test]
fn a_workbook_open_in_excel_is_noticed() {
    let d = dir();
    let p = path(&d, "contacts.xlsx");
    simple_xlsx(&p, &[&["手机号"], &["13800138000"]]);
    assert!(read::open(&p, Limits::default())
        .unwrap()
        .notices()
        .is_empty());
    // Excel's owner file for a long name replaces its first two characters.
    std::fs::write(path(&d, "~$ntacts.xlsx"), b"owner").unwrap();
    let wb = read::open(&p, Limits::default()).unwrap();
    assert_eq!(wb.notices()[0].code, "sheet.open_in_excel");
}
