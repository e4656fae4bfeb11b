// Generated from the Rust IPC types by `cargo test -p smartdial-desktop --lib bindings`
// (UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.

import { invoke } from "@tauri-apps/api/core";
import { listen, type UnlistenFn } from "@tauri-apps/api/event";

export type AppInfo = { version: string, dataDir: string, logDir: string, os: string, };

export type DemoStatus = { active: boolean, endpoint: string | null, 
/**
 * A robot the simulator knows, to prefill the task form.
 */
dialogId: string | null, };

export type Settings = { 
/**
 * The dyvms endpoint; the simulator's address while the demo runs.
 */
endpoint: string, 
/**
 * Numbers per `BatchRobotSmartCall` task (1–1000).
 */
batchSize: number, 
/**
 * Requests per second at most (the API quota is 100/s per account).
 */
qps: number, 
/**
 * Requests in flight at most.
 */
concurrency: number, 
/**
 * Reject landlines (the docs disagree on whether BatchRobotSmartCall takes them).
 */
mobileOnly: boolean, lang: Lang, 
/**
 * The AccessKey profile used for sending; `None` until one is added.
 */
defaultProfile: string | null, 
/**
 * Look for a newer version when the app starts (files from before this switch load
 * with it on).
 */
checkUpdates: boolean, 
/**
 * Calling hours and per-number limits (files from before them load the defaults).
 */
calling: CallingRules, 
/**
 * Delete archived call recordings this many days after they were saved; `None` (the
 * default) keeps them forever. Recordings are evidence: nothing is deleted unless asked.
 */
recordingKeepDays: number | null, };

export type FormLimits = { 
/**
 * Numbers per batch (`Settings::batch_size`).
 */
maxBatchSize: number, 
/**
 * Requests per second (`Settings::qps`).
 */
maxQps: number, 
/**
 * Requests in flight (`Settings::concurrency`).
 */
maxConcurrency: number, 
/**
 * Characters of the task name (`TaskName`).
 */
maxTaskNameChars: number, 
/**
 * Caller numbers per task (`CalledShowNumber`).
 */
maxCallerNumbers: number, 
/**
 * What each campaign state allows (pause, resume, cancel, unfinished), with and
 * without batches waiting for a decision: the desktop looks its buttons up here.
 */
campaignActions: Array<CampaignActionsRow>, };

export type CallingRules = { 
/**
 * China time.
 */
hours: { days: number[]; ranges: string }, 
/**
 * Answered calls per number in 24 hours, across all campaigns and robots (a call whose
 * outcome is not known yet counts as answered).
 */
maxAnsweredPerDay: number, 
/**
 * Calls per number in 24 hours, whatever their outcome.
 */
maxAttemptsPerDay: number, 
/**
 * No new batch starts this many minutes before the calling window closes.
 */
stopMarginMinutes: number, };

export type RecallOptions = { campaign: CampaignSummary, outcomes: Array<RecallOutcome>, 
/**
 * Refresh the results first (someone is still pending, or the last refresh is old).
 */
needsRefresh: boolean, };

export type RecallPrepared = { summary: ContactSummary, 
/**
 * The source campaign's settings with the recall's name and no schedule.
 */
task: TaskSettings, };

export type RecallOutcome = { outcome: CallOutcome, label: Localized, count: number, chosen: boolean, 
/**
 * Whether this outcome can be chosen at all.
 */
allowed: boolean, };

export type TaskTemplate = { dialogId: string, callerNumbers: Array<string>, corpName: string | null, isSelfLine: boolean, earlyMediaAsr: boolean, };

export type TaskTemplates = { 
/**
 * What the last campaign was started with.
 */
lastUsed: TaskTemplate | null, 
/**
 * Saved by name, listed in name order.
 */
named: { [key in string]: TaskTemplate }, };

export type DncPage = { 
/**
 * Entries matching the search.
 */
total: number, entries: Array<DncEntry>, };

export type DncEntry = { number: string, reason: string | null, addedAtMs: number, source: DncSource, };

export type DncSource = "manual" | "import" | "results";

export type DncChange = { 
/**
 * Newly added, or removed.
 */
changed: number, 
/**
 * Already on the list (add), or not on it (remove): nothing to do.
 */
unchanged: number, 
/**
 * At most the first 20 texts that are not numbers.
 */
notNumbers: Array<NotANumber>, notNumberCount: number, };

export type NotANumber = { text: string, message: Localized, };

