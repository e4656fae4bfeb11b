//! The IPC surface in one list: the command handler Tauri runs and the TypeScript bindings
//! the web view calls (`ui/src/bindings.ts`) are both generated from it, so a command the UI
//! calls by a wrong name or with wrong argument types fails to compile on the TS side.

use ts_rs::TS;

/// Declares every IPC command once: `module::command(ipc args) -> Ok type;`. Arguments
/// Tauri injects (State, AppHandle, Window) are not listed: the web view never passes them.
macro_rules! ipc_commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $arg_ty:ty),* ) -> $ret:ty;)*) => {
        /// Tauri's handler for every command.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(crate::commands::$module::$name),*]
        }

        /// One typed wrapper per command, as TypeScript.
        fn typescript_commands(cfg: &ts_rs::Config) -> String {
            let mut out = String::from("export const commands = {\n");
            $(
                let args: Vec<(&str, String)> = vec![$((stringify!($arg), <$arg_ty as TS>::name(cfg))),*];
                out.push_str(&command_wrapper(stringify!($name), &args, &<$ret as TS>::name(cfg)));
            )*
            out.push_str("};\n");
            out
        }
    };
}

ipc_commands! {
    app::app_info() -> crate::commands::app::AppInfo;
    app::ui_ready() -> u32;
    app::form_limits() -> smartdial_core::capabilities::FormLimits;
    app::open_log_folder() -> ();
    settings::get_settings() -> smartdial_core::settings::Settings;
    settings::save_settings(settings: smartdial_core::settings::Settings) -> smartdial_core::settings::Settings;
    demo::start_demo() -> crate::commands::demo::DemoStatus;
    demo::stop_demo() -> crate::commands::demo::DemoStatus;
    demo::demo_status() -> crate::commands::demo::DemoStatus;
    profiles::list_profiles() -> Vec<smartdial_core::secrets::profiles::ProfileSummary>;
    profiles::add_profile(name: String, access_key_id: String, access_key_secret: String) -> smartdial_core::secrets::profiles::ProfileSummary;
    profiles::verify_profile(name: String) -> smartdial_core::aliyun::key_check::ProfileVerified;
    profiles::remove_profile(name: String) -> Vec<smartdial_core::secrets::profiles::ProfileSummary>;
    profiles::set_default_profile(name: String) -> Vec<smartdial_core::secrets::profiles::ProfileSummary>;
    sheet::open_sheet(path: String) -> crate::commands::sheet::SheetOverview;
    sheet::select_sheet(sheet: String) -> crate::commands::sheet::SheetOverview;
    sheet::cancel_sheet_read() -> ();
    sheet::propose_mapping(header_row: u32, variables: Vec<String>) -> crate::commands::sheet::MappingProposal;
    sheet::check_variable(name: String, existing: Vec<String>) -> String;
    sheet::apply_mapping(choice: crate::commands::sheet::MappingChoice) -> smartdial_core::sheet::contacts::ContactSummary;
    sheet::contact_summary() -> smartdial_core::sheet::contacts::ContactSummary;
    sheet::contact_page(offset: u32, limit: u32, only_problems: bool) -> smartdial_core::sheet::contacts::ContactPage;
    sheet::fix_number(row: u32, text: String) -> smartdial_core::sheet::contacts::ContactSummary;
    sheet::exclude_row(row: u32, excluded: bool) -> smartdial_core::sheet::contacts::ContactSummary;
    sheet::exclude_blocking_rows() -> smartdial_core::sheet::contacts::ContactSummary;
    sheet::export_problems(path: String) -> u32;
    sheet::save_template(path: String) -> ();
    campaign::validate_task(task: smartdial_core::campaign::plan::TaskSettings) -> Vec<smartdial_core::aliyun::RequestProblem>;
    campaign::list_robots() -> Vec<smartdial_core::aliyun::robot_audit::RobotChoice>;
    campaign::preview_plan(task: smartdial_core::campaign::plan::TaskSettings) -> crate::commands::campaign::PlanPreview;
    campaign::start_campaign(task: smartdial_core::campaign::plan::TaskSettings) -> smartdial_core::campaign::model::CampaignSummary;
    campaign::pause_campaign(id: i64) -> ();
    campaign::cancel_campaign(id: i64) -> ();
    campaign::resume_needs(id: i64) -> smartdial_core::campaign::resume::ResumeNeeds;
    campaign::resume_campaign(id: i64, choices: Option<smartdial_core::campaign::resume::ResumeChoices>) -> ();
    campaign::cancel_unsent(id: i64) -> smartdial_core::campaign::model::CampaignSummary;
    campaign::decide_unknown(id: i64, index: Option<u32>, resend: bool) -> u32;
    campaign::list_campaigns() -> Vec<smartdial_core::campaign::model::CampaignSummary>;
    campaign::campaign_batches(id: i64) -> Vec<smartdial_core::campaign::model::BatchOverview>;
    campaign::unfinished_campaign() -> Option<smartdial_core::campaign::model::CampaignSummary>;
    campaign::sending_now() -> bool;
    results::results_overview(id: i64) -> crate::commands::results::ResultsOverview;
    results::results_page(id: i64, offset: u32, limit: u32, outcome: Option<smartdial_core::results::CallOutcome>, search: Option<String>) -> smartdial_core::results::ResultsPage;
    results::refresh_results(id: i64) -> smartdial_core::results::RefreshReport;
    results::cancel_refresh(id: i64) -> ();
    results::export_results(id: i64, path: String) -> u32;
    results::explain_task_control(control: smartdial_core::aliyun::tasks::TaskControl) -> smartdial_core::results::control::ControlExplanation;
    results::control_campaign_task(control: smartdial_core::aliyun::tasks::TaskControl, task_id: String) -> smartdial_core::results::control::ControlResult;
    results::open_recording(id: i64, batch_index: u32, position: u32) -> ();
    recordings::archive_campaign_recordings(id: i64) -> bool;
    recordings::archiving_recordings(id: i64) -> bool;
    recordings::recordings_usage(id: Option<i64>) -> smartdial_core::results::retention::RecordingsUsage;
    recordings::delete_campaign_recordings(id: i64) -> smartdial_core::results::retention::DeletedRecordings;
    recordings::expiring_recordings() -> Vec<smartdial_core::results::retention::ExpiringRecordings>;
    recordings::open_recordings_folder(id: i64) -> ();
    compliance::dnc_list(search: Option<String>, offset: u32, limit: u32) -> smartdial_core::compliance::dnc::DncPage;
    compliance::dnc_add(numbers: Vec<String>, reason: Option<String>, from_results: bool) -> smartdial_core::compliance::dnc::DncChange;
    compliance::dnc_remove(numbers: Vec<String>) -> smartdial_core::compliance::dnc::DncChange;
    compliance::dnc_import(path: String, reason: Option<String>) -> smartdial_core::compliance::dnc::DncChange;
    compliance::dnc_export(path: String) -> u32;
    recall::recall_options(id: i64) -> crate::commands::recall::RecallOptions;
    recall::prepare_recall(id: i64, outcomes: Vec<smartdial_core::results::CallOutcome>) -> crate::commands::recall::RecallPrepared;
    templates::task_templates() -> smartdial_core::task_templates::TaskTemplates;
    templates::save_task_template(name: String, template: smartdial_core::task_templates::TaskTemplate) -> smartdial_core::task_templates::TaskTemplates;
    templates::remove_task_template(name: String) -> smartdial_core::task_templates::TaskTemplates;
    guide::ram_policy() -> smartdial_core::aliyun::ram::RamPolicy;
    guide::open_ram_console(page: crate::commands::guide::RamConsolePage) -> ();
    updates::check_update() -> Option<crate::commands::updates::UpdateInfo>;
    updates::check_update_at_start() -> Option<crate::commands::updates::UpdateInfo>;
    updates::install_update() -> ();
}

