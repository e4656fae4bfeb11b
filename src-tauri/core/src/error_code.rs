//! The vocabulary of failures: every code a [`UserError`](crate::text::UserError) can carry,
//! in one enum, with what a caller may do about it ([`ErrorClass`]).
//!
//! The codes are what the desktop app switches on (the generated TypeScript has them as a
//! union type, so a misspelt code fails to type-check), what `--json` prints and what the
//! journal stores with a batch, so their spellings never change. Two families stay open:
//! `aliyun.<Code>` (whatever Alibaba Cloud answers; the advice table knows the documented
//! ones) and `request.<problem>` (a local check of the request, e.g.
//! `request.task_name.too_long`).

use std::borrow::Cow;
use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::aliyun::advice::{advice_for, ErrorClass};

macro_rules! error_codes {
    ($( $(#[$doc:meta])* $variant:ident = $code:literal, $class:ident; )*) => {
        /// A failure's stable code. See the module docs.
        #[derive(Debug, Clone, PartialEq, Eq, Hash)]
        pub enum ErrorCode {
            $( $(#[$doc])* $variant, )*
            /// `aliyun.<Code>`: Alibaba Cloud answered with an error `Code` (or SmartDial's
            /// diagnosis of one, e.g. `InvalidAccessKeySecret`).
            Aliyun(Box<str>),
            /// `request.<problem>`: a local check refused the request before anything was
            /// sent; the problem code is a `RequestProblem`'s.
            Request(Box<str>),
        }

        impl ErrorCode {
            /// Every code without a parameter, in declaration order.
            pub const FIXED: &'static [ErrorCode] = &[$(ErrorCode::$variant),*];

            /// The code as it is written on the wire, in `--json` output and in the journal.
            pub fn as_str(&self) -> Cow<'static, str> {
                match self {
                    $( ErrorCode::$variant => Cow::Borrowed($code), )*
                    ErrorCode::Aliyun(code) => Cow::Owned(format!("{ALIYUN_PREFIX}{code}")),
                    ErrorCode::Request(problem) => Cow::Owned(format!("{REQUEST_PREFIX}{problem}")),
                }
            }

            /// What a caller may do next.
            pub fn class(&self) -> ErrorClass {
                match self {
                    $( ErrorCode::$variant => ErrorClass::$class, )*
                    // The advice table classes the API's codes; a failure that reached the
                    // user is reported for a write, the cautious reading.
                    ErrorCode::Aliyun(code) => advice_for(code).kind.class(true),
                    ErrorCode::Request(_) => ErrorClass::Permanent,
                }
            }

            /// The code written as `text`, if it is one of the vocabulary.
            pub fn parse(text: &str) -> Option<ErrorCode> {
                match text {
                    $( $code => Some(ErrorCode::$variant), )*
                    // Spellings of the internal error before there was one.
                    "internal.error" | "internal.runtime" | "campaign.internal" => Some(ErrorCode::Internal),
                    _ => {
                        if let Some(code) = text.strip_prefix(ALIYUN_PREFIX).filter(|c| !c.is_empty()) {
                            Some(ErrorCode::Aliyun(code.into()))
                        } else {
                            text.strip_prefix(REQUEST_PREFIX)
                                .filter(|p| !p.is_empty())
                                .map(|p| ErrorCode::Request(p.into()))
                        }
                    }
                }
            }
        }
    };
}

const ALIYUN_PREFIX: &str = "aliyun.";
const REQUEST_PREFIX: &str = "request.";

error_codes! {
    /// Something SmartDial did not expect (a bug or a broken installation).
    Internal = "internal", Permanent;

    AppOpenBrowserFailed = "app.open_browser_failed", Permanent;
    AppOpenFolderFailed = "app.open_folder_failed", Permanent;
    DemoStartFailed = "demo.start_failed", Permanent;
    ExportWriteFailed = "export.write_failed", Permanent;
    MappingsUnreadable = "mappings.unreadable", Permanent;
    VariableBadName = "variable.bad_name", Permanent;
    VariableExists = "variable.exists", Permanent;
    TemplateExists = "template.exists", Permanent;
    TemplatesBadName = "templates.bad_name", Permanent;
    TemplatesCorrupt = "templates.corrupt", Permanent;
    TemplatesUnwritable = "templates.unwritable", Permanent;
    StatusNeedCallee = "status.need_callee", Permanent;

    /// A batch was answered OK without a TaskId: it was sent; its task must be looked up.
    BatchSentWithoutTaskId = "batch.sent_without_task_id", Permanent;

    CampaignBatchNotFound = "campaign.batch_not_found", Permanent;
    CampaignBatchNotSendable = "campaign.batch_not_sendable", Permanent;
    /// Another window or process holds the campaign's lease.
    CampaignBusy = "campaign.busy", Defer;
    /// The server takes fewer numbers per task than the plan: the unsent batches need re-splitting.
    CampaignCalleeLimit = "campaign.callee_limit", Permanent;
    /// People became not callable (another campaign, the do-not-call list) between the
    /// review and journaling: nothing was sent.
    CampaignCalledMeanwhile = "campaign.called_meanwhile", Permanent;
    CampaignCancelled = "campaign.cancelled", Permanent;
    /// A run stopped while a batch was in flight: its outcome needs a decision.
    CampaignInterrupted = "campaign.interrupted", OutcomeUnknown;
    CampaignLeaseLost = "campaign.lease_lost", Defer;
    CampaignNotFound = "campaign.not_found", Permanent;
    CampaignNotRunning = "campaign.not_running", Permanent;
    CampaignNothingToCancel = "campaign.nothing_to_cancel", Permanent;
    CampaignNothingToResume = "campaign.nothing_to_resume", Permanent;
    /// Everyone in a batch was put on the do-not-call list after the campaign was journaled:
    /// the batch was cancelled when its turn came.
    CampaignWithheld = "campaign.withheld", Permanent;
    /// A schedule outside the calling hours (China time).
    CampaignOutsideCallingHours = "campaign.outside_calling_hours", Permanent;
    /// An answer nobody could explain paused the run: check before resuming.
    CampaignPausedUnexplained = "campaign.paused_unexplained", OutcomeUnknown;
    CampaignPausedByUser = "campaign.paused_by_user", Defer;
    CampaignSchedulePassed = "campaign.schedule_passed", Permanent;
    /// Sending "now" outside the calling hours: the run waits for them.
    CampaignWaitingForHours = "campaign.waiting_for_hours", Defer;

    CliBadConcurrency = "cli.bad_concurrency", Permanent;
    CliBadParam = "cli.bad_param", Permanent;
    CliBadQps = "cli.bad_qps", Permanent;
    CliBadSchedule = "cli.bad_schedule", Permanent;
    CliBadVariable = "cli.bad_variable", Permanent;
    CliConfirmationNeeded = "cli.confirmation_needed", Permanent;
    CliNotConfirmed = "cli.not_confirmed", Permanent;

    ClientSetup = "client.setup", Permanent;
    EndpointInvalid = "endpoint.invalid", Permanent;
    NetworkUnreachable = "network.unreachable", RetrySafe;
    NetworkTimeout = "network.timeout", RetrySafe;
    NetworkTimeoutOutcomeUnknown = "network.timeout.outcome_unknown", OutcomeUnknown;
    NetworkConnectionLost = "network.connection_lost", RetrySafe;
    NetworkConnectionLostOutcomeUnknown = "network.connection_lost.outcome_unknown", OutcomeUnknown;
    ResponseUnreadable = "response.unreadable", RetrySafe;
    ResponseUnreadableOutcomeUnknown = "response.unreadable.outcome_unknown", OutcomeUnknown;
    ResponseUnexpected = "response.unexpected", Permanent;
    RequestInvalid = "request.invalid", Permanent;
    RequestTooLarge = "request.too_large", Permanent;

    JournalFailed = "journal.failed", Permanent;
    JournalInterrupted = "journal.interrupted", OutcomeUnknown;
    JournalOpenFailed = "journal.open_failed", Permanent;
    JournalTooNew = "journal.too_new", Permanent;

    KeychainError = "keychain.error", Permanent;
    KeychainLocked = "keychain.locked", Permanent;
    KeychainMockBackend = "keychain.mock_backend", Permanent;
    KeychainUnavailable = "keychain.unavailable", Permanent;

    PlanBatchSizeInvalid = "plan.batch_size_invalid", Permanent;
    PlanCallerNumberInvalid = "plan.caller_number_invalid", Permanent;
    PlanCallerNumbersMissing = "plan.caller_numbers_missing", Permanent;
    PlanContactTooLong = "plan.contact_too_long", Permanent;
    PlanCorpNameMissing = "plan.corp_name_missing", Permanent;
    PlanCorrupt = "plan.corrupt", Permanent;
    PlanDialogIdMissing = "plan.dialog_id_missing", Permanent;
    PlanNoContacts = "plan.no_contacts", Permanent;
    PlanScheduleInPast = "plan.schedule_in_past", Permanent;
    PlanTaskNameInvalid = "plan.task_name_invalid", Permanent;
    PlanTaskNameMissing = "plan.task_name_missing", Permanent;
    PlanTooManyCallerNumbers = "plan.too_many_caller_numbers", Permanent;

    ProfileCorrupt = "profile.corrupt", Permanent;
    ProfileEmptySecret = "profile.empty_secret", Permanent;
    ProfileIncompleteEnv = "profile.incomplete_env", Permanent;
    ProfileInvalidAccessKeyId = "profile.invalid_access_key_id", Permanent;
    ProfileInvalidName = "profile.invalid_name", Permanent;
    ProfileIo = "profile.io", Permanent;
    ProfileNone = "profile.none", Permanent;
    ProfileNotFound = "profile.not_found", Permanent;
    ProfileSecretMissing = "profile.secret_missing", Permanent;
    ProfileSecretUnreadable = "profile.secret_unreadable", Permanent;

    /// An outcome that is never recalled (answered, vacant number) was asked for.
    RecallOutcomeNotAllowed = "recall.outcome_not_allowed", Permanent;
    RecallNobody = "recall.nobody", Permanent;

    ResultsCancelled = "results.cancelled", Permanent;
    ResultsJournal = "results.journal", Permanent;
    ResultsNoCampaign = "results.no_campaign", Permanent;
    ResultsNotSent = "results.not_sent", Permanent;
    ResultsOpenFailed = "results.open_failed", Permanent;
    ResultsRecordingUnavailable = "results.recording_unavailable", Permanent;
    /// A refresh of the same campaign is already running.
    ResultsRefreshing = "results.refreshing", Defer;

    SettingsBadValue = "settings.bad_value", Permanent;
    SettingsBatchSize = "settings.batch_size", Permanent;
    SettingsConcurrency = "settings.concurrency", Permanent;
    SettingsCorrupt = "settings.corrupt", Permanent;
    SettingsEndpoint = "settings.endpoint", Permanent;
    SettingsQps = "settings.qps", Permanent;
    SettingsRecordingKeepDays = "settings.recording_keep_days", Permanent;
    SettingsUnreadable = "settings.unreadable", Permanent;
    SettingsUnknownKey = "settings.unknown_key", Permanent;
    SettingsUnwritable = "settings.unwritable", Permanent;

    /// The user stopped reading the file.
    SheetCancelled = "sheet.cancelled", Permanent;
    SheetCorrupt = "sheet.corrupt", Permanent;
    SheetEmptyFile = "sheet.empty_file", Permanent;
    SheetEmptySheet = "sheet.empty_sheet", Permanent;
    SheetEncoding = "sheet.encoding", Permanent;
    SheetEncrypted = "sheet.encrypted", Permanent;
    SheetHeaderOnly = "sheet.header_only", Permanent;
    SheetHeaderRowOutOfRange = "sheet.header_row_out_of_range", Permanent;
    SheetIo = "sheet.io", Permanent;
    SheetLocked = "sheet.locked", Permanent;
    SheetNoSheets = "sheet.no_sheets", Permanent;
    SheetNoSuchRow = "sheet.no_such_row", Permanent;
    SheetNotASpreadsheet = "sheet.not_a_spreadsheet", Permanent;
    SheetNotFound = "sheet.not_found", Permanent;
    SheetNotImported = "sheet.not_imported", Permanent;
    SheetNotMapped = "sheet.not_mapped", Permanent;
    SheetPhoneColumnNotFound = "sheet.phone_column_not_found", Permanent;
    SheetSheetNotFound = "sheet.sheet_not_found", Permanent;
    SheetTooLarge = "sheet.too_large", Permanent;
    SheetUnreadable = "sheet.unreadable", Permanent;
    SheetVariableColumnNotFound = "sheet.variable_column_not_found", Permanent;

    SimulatorBadBatchAnswer = "simulator.bad_batch_answer", Permanent;
    SimulatorBindFailed = "simulator.bind_failed", Permanent;
    SimulatorStartFailed = "simulator.start_failed", Permanent;

    /// An update may not be installed while a campaign is sending.
    UpdateBusySending = "update.busy_sending", Defer;
    UpdateCheckFailed = "update.check_failed", RetrySafe;
    UpdateInstallFailed = "update.install_failed", Permanent;
    UpdateNone = "update.none", Permanent;

    TaskControlInvalidTaskId = "task_control.invalid_task_id", Permanent;
    TaskControlRefused = "task_control.refused", Permanent;
    TaskControlUnsupported = "task_control.unsupported", Permanent;
}

impl ErrorCode {
    /// An error reply from Alibaba Cloud with this `Code`.
    pub fn aliyun(code: impl Into<String>) -> ErrorCode {
        ErrorCode::Aliyun(code.into().into_boxed_str())
    }

    /// A local request check with this problem code refused the request.
    pub fn request(problem: impl Into<String>) -> ErrorCode {
        ErrorCode::Request(problem.into().into_boxed_str())
    }

    /// A code read back from the journal: one from an older version that is no longer in
    /// the vocabulary reads as [`ErrorCode::Internal`]; the stored message and hint still
    /// say what happened.
    pub fn from_stored(text: &str) -> ErrorCode {
        ErrorCode::parse(text).unwrap_or(ErrorCode::Internal)
    }

    /// The vocabulary as a TypeScript union type, for the generated bindings.
    pub fn typescript_union() -> String {
        let mut members: Vec<String> = ErrorCode::FIXED
            .iter()
            .map(|c| format!("\"{}\"", c.as_str()))
            .collect();
        members.push(format!("`{ALIYUN_PREFIX}${{string}}`"));
        members.push(format!("`{REQUEST_PREFIX}${{string}}`"));
        format!("type ErrorCode =\n  | {};", members.join("\n  | "))
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.as_str())
    }
}

impl PartialEq<&str> for ErrorCode {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl Serialize for ErrorCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.as_str())
    }
}