export type CampaignActions = { 
/**
 * A run is sending it: it can be paused.
 */
pause: boolean, 
/**
 * A new run may start now: nothing is sending and no batch waits for a decision.
 */
resume: boolean, 
/**
 * Some batches were never sent and cancelling would keep them from ever leaving.
 */
cancel: boolean, 
/**
 * Something is left to do, by resuming or by deciding about batches whose outcome is
 * unknown first: what "unfinished" means wherever the app offers to continue (when no
 * other process holds the campaign). A `running` campaign nobody holds is one a crash
 * left behind, so it counts.
 */
unfinished: boolean, };

export type CampaignActionsRow = { state: CampaignState, awaitingDecision: boolean, actions: CampaignActions, };

export type SheetOverview = { fileName: string, sheets: Array<SheetInfo>, preview: SheetPreview, 
/**
 * Which sheet was read and why, and whether it has a usable phone column: without
 * one the Import step must not go on silently (the preview's notices say so too).
 * Always present in answers; optional for the UI's fixtures.
 */
choice?: SheetChoice, };

export type MappingProposal = { columns: Array<ColumnInfo>, suggestion: MappingSuggestion, };

export type MappingChoice = { 
/**
 * 1-based header row.
 */
headerRow: number, mapping: ColumnMapping, allowEmptyVariables: boolean, };

export type PlanPreview = { people: number, batches: number, skippedRows: number, 
/**
 * The exact `BatchRobotSmartCall` parameters of batch 1 (no credentials: those are
 * added when signing).
 */
firstBatch: Array<WireParam>, endpoint: string, demo: boolean, };

export type WireParam = { name: string, value: string, };

export type CampaignError = { campaignId: number, error: UserError, };

export type ResultsOverview = { campaign: CampaignSummary, counts: Array<OutcomeCount>, variableNames: Array<string>, people: number, pending: number, lastFetchedAtMs: number | null, hangupNote: Localized, 
/**
 * The campaign's saved recordings on disk.
 */
recordings: RecordingsUsage, 
/**
 * Recordings are being saved in the background now.
 */
archiving: boolean, 
/**
 * People taken out before sending: put on the do-not-call list after the campaign was
 * created, so never called.
 */
withheld: number, };

export type ResultsPage = { 
/**
 * People matching the filter.
 */
total: number, offset: number, people: Array<PersonResult>, };

export type PersonResult = { campaignId: number, 
/**
 * 0-based batch index.
 */
batchIndex: number, 
/**
 * 0-based position in the batch's numbers.
 */
position: number, taskId: string | null, number: string, 
/**
 * 1-based row of the imported sheet.
 */
sourceRow: number | null, 
/**
 * The template variables sent for this number (from TtsParam).
 */
variables: Array<Variable>, outcome: CallOutcome, outcomeLabel: Localized, statusCode: string | null, stateDesc: string | null, durationSecs: number | null, hangupRaw: string | null, hangup: HangupReading, dialogCount: number | null, tags: Array<string>, callId: string | null, 
/**
 * As the API wrote it (China wall time, its own format). Show the `_ms` instant
 * below instead, on the one clock (China time named, the local time beside it).
 */
callTime: string | null, endedAt: string | null, 
/**
 * The call time as Unix ms, when it reads as a time.
 */
callTimeMs?: number, 
/**
 * The end time as Unix ms, when it reads as a time.
 */
endedAtMs?: number, recordUrl: string | null, recordExpiresAtMs: number | null, 
/**
 * The recording link exists and has not expired (at the time the results were loaded).
 */
recordingAvailable: boolean, source: RecordSource | null, 
/**
 * When the result was last asked for; `None` = never.
 */
fetchedAtMs: number | null, 
/**
 * What was said, turn by turn (from `dialogDetail`; empty without one).
 */
transcript: Array<DialogTurn>, 
/**
 * The archived recording, relative to the data folder; `None` until archived.
 */
recordingPath: string | null, };

export type Variable = { name: string, value: string, };

export type DialogTurn = { speaker: Speaker, 
/**
 * The role as the API wrote it.
 */
role: string, content: string, 
/**
 * When the turn started, as the API wrote it (China time).
 */
time: string | null, };

export type Speaker = "robot" | "customer" | "other";

export type OutcomeCount = { outcome: CallOutcome, label: Localized, count: number, };

