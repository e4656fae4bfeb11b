use crate::support::{stdout, Cli};

#[test]
fn info_reports_the_data_folder_from_the_environment() {
    let cli = Cli::new();
    let out = cli.run(&["info", "--json"]);
    assert!(out.status.success());
    let json: serde_json::Value = serde_json::from_str(&stdout(&out)).expect("json");
    let data_dir = cli.data_path().display().to_string();
    assert_eq!(json["data_dir"], data_dir.as_str());
    assert_eq!(json["log_dir"], format!("{data_dir}/logs").as_str());
    assert_eq!(json["version"], env!("CARGO_PKG_VERSION"));
}
