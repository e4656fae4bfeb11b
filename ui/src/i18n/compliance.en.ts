import type { Messages } from "./zh-CN";

/** Calling rules, the do-not-call list, recalls and task templates. */
export const complianceEn: Pick<
  Messages,
  "calling" | "dnc" | "recall" | "resultsDnc" | "templates"
> = {
  calling: {
    title: "Calling rules",
    intro:
      "All times are China time (where the calls happen), whatever this computer's time zone. The rules apply to all campaigns and robots together.",
    days: "Calling days",
    daysRequired: "Choose at least one day",
    day: { d1: "Mon", d2: "Tue", d3: "Wed", d4: "Thu", d5: "Fri", d6: "Sat", d7: "Sun" },
    ranges: "Calling hours (China time)",
    rangesHelp:
      "For example 09:00–12:00 and 14:00–21:00; 00:00–24:00 means all day. No call goes out outside them: a campaign sent now waits for the next window.",
    rangeStart: "Start of window {{n}}",
    rangeEnd: "End of window {{n}}",
    badClock: "Write hours:minutes, e.g. 09:00",
    addRange: "Add a window",
    removeRange: "Remove this window",
    maxAnswered: "Answered calls per number in 24 hours, at most",
    maxAnsweredHelp:
      "A call whose result is not known yet counts as answered until a results refresh says otherwise.",
    maxAttempts: "Calls per number in 24 hours, at most",
    maxAttemptsHelp: "Answered or not, across all campaigns and robots.",
    stopMargin: "Stop submitting before a window ends (minutes)",
    stopMarginHelp:
      "No new batch starts this many minutes before the window closes; the rest continues in the next window.",
  },
  dnc: {
    title: "Do-not-call list",
    nav: "Do-not-call list",
    intro:
      "Numbers on this list are never called: the review lists them apart and leaves them out, and only removing a number allows calling it again. The list stays on this computer.",
    searchPlaceholder: "Search numbers or reasons",
    add: "Add numbers",
    addTitle: "Add to the do-not-call list",
    addOk: "Add",
    numbers: "Numbers",
    numbersHelp: "One per line, or separated by commas; +86, spaces and dashes are removed.",
    numbersRequired: "Enter at least one number",
    reason: "Reason (optional)",
    reasonHelp: "For example “asked not to be called”; the review shows it.",
    remove: "Remove selected ({{count}})",
    removeTitle: "Remove {{count}} number(s) from the do-not-call list?",
    removeContent: "Once removed, these numbers are called as usual in later campaigns.",
    removeOk: "Remove",
    import: "Import a sheet",
    export: "Export Excel",
    exportFile: "do-not-call.xlsx",
    exported: "Exported {{count}} numbers to {{path}}",
    added: "{{changed}} number(s) added, {{unchanged}} already on the list.",
    removed: "{{changed}} number(s) removed, {{unchanged}} were not on the list.",
    someNotNumbers: "Some entries are not phone numbers and were not added",
    notNumbers: "{{count}} entries are not phone numbers and were not added:",
    notNumbersMore: "{{count}} more not shown.",
    total: "{{count}} numbers",
    empty: "The list is empty",
    noMatch: "No number matches the search",
    col: { number: "Number", reason: "Reason", added: "Added (China time)", source: "Source" },
    source: { manual: "Added by hand", import: "Sheet import", results: "Call results" },
  },
  recall: {
    button: "Call the people not reached again",
    title: "Call again the people “{{name}}” did not reach",
    intro:
      "Choose which outcomes to call again. This makes a new campaign with the variables they were sent and the original task settings (editable in the next steps); it goes through the same review, do-not-call list, limits and calling hours.",
    ok: "Next: review {{count}} people",
    rejectedNote: "(may also be the person declining; off by default)",
    neverTitle: "These people are never recalled:",
    never: {
      answered: "already answered",
      invalidNumber: "vacant or suspended number: calling again cannot reach it",
      pending: "no result yet: refresh the results later",
      notSent: "not sent yet: resume the original campaign under Send",
      untracked: "no result recorded",
      other: "not worth calling again",
    },
    screenNote: "People on the do-not-call list or over their limits are left out in the review.",
    refreshed: "The results were refreshed first; these are the latest counts.",
    stillStale:
      "The results were refreshed, but some people have no result yet; they are not recalled this time.",
    reviewTitle: "Recall: the people “{{name}}” did not reach",
    reviewHint:
      "These people come from the original campaign's results, with the variables sent last time. Confirm the task settings in the next step.",
  },
  resultsDnc: {
    button: "Add to do-not-call ({{count}})",
    clearSelection: "Clear selection",
    title: "Add {{count}} number(s) to the do-not-call list?",
    intro:
      "Once listed, these numbers are never called again by any campaign until removed from the list.",
    reasonPlaceholder: "Reason (optional), e.g. asked not to be called",
    ok: "Add to do-not-call",
  },
  templates: {
    label: "Start from",
    pick: "The last settings or a saved template",
    none: "No template saved yet",
    lastUsed: "Last used settings",
    saveAs: "Save as template",
    saveTitle: "Save these settings as a template",
    saveHelp:
      "A template keeps the robot, caller numbers, company name and options; the task name and time are set per campaign. A template with the same name is replaced.",
    namePlaceholder: "Template name, e.g. “Payment reminder”",
    saved: "Template “{{name}}” saved",
    remove: "Delete template",
    removeConfirm: "Delete template “{{name}}”?",
  },
};