export type CallOutcome = "answered" | "noAnswer" | "busy" | "rejected" | "poweredOff" | "invalidNumber" | "unreachable" | "failed" | "pending" | "notSent" | "untracked";

export type HangupReading = "robot" | "callee" | "unknown";

export type RecordSource = "callDetail" | "taskCallList";

export type RefreshReport = { campaignId: number, 
/**
 * People asked about.
 */
checked: number, 
/**
 * People whose call record was found (now or again).
 */
found: number, 
/**
 * People still without a record.
 */
stillPending: number, 
/**
 * People skipped because their result is final.
 */
skippedFinal: number, 
/**
 * People in batches that were not accepted, or marked sent without a TaskId (nothing
 * to ask).
 */
notSent: number, 
/**
 * People in tasks scheduled for later: not asked (nothing can exist yet).
 */
notDue: number, requests: number, 
/**
 * The API the run ended with.
 */
mode: QueryMode, 
/**
 * Why the task call list was given up for per-callee queries, if it was.
 */
degraded: UserError | null, 
/**
 * People whose query failed (their stored result is unchanged). At most 50 listed.
 */
failures: Array<PersonFailure>, failureCount: number, cancelled: boolean, finishedAtMs: number, };

export type PersonFailure = { batchIndex: number, number: string, error: UserError, };

export type RefreshProgress = { campaignId: number, 
/**
 * People settled so far in this run.
 */
done: number, 
/**
 * People this run asks about.
 */
total: number, 
/**
 * API requests sent so far.
 */
requests: number, 
/**
 * The API in use right now.
 */
mode: QueryMode, };

export type QueryMode = "auto" | "taskCallList" | "perCallee";

export type ArchiveReport = { archived: number, 
/**
 * Already in the archive before this run.
 */
already: number, 
/**
 * Links asked for again (expired, or missing from the task call list).
 */
renewed: number, bytes: number, failed: Array<ArchiveFailure>, };

export type ArchiveFailure = { number: string, batchIndex: number, position: number, message: Localized, };

export type RecordingsUsage = { files: number, bytes: number, };

export type DeletedRecordings = { files: number, bytes: number, 
/**
 * Files that could not be removed (still journaled as present; tried again next time).
 */
failed: number, };

export type ExpiringRecordings = { campaignId: number, taskName: string, count: number, 
/**
 * The first link to expire (Unix ms).
 */
firstExpiryMs: number, };

export type ArchiveEvent = { campaignId: number, finished: boolean, 
/**
 * Recordings tried so far, of `total` not saved when the run started.
 */
done: number, total: number, 
/**
 * What the run saved (when it finished without an error).
 */
report: ArchiveReport | null, error: UserError | null, };

export type ControlExplanation = { control: TaskControl, 
/**
 * The API action.
 */
action: string, 
/**
 * The button / dialog title.
 */
title: Localized, 
/**
 * When it can be used.
 */
appliesTo: Localized, 
/**
 * What happens to the people not called yet.
 */
effectOnUncalled: Localized, 
/**
 * Whether the task can be continued afterwards.
 */
reversible: boolean, };

export type ControlResult = { control: TaskControl, taskId: string, 
/**
 * The API confirmed the change.
 */
done: boolean, };

export type TaskControl = "cancelScheduled" | "stop" | "terminate";

export type ProfileSummary = { name: string, 
/**
 * e.g. `LTAI****abcd`.
 */
maskedAccessKeyId: string, 
/**
 * RFC 3339, UTC.
 */
createdAt: string, isDefault: boolean, 
/**
 * `v3` unless a check found that Alibaba Cloud refuses V3 for this key.
 */
signature: SignatureVersion, };

export type SignatureVersion = "v1" | "v3";

export type ProfileVerified = { 
/**
 * Robot scripts the key can see.
 */
robots: number, 
/**
 * The signature the profile uses from now on.
 */
signature: SignatureVersion, 
/**
 * Plain words when the check fell back to another signature, which the profile now
 * remembers; `None` when the first one worked.
 */
note: Localized | null, };

export type SheetInfo = { name: string, 
/**
 * Hidden or "very hidden" in Excel: usually not the one to import.
 */
hidden: boolean, };

export type SheetChoice = { sheet: string, reason: ChoiceReason, 
/**
 * A column headed like a phone column, or mostly phone numbers, with at least one
 * valid number. Without one the next step cannot go on as it is.
 */
hasPhoneColumn: boolean, 
/**
 * How many sheets were candidates (1 for a named sheet).
 */
searched: number, };