/// An event the shell emits: its name and the one payload type it carries. Declared once in
/// `ipc_events!`, which also writes the TypeScript side, so the web view's listener and the
/// Rust emitter cannot disagree about either.
pub trait IpcEvent {
    const NAME: &'static str;
    type Payload: serde::Serialize;
}

/// Sends `payload` to the web view as event `E`.
pub fn emit<E: IpcEvent>(app: &tauri::AppHandle, payload: &E::Payload) -> tauri::Result<()> {
    use tauri::Emitter;
    app.emit(E::NAME, payload)
}

/// Declares every event once: `Marker(tsKey) = "wire-name" => Payload;`.
macro_rules! ipc_events {
    ($($(#[$doc:meta])* $marker:ident ($key:ident) = $name:literal => $payload:ty;)*) => {
        $(
            $(#[$doc])*
            pub struct $marker;
            impl IpcEvent for $marker {
                const NAME: &'static str = $name;
                type Payload = $payload;
            }
        )*

        /// The event names, their payload types and a typed listener, as TypeScript.
        fn typescript_events(cfg: &ts_rs::Config) -> String {
            let mut names = String::new();
            let mut payloads = String::new();
            $(
                names.push_str(&format!("  {}: \"{}\",\n", stringify!($key), $name));
                payloads.push_str(&format!("  {}: {};\n", stringify!($key), <$payload as TS>::name(cfg)));
            )*
            format!(
                "\n/** Tauri events the Rust side emits, by their wire names. */\n\
                 export const events = {{\n{names}}} as const;\n\n\
                 /** The payload each event carries. */\n\
                 export interface EventPayloads {{\n{payloads}}}\n\n\
                 /** Listens to one event with its payload typed; resolves to the function that stops listening. */\n\
                 export function onEvent<K extends keyof EventPayloads>(\n\
                 \x20 event: K,\n\
                 \x20 handler: (payload: EventPayloads[K]) => void,\n\
                 ): Promise<UnlistenFn> {{\n\
                 \x20 return listen<EventPayloads[K]>(events[event], (e) => handler(e.payload));\n\
                 }}\n"
            )
        }
    };
}

ipc_events! {
    /// Every engine event of a run, for the Send page.
    CampaignEvent(campaign) = "campaign-event" => smartdial_core::campaign::events::EngineEvent;
    /// A run that stopped on an error (the engine leaves the campaign paused with it).
    CampaignErrorEvent(campaignError) = "campaign-error" => crate::commands::campaign::CampaignError;
    /// How far a results refresh has got.
    ResultsProgressEvent(resultsProgress) = "results-progress" => smartdial_core::results::RefreshProgress;
    /// Saving a campaign's recordings started or finished.
    RecordingsArchiveEvent(recordingsArchive) = "recordings-archive" => crate::commands::recordings::ArchiveEvent;
}

/// Every type that crosses IPC, declared once in the bindings file.
fn typescript_types(cfg: &ts_rs::Config) -> Vec<String> {
    use smartdial_core::{aliyun, campaign, results, secrets, sheet, text};
    vec![
        crate::commands::app::AppInfo::decl(cfg),
        crate::commands::demo::DemoStatus::decl(cfg),
        smartdial_core::settings::Settings::decl(cfg),
        smartdial_core::capabilities::FormLimits::decl(cfg),
        smartdial_core::compliance::rules::CallingRules::decl(cfg),
        crate::commands::recall::RecallOptions::decl(cfg),
        crate::commands::recall::RecallPrepared::decl(cfg),
        smartdial_core::results::recall::RecallOutcome::decl(cfg),
        smartdial_core::task_templates::TaskTemplate::decl(cfg),
        smartdial_core::task_templates::TaskTemplates::decl(cfg),
        smartdial_core::compliance::dnc::DncPage::decl(cfg),
        smartdial_core::compliance::dnc::DncEntry::decl(cfg),
        smartdial_core::compliance::dnc::DncSource::decl(cfg),
        smartdial_core::compliance::dnc::DncChange::decl(cfg),
        smartdial_core::compliance::dnc::NotANumber::decl(cfg),
        campaign::lifecycle::CampaignActions::decl(cfg),
        campaign::lifecycle::CampaignActionsRow::decl(cfg),
        crate::commands::sheet::SheetOverview::decl(cfg),
        crate::commands::sheet::MappingProposal::decl(cfg),
        crate::commands::sheet::MappingChoice::decl(cfg),
        crate::commands::campaign::PlanPreview::decl(cfg),
        crate::commands::campaign::WireParam::decl(cfg),
        crate::commands::campaign::CampaignError::decl(cfg),
        crate::commands::results::ResultsOverview::decl(cfg),
        results::ResultsPage::decl(cfg),
        results::PersonResult::decl(cfg),
        results::Variable::decl(cfg),
        results::model::DialogTurn::decl(cfg),
        results::model::Speaker::decl(cfg),
        results::OutcomeCount::decl(cfg),
        results::CallOutcome::decl(cfg),
        results::HangupReading::decl(cfg),
        results::RecordSource::decl(cfg),
        results::RefreshReport::decl(cfg),
        results::refresh::PersonFailure::decl(cfg),
        results::RefreshProgress::decl(cfg),
        results::QueryMode::decl(cfg),
        results::archive::ArchiveReport::decl(cfg),
        results::archive::ArchiveFailure::decl(cfg),
        results::retention::RecordingsUsage::decl(cfg),
        results::retention::DeletedRecordings::decl(cfg),
        results::retention::ExpiringRecordings::decl(cfg),
        crate::commands::recordings::ArchiveEvent::decl(cfg),
        results::control::ControlExplanation::decl(cfg),
        results::control::ControlResult::decl(cfg),
        aliyun::tasks::TaskControl::decl(cfg),
        secrets::profiles::ProfileSummary::decl(cfg),
        aliyun::SignatureVersion::decl(cfg),
        aliyun::key_check::ProfileVerified::decl(cfg),
        sheet::read::SheetInfo::decl(cfg),
        sheet::choice::SheetChoice::decl(cfg),
        sheet::choice::ChoiceReason::decl(cfg),
        sheet::SheetPreview::decl(cfg),
        sheet::PreviewRow::decl(cfg),
        sheet::source::Notice::decl(cfg),
        sheet::mapping::ColumnInfo::decl(cfg),
        sheet::mapping::ColumnMapping::decl(cfg),
        sheet::mapping::VariableColumn::decl(cfg),
        sheet::mapping::MappingSuggestion::decl(cfg),
        sheet::mapping::VariableSuggestion::decl(cfg),
        sheet::mapping::MatchKind::decl(cfg),
        sheet::contacts::ContactSummary::decl(cfg),
        sheet::contacts::VariableInfo::decl(cfg),
        sheet::contacts::ContactPage::decl(cfg),
        sheet::contacts::ContactRow::decl(cfg),
        sheet::contacts::ContactStatus::decl(cfg),
        sheet::contacts::Problem::decl(cfg),
        campaign::plan::TaskSettings::decl(cfg),
        aliyun::RequestProblem::decl(cfg),
        aliyun::RobotInfo::decl(cfg),
        aliyun::robot_audit::RobotChoice::decl(cfg),
        aliyun::robot_audit::RobotAudit::decl(cfg),
        campaign::model::CampaignSummary::decl(cfg),
        campaign::model::CampaignState::decl(cfg),
        campaign::model::BatchCounts::decl(cfg),
        campaign::model::BatchOverview::decl(cfg),
        campaign::model::BatchState::decl(cfg),
        campaign::model::UnknownDecision::decl(cfg),
        campaign::resume::ResumeNeeds::decl(cfg),
        campaign::resume::ResumeChoices::decl(cfg),
        campaign::resume::Reschedule::decl(cfg),
        campaign::events::EngineEvent::decl(cfg),
        campaign::events::BatchUpdate::decl(cfg),
        campaign::events::RetryNotice::decl(cfg),
        campaign::events::RetryKind::decl(cfg),
        campaign::events::Progress::decl(cfg),
        campaign::events::CampaignUpdate::decl(cfg),
        text::Lang::decl(cfg),
        text::Localized::decl(cfg),
        smartdial_core::error_code::ErrorCode::typescript_union(),
        text::UserError::decl(cfg),
        aliyun::ram::RamPolicy::decl(cfg),
        crate::commands::guide::RamConsolePage::decl(cfg),
        crate::commands::updates::UpdateInfo::decl(cfg),
    ]
}

fn command_wrapper(name: &str, args: &[(&str, String)], ret: &str) -> String {
    let params: Vec<String> = args
        .iter()
        .map(|(arg, ty)| format!("{}: {ty}", camel_case(arg)))
        .collect();
    let payload = if args.is_empty() {
        String::new()
    } else {
        let keys: Vec<String> = args.iter().map(|(arg, _)| camel_case(arg)).collect();
        format!(", {{ {} }}", keys.join(", "))
    };
    format!(
        "  {}: ({}) => invoke<{ret}>(\"{name}\"{payload}),\n",
        camel_case(name),
        params.join(", ")
    )
}

/// Tauri maps a Rust argument `file_path` to the JS key `filePath`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The full text of `ui/src/bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust IPC types by `cargo test -p smartdial-desktop --lib bindings`\n\
         // (UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.\n\n\
         import { invoke } from \"@tauri-apps/api/core\";\n\
         import { listen, type UnlistenFn } from \"@tauri-apps/api/event\";\n\n",
    );
    for decl in typescript_types(&cfg) {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str(&typescript_commands(&cfg));
    out.push_str(&typescript_events(&cfg));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_tauri_argument_names() {
        assert_eq!(camel_case("app_info"), "appInfo");
        assert_eq!(camel_case("file_path"), "filePath");
        assert_eq!(camel_case("path"), "path");
    }

    /// A generated file must be what the Rust side produces today; `UPDATE_BINDINGS=1`
    /// rewrites it.
    fn check_generated(relative: &str, generated: &str) {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join(relative);
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, generated).expect("write a generated file");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "{relative} is stale: run `UPDATE_BINDINGS=1 cargo test -p smartdial-desktop --lib bindings` and commit it"
        );
    }

    /// The committed bindings must be what the Rust types generate today.
    #[test]
    fn bindings_are_current() {
        check_generated("ui/src/bindings.ts", &typescript_bindings());
    }

    /// The UI tests answer `form_limits` with the core's real answer, so a test of a button
    /// the campaign actions table governs checks the core's rule, not a copy of it.
    #[test]
    fn bindings_fixture_of_form_limits_is_current() {
        let limits = smartdial_core::capabilities::FormLimits::current();
        let json = serde_json::to_string_pretty(&limits).expect("FormLimits as JSON") + "\n";
        check_generated("ui/src/generated/form-limits.json", &json);
    }
}
