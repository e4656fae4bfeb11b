import type { Messages } from "./zh-CN";

const en: Messages = {
  app: {
    title: "SmartDial",
    subtitle: "Robot outbound calls",
    language: "Language",
    about: "About",
  },
  steps: {
    import: "Import",
    map: "Map",
    review: "Review",
    settings: "Task settings",
    send: "Send",
    results: "Results",
  },
  stepHelp: {
    import: "Choose or drop a contact sheet (.xlsx / .xls / .ods / .csv).",
    map: "Pick the phone number column and map the script's variables to columns.",
    review: "Check invalid and duplicate numbers before going on.",
    settings: "Fill in the robot, caller numbers, company name, task name and schedule.",
    send: "Confirm, then the tasks are submitted in batches; pause or cancel at any time.",
    results: "See what happened to each task and call, and export a report.",
  },
  about: {
    title: "About SmartDial",
    version: "Version",
    dataDir: "Data folder",
    logDir: "Log folder",
    os: "Operating system",
    loading: "Loading…",
    close: "Close",
  },
  errors: {
    unexpected: "Something unexpected went wrong",
    unexpectedHint:
      "Please try again; if it keeps happening, send the files in the log folder to support.",
  },
};

export default en;