export type ChoiceReason = "named" | "onlySheet" | "active" | "hasPhones" | "noSheetHasPhones";

export type SheetPreview = { sheet: string, 
/**
 * Rows in the sheet (including the header and blank rows).
 */
totalRows: number, columns: number, 
/**
 * 1-based detected header row, if any.
 */
detectedHeaderRow: number | null, 
/**
 * The first rows as display text, each with its 1-based row number.
 */
rows: Array<PreviewRow>, notices: Array<Notice>, };

export type PreviewRow = { row: number, cells: Array<string>, };

export type Notice = { code: string, message: Localized, };

export type ColumnInfo = { 
/**
 * 0-based column index.
 */
index: number, 
/**
 * Excel's column letters (`A`, `AB`).
 */
letter: string, 
/**
 * The header text (may be empty).
 */
header: string, };

export type ColumnMapping = { phoneColumn: number, variables: Array<VariableColumn>, };

export type VariableColumn = { 
/**
 * The name in the robot script (`TtsParamHead` entry).
 */
name: string, 
/**
 * 0-based column index.
 */
column: number, };

export type MappingSuggestion = { phoneColumn: ColumnInfo | null, phoneHow: MatchKind | null, variables: Array<VariableSuggestion>, 
/**
 * The header signature a saved mapping is stored under.
 */
signature: string, };

export type VariableSuggestion = { name: string, column: ColumnInfo | null, how: MatchKind | null, };

export type MatchKind = "manual" | "saved" | "exact" | "normalized" | "alias" | "content";

export type ContactSummary = { file: string, sheet: string, 
/**
 * 1-based row number of the header.
 */
headerRow: number, phoneColumn: ColumnInfo, variables: Array<VariableInfo>, 
/**
 * Data rows below the header (blank rows not counted).
 */
rows: number, valid: number, fixed: number, invalid: number, duplicates: number, excluded: number, 
/**
 * On the do-not-call list (left out).
 */
doNotCall: number, 
/**
 * Over the per-number limits (left out).
 */
overLimit: number, 
/**
 * Valid/fixed landlines (the API may only call mobiles).
 */
landlines: number, 
/**
 * Rows with a warning that does not block them.
 */
warnings: number, 
/**
 * Completely empty rows below the header, skipped.
 */
blankRows: number, 
/**
 * Contacts that will be called: valid + fixed.
 */
sendable: number, 
/**
 * Rows the user must fix or exclude before going on: not excluded, and with a blocking
 * [`Problem`] of their own (no usable number, or a variable that is empty when that is
 * not allowed or holds control characters). A duplicate is not counted: it is left out
 * on its own and the earlier row with the same number is called.
 */
blocking: number, notices: Array<Notice>, };

export type VariableInfo = { name: string, column: ColumnInfo, };

export type ContactPage = { 
/**
 * Rows matching the filter.
 */
total: number, offset: number, rows: Array<ContactRow>, };

export type ContactRow = { 
/**
 * 1-based row number in the sheet.
 */
row: number, 
/**
 * The phone cell as it was (or the user's correction).
 */
original: string, number: string | null, status: ContactStatus, 
/**
 * Reason code of the phone number (`phone.ok`, `phone.cleaned`, …).
 */
code: string, message: Localized, duplicateOf: number | null, 
/**
 * Template variable values, in `TtsParamHead` order.
 */
values: Array<string>, problems: Array<Problem>, };

export type ContactStatus = "valid" | "fixed" | "invalid" | "duplicate" | "excluded" | "doNotCall" | "overLimit";

export type Problem = { 
/**
 * 1-based row number in the sheet, as Excel shows it.
 */
row: number, 
/**
 * Header of the column concerned.
 */
column: string, 
/**
 * The original value.
 */
value: string, code: string, message: Localized, 
/**
 * False for warnings: the row is still called.
 */
blocking: boolean, 
/**
 * For duplicates: the row that is kept.
 */
duplicateOf: number | null, };

export type TaskSettings = { 
/**
 * The robot script (`DialogId`), a string in this API.
 */
dialogId: string, 
/**
 * Purchased caller numbers (`CalledShowNumber`), 1–100.
 */
callerNumbers: Array<string>, 
/**
 * Company name (`CorpName`); required unless `is_self_line`.
 */
corpName: string | null, isSelfLine: boolean, earlyMediaAsr: boolean, 
/**
 * `ScheduleTime` in Unix milliseconds; `None` calls at once.
 */
scheduleTimeMs: number | null, 
/**
 * Base task name; batches get a ` (3/12)` suffix when there is more than one.
 */
taskName: string, };