/// Reads like [`ErrorCode::from_stored`]: problems are stored as JSON in the journal.
impl<'de> Deserialize<'de> for ErrorCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = Cow::<str>::deserialize(deserializer)?;
        Ok(ErrorCode::from_stored(&text))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_reads_back_as_itself() {
        let mut seen = std::collections::HashSet::new();
        for code in ErrorCode::FIXED {
            assert!(seen.insert(code.as_str()), "{code} is listed twice");
            assert_eq!(ErrorCode::parse(&code.as_str()).as_ref(), Some(code));
        }
        for family in [
            ErrorCode::aliyun("isv.AMOUNT_NOT_ENOUGH"),
            ErrorCode::request("task_name.too_long"),
        ] {
            assert_eq!(ErrorCode::parse(&family.as_str()), Some(family));
        }
    }

    #[test]
    fn the_internal_error_has_one_spelling() {
        for old in [
            "internal",
            "internal.error",
            "internal.runtime",
            "campaign.internal",
        ] {
            assert_eq!(ErrorCode::parse(old), Some(ErrorCode::Internal));
        }
        assert_eq!(
            ErrorCode::FIXED
                .iter()
                .filter(|c| c.as_str().contains("internal"))
                .count(),
            1
        );
    }

    #[test]
    fn codes_travel_as_plain_strings() {
        let json = serde_json::to_string(&ErrorCode::aliyun("Throttling.User")).unwrap();
        assert_eq!(json, "\"aliyun.Throttling.User\"");
        let back: ErrorCode = serde_json::from_str("\"campaign.called_meanwhile\"").unwrap();
        assert_eq!(back, ErrorCode::CampaignCalledMeanwhile);
        let unknown: ErrorCode = serde_json::from_str("\"gone.code\"").unwrap();
        assert_eq!(unknown, ErrorCode::Internal);
    }

    #[test]
    fn classes_say_what_to_do_next() {
        assert_eq!(
            ErrorCode::NetworkTimeoutOutcomeUnknown.class(),
            ErrorClass::OutcomeUnknown
        );
        assert_eq!(ErrorCode::NetworkUnreachable.class(), ErrorClass::RetrySafe);
        assert_eq!(
            ErrorCode::aliyun("Throttling.User").class(),
            ErrorClass::RetrySafe
        );
        assert_eq!(
            ErrorCode::aliyun("isv.AMOUNT_NOT_ENOUGH").class(),
            ErrorClass::Permanent
        );
        assert_eq!(
            ErrorCode::request("task_name.too_long").class(),
            ErrorClass::Permanent
        );
    }

    /// Failures travel in `Result`s everywhere: a code no bigger than the `String` it
    /// replaced keeps `UserError` under clippy's large-error limit.
    #[test]
    fn a_code_is_as_small_as_a_string() {
        assert!(std::mem::size_of::<ErrorCode>() <= std::mem::size_of::<String>());
    }

    #[test]
    fn the_typescript_union_names_every_code() {
        let ts = ErrorCode::typescript_union();
        assert!(ts.contains("\"campaign.called_meanwhile\""));
        assert!(ts.contains("`aliyun.${string}`"));
    }
}
