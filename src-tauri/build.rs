fn main() {
    // tauri.conf.json sits in the package root (the repository root); capabilities live in
    // src-tauri/. tauri-build does not watch the front-end output, so say it here.
    println!("cargo:rerun-if-changed=ui/dist");
    println!("cargo:rerun-if-changed=src-tauri/capabilities");
    if let Err(err) = tauri_build::try_build(
        tauri_build::Attributes::new().capabilities_path_pattern("./src-tauri/capabilities/**/*"),
    ) {
        panic!("tauri-build failed: {err:#}");
    }
}