export type RequestProblem = { 
/**
 * Stable code, e.g. `task_name.too_long`.
 */
code: string, 
/**
 * The wire name of the field, e.g. `TaskName`.
 */
field: string, message: Localized, };

export type RobotInfo = { id: string | null, robotName: string | null, robotType: string | null, auditStatus: string | null, gmtCreate: string | null, gmtModified: string | null, partnerId: string | null, asrId: string | null, asrType: string | null, remark: string | null, };

export type RobotChoice = { robot: RobotInfo, audit: RobotAudit, };

export type RobotAudit = { 
/**
 * Passed review: calls with it are accepted.
 */
callable: boolean, 
/**
 * The state, e.g. "审核中".
 */
label: Localized, 
/**
 * What the marketer does next.
 */
advice: Localized, };

export type CampaignSummary = { id: number, createdAtMs: number, updatedAtMs: number, sourceName: string, sourceSha256: string, taskName: string, dialogId: string, profile: string, endpoint: string, state: CampaignState, 
/**
 * Why it is paused or stopped.
 */
reason: UserError | null, totalNumbers: number, 
/**
 * People in batches that were accepted.
 */
sentNumbers: number, batches: BatchCounts, 
/**
 * Another process holds the campaign right now.
 */
busy: boolean, };

export type CampaignState = "ready" | "running" | "paused" | "stopped" | "cancelled" | "finished";

export type BatchCounts = { planned: number, sending: number, sent: number, rejected: number, unknown: number, cancelled: number, };

export type BatchOverview = { campaignId: number, 
/**
 * 0-based position in the campaign.
 */
index: number, taskName: string, 
/**
 * How many people the batch calls.
 */
people: number, state: BatchState, attempts: number, 
/**
 * A rejected batch that may be sent again once the cause is fixed.
 */
retryable: boolean, taskId: string | null, errorCode: string | null, 
/**
 * For `rejected` and `unknown`: what happened and what to do.
 */
problem: UserError | null, 
/**
 * How an `unknown` batch was settled: `resent` or `marked-sent`.
 */
decision: string | null, updatedAtMs: number, };

export type BatchState = "planned" | "sending" | "sent" | "rejected" | "unknown" | "cancelled";

export type UnknownDecision = "resend" | "markSent";

export type ResumeNeeds = { 
/**
 * The campaign's ScheduleTime, when it has passed and batches are still to be sent.
 */
schedulePassedAt: number | null, 
/**
 * The smaller batch size to offer, when the server refused a batch as too large.
 */
suggestedBatchSize: number | null, 
/**
 * Batches not sent yet, the people in them, and the largest of those batches.
 */
unsentBatches: number, unsentPeople: number, largestUnsent: number, };

export type ResumeChoices = { unknown: UnknownDecision | null, 
/**
 * A new time for the batches not sent yet.
 */
reschedule: Reschedule | null, 
/**
 * Re-split the batches not sent yet to at most this many numbers each.
 */
batchSize: number | null, };

export type Reschedule = { "kind": "now" } | { "kind": "at", ms: number, };

export type EngineEvent = { "type": "started" } & Progress | { "type": "batch" } & BatchUpdate | { "type": "retrying" } & RetryNotice | { "type": "progress" } & Progress | { "type": "campaign" } & CampaignUpdate;

export type BatchUpdate = { campaignId: number, index: number, state: BatchState, attempt: number, numberCount: number, taskId: string | null, errorCode: string | null, 
/**
 * For `rejected` and `unknown`: what happened and what to do.
 */
problem: UserError | null, };

export type RetryNotice = { campaignId: number, index: number, 
/**
 * The attempt that failed.
 */
attempt: number, delayMs: number, code: string, 
/**
 * Why: the front ends word a throttled request differently from a failure.
 */
kind: RetryKind, };

export type RetryKind = "throttled" | "failed";

export type Progress = { campaignId: number, counts: BatchCounts, sentNumbers: number, totalNumbers: number, 
/**
 * Seconds until every planned batch has left, at the current pace; `None` until the
 * first batch finished.
 */
etaSeconds: number | null, };

export type CampaignUpdate = { campaignId: number, state: CampaignState, reason: UserError | null, };

