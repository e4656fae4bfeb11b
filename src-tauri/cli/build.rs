//! Gives `smartdial.exe` the app icon and version information when building for Windows
//! (Explorer, the installer and SmartScreen show them). Other targets: nothing to do.

fn main() {
    println!("cargo:rerun-if-changed=build.rs");
    println!("cargo:rerun-if-changed=../icons/icon.ico");
    if std::env::var("CARGO_CFG_TARGET_OS").as_deref() != Ok("windows") {
        return;
    }
    let mut res = tauri_winres::WindowsResource::new();
    res.set_icon("../icons/icon.ico")
        .set("ProductName", "SmartDial")
        .set(
            "FileDescription",
            "SmartDial command line (智能外呼助手命令行)",
        )
        .set("CompanyName", "SmartDial")
        .set(
            "LegalCopyright",
            "© 2026 SmartDial developers · MIT License",
        )
        .set("OriginalFilename", "smartdial.exe")
        .set("InternalName", "smartdial");
    if let Err(err) = res.compile() {
        panic!("could not embed the Windows icon and version resource: {err}");
    }
}