export type Lang = "zh-CN" | "en";

export type Localized = { zhCn: string, en: string, };

export type ErrorCode =
  | "internal"
  | "app.open_browser_failed"
  | "app.open_folder_failed"
  | "demo.start_failed"
  | "export.write_failed"
  | "mappings.unreadable"
  | "variable.bad_name"
  | "variable.exists"
  | "template.exists"
  | "templates.bad_name"
  | "templates.corrupt"
  | "templates.unwritable"
  | "status.need_callee"
  | "batch.sent_without_task_id"
  | "campaign.batch_not_found"
  | "campaign.batch_not_sendable"
  | "campaign.busy"
  | "campaign.callee_limit"
  | "campaign.called_meanwhile"
  | "campaign.cancelled"
  | "campaign.interrupted"
  | "campaign.lease_lost"
  | "campaign.not_found"
  | "campaign.not_running"
  | "campaign.nothing_to_cancel"
  | "campaign.nothing_to_resume"
  | "campaign.withheld"
  | "campaign.outside_calling_hours"
  | "campaign.paused_unexplained"
  | "campaign.paused_by_user"
  | "campaign.schedule_passed"
  | "campaign.waiting_for_hours"
  | "cli.bad_concurrency"
  | "cli.bad_param"
  | "cli.bad_qps"
  | "cli.bad_schedule"
  | "cli.bad_variable"
  | "cli.confirmation_needed"
  | "cli.not_confirmed"
  | "client.setup"
  | "endpoint.invalid"
  | "network.unreachable"
  | "network.timeout"
  | "network.timeout.outcome_unknown"
  | "network.connection_lost"
  | "network.connection_lost.outcome_unknown"
  | "response.unreadable"
  | "response.unreadable.outcome_unknown"
  | "response.unexpected"
  | "request.invalid"
  | "request.too_large"
  | "journal.failed"
  | "journal.interrupted"
  | "journal.open_failed"
  | "journal.too_new"
  | "keychain.error"
  | "keychain.locked"
  | "keychain.mock_backend"
  | "keychain.unavailable"
  | "plan.batch_size_invalid"
  | "plan.caller_number_invalid"
  | "plan.caller_numbers_missing"
  | "plan.contact_too_long"
  | "plan.corp_name_missing"
  | "plan.corrupt"
  | "plan.dialog_id_missing"
  | "plan.no_contacts"
  | "plan.schedule_in_past"
  | "plan.task_name_invalid"
  | "plan.task_name_missing"
  | "plan.too_many_caller_numbers"
  | "profile.corrupt"
  | "profile.empty_secret"
  | "profile.incomplete_env"
  | "profile.invalid_access_key_id"
  | "profile.invalid_name"
  | "profile.io"
  | "profile.none"
  | "profile.not_found"
  | "profile.secret_missing"
  | "profile.secret_unreadable"
  | "recall.outcome_not_allowed"
  | "recall.nobody"
  | "results.cancelled"
  | "results.journal"
  | "results.no_campaign"
  | "results.not_sent"
  | "results.open_failed"
  | "results.recording_unavailable"
  | "results.refreshing"
  | "settings.bad_value"
  | "settings.batch_size"
  | "settings.concurrency"
  | "settings.corrupt"
  | "settings.endpoint"
  | "settings.qps"
  | "settings.recording_keep_days"
  | "settings.unreadable"
  | "settings.unknown_key"
  | "settings.unwritable"
  | "sheet.cancelled"
  | "sheet.corrupt"
  | "sheet.empty_file"
  | "sheet.empty_sheet"
  | "sheet.encoding"
  | "sheet.encrypted"
  | "sheet.header_only"
  | "sheet.header_row_out_of_range"
  | "sheet.io"
  | "sheet.locked"
  | "sheet.no_sheets"
  | "sheet.no_such_row"
  | "sheet.not_a_spreadsheet"
  | "sheet.not_found"
  | "sheet.not_imported"
  | "sheet.not_mapped"
  | "sheet.phone_column_not_found"
  | "sheet.sheet_not_found"
  | "sheet.too_large"
  | "sheet.unreadable"
  | "sheet.variable_column_not_found"
  | "simulator.bad_batch_answer"
  | "simulator.bind_failed"
  | "simulator.start_failed"
  | "update.busy_sending"
  | "update.check_failed"
  | "update.install_failed"
  | "update.none"
  | "task_control.invalid_task_id"
  | "task_control.refused"
  | "task_control.unsupported"
  | `aliyun.${string}`
  | `request.${string}`;

export type UserError = { code: ErrorCode, message: Localized, hint: Localized, };

export type RamPolicy = { 
/**
 * Suggested name for the custom policy in the RAM console.
 */
name: string, 
/**
 * The policy document, pretty-printed JSON, ready to paste.
 */
document: string, 
/**
 * `dyvms:…` permissions it allows, in the order of the document.
 */
permissions: Array<string>, 
/**
 * The RAM console's user list (create the RAM user, grant it the policy).
 */
usersUrl: string, 
/**
 * The RAM console's policy list (create the custom policy).
 */
policiesUrl: string, };

export type RamConsolePage = "users" | "policies";

export type UpdateInfo = { version: string, currentVersion: string, 
/**
 * Release notes from the manifest, as written there (plain text or Markdown).
 */
notes: string | null, 
/**
 * Publication date, RFC 3339, when the manifest gives one.
 */
date: string | null, };

export const commands = {
  appInfo: () => invoke<AppInfo>("app_info"),
  uiReady: () => invoke<number>("ui_ready"),
  formLimits: () => invoke<FormLimits>("form_limits"),
  openLogFolder: () => invoke<null>("open_log_folder"),
  getSettings: () => invoke<Settings>("get_settings"),
  saveSettings: (settings: Settings) => invoke<Settings>("save_settings", { settings }),
  startDemo: () => invoke<DemoStatus>("start_demo"),
  stopDemo: () => invoke<DemoStatus>("stop_demo"),
  demoStatus: () => invoke<DemoStatus>("demo_status"),
  listProfiles: () => invoke<Array<ProfileSummary>>("list_profiles"),
  addProfile: (name: string, accessKeyId: string, accessKeySecret: string) => invoke<ProfileSummary>("add_profile", { name, accessKeyId, accessKeySecret }),
  verifyProfile: (name: string) => invoke<ProfileVerified>("verify_profile", { name }),
  removeProfile: (name: string) => invoke<Array<ProfileSummary>>("remove_profile", { name }),
  setDefaultProfile: (name: string) => invoke<Array<ProfileSummary>>("set_default_profile", { name }),
  openSheet: (path: string) => invoke<SheetOverview>("open_sheet", { path }),
  selectSheet: (sheet: string) => invoke<SheetOverview>("select_sheet", { sheet }),
  cancelSheetRead: () => invoke<null>("cancel_sheet_read"),
  proposeMapping: (headerRow: number, variables: Array<string>) => invoke<MappingProposal>("propose_mapping", { headerRow, variables }),
  checkVariable: (name: string, existing: Array<string>) => invoke<string>("check_variable", { name, existing }),
  applyMapping: (choice: MappingChoice) => invoke<ContactSummary>("apply_mapping", { choice }),
  contactSummary: () => invoke<ContactSummary>("contact_summary"),
  contactPage: (offset: number, limit: number, onlyProblems: boolean) => invoke<ContactPage>("contact_page", { offset, limit, onlyProblems }),
  fixNumber: (row: number, text: string) => invoke<ContactSummary>("fix_number", { row, text }),
  excludeRow: (row: number, excluded: boolean) => invoke<ContactSummary>("exclude_row", { row, excluded }),
  excludeBlockingRows: () => invoke<ContactSummary>("exclude_blocking_rows"),
  exportProblems: (path: string) => invoke<number>("export_problems", { path }),
  saveTemplate: (path: string) => invoke<null>("save_template", { path }),
  validateTask: (task: TaskSettings) => invoke<Array<RequestProblem>>("validate_task", { task }),
  listRobots: () => invoke<Array<RobotChoice>>("list_robots"),
  previewPlan: (task: TaskSettings) => invoke<PlanPreview>("preview_plan", { task }),
  startCampaign: (task: TaskSettings) => invoke<CampaignSummary>("start_campaign", { task }),
  pauseCampaign: (id: number) => invoke<null>("pause_campaign", { id }),
  cancelCampaign: (id: number) => invoke<null>("cancel_campaign", { id }),
  resumeNeeds: (id: number) => invoke<ResumeNeeds>("resume_needs", { id }),
  resumeCampaign: (id: number, choices: ResumeChoices | null) => invoke<null>("resume_campaign", { id, choices }),
  cancelUnsent: (id: number) => invoke<CampaignSummary>("cancel_unsent", { id }),
  decideUnknown: (id: number, index: number | null, resend: boolean) => invoke<number>("decide_unknown", { id, index, resend }),
  listCampaigns: () => invoke<Array<CampaignSummary>>("list_campaigns"),
  campaignBatches: (id: number) => invoke<Array<BatchOverview>>("campaign_batches", { id }),
  unfinishedCampaign: () => invoke<CampaignSummary | null>("unfinished_campaign"),
  sendingNow: () => invoke<boolean>("sending_now"),
  resultsOverview: (id: number) => invoke<ResultsOverview>("results_overview", { id }),
  resultsPage: (id: number, offset: number, limit: number, outcome: CallOutcome | null, search: string | null) => invoke<ResultsPage>("results_page", { id, offset, limit, outcome, search }),
  refreshResults: (id: number) => invoke<RefreshReport>("refresh_results", { id }),
  cancelRefresh: (id: number) => invoke<null>("cancel_refresh", { id }),
  exportResults: (id: number, path: string) => invoke<number>("export_results", { id, path }),
  explainTaskControl: (control: TaskControl) => invoke<ControlExplanation>("explain_task_control", { control }),
  controlCampaignTask: (control: TaskControl, taskId: string) => invoke<ControlResult>("control_campaign_task", { control, taskId }),
  openRecording: (id: number, batchIndex: number, position: number) => invoke<null>("open_recording", { id, batchIndex, position }),
  archiveCampaignRecordings: (id: number) => invoke<boolean>("archive_campaign_recordings", { id }),
  archivingRecordings: (id: number) => invoke<boolean>("archiving_recordings", { id }),
  recordingsUsage: (id: number | null) => invoke<RecordingsUsage>("recordings_usage", { id }),
  deleteCampaignRecordings: (id: number) => invoke<DeletedRecordings>("delete_campaign_recordings", { id }),
  expiringRecordings: () => invoke<Array<ExpiringRecordings>>("expiring_recordings"),
  openRecordingsFolder: (id: number) => invoke<null>("open_recordings_folder", { id }),
  dncList: (search: string | null, offset: number, limit: number) => invoke<DncPage>("dnc_list", { search, offset, limit }),
  dncAdd: (numbers: Array<string>, reason: string | null, fromResults: boolean) => invoke<DncChange>("dnc_add", { numbers, reason, fromResults }),
  dncRemove: (numbers: Array<string>) => invoke<DncChange>("dnc_remove", { numbers }),
  dncImport: (path: string, reason: string | null) => invoke<DncChange>("dnc_import", { path, reason }),
  dncExport: (path: string) => invoke<number>("dnc_export", { path }),
  recallOptions: (id: number) => invoke<RecallOptions>("recall_options", { id }),
  prepareRecall: (id: number, outcomes: Array<CallOutcome>) => invoke<RecallPrepared>("prepare_recall", { id, outcomes }),
  taskTemplates: () => invoke<TaskTemplates>("task_templates"),
  saveTaskTemplate: (name: string, template: TaskTemplate) => invoke<TaskTemplates>("save_task_template", { name, template }),
  removeTaskTemplate: (name: string) => invoke<TaskTemplates>("remove_task_template", { name }),
  ramPolicy: () => invoke<RamPolicy>("ram_policy"),
  openRamConsole: (page: RamConsolePage) => invoke<null>("open_ram_console", { page }),
  checkUpdate: () => invoke<UpdateInfo | null>("check_update"),
  checkUpdateAtStart: () => invoke<UpdateInfo | null>("check_update_at_start"),
  installUpdate: () => invoke<null>("install_update"),
};

/** Tauri events the Rust side emits, by their wire names. */
export const events = {
  campaign: "campaign-event",
  campaignError: "campaign-error",
  resultsProgress: "results-progress",
  recordingsArchive: "recordings-archive",
} as const;

/** The payload each event carries. */
export interface EventPayloads {
  campaign: EngineEvent;
  campaignError: CampaignError;
  resultsProgress: RefreshProgress;
  recordingsArchive: ArchiveEvent;
}

/** Listens to one event with its payload typed; resolves to the function that stops listening. */
export function onEvent<K extends keyof EventPayloads>(
  event: K,
  handler: (payload: EventPayloads[K]) => void,
): Promise<UnlistenFn> {
  return listen<EventPayloads[K]>(events[event], (e) => handler(e.payload));
}
