import type { Messages } from "./zh-CN";

/** The AccessKey guide and app updates. */
export const setupEn: Pick<Messages, "keyGuide" | "updates"> = {
  keyGuide: {
    open: "How to get an AccessKey?",
    openLong: "See how to get an AccessKey",
    title: "How to get an AccessKey",
    intro:
      "Create a RAM user (a sub-account) just for SmartDial and give it only the permissions calls need. Never use your main Alibaba Cloud account's AccessKey: it can do anything in the account, and a leak could not be contained.",
    step1Title: "Create a RAM user",
    step1:
      'Sign in to the RAM console with the main account (or one allowed to manage RAM), open Identities > Users and click Create User. Use a logon name such as smartdial and tick "Using permanent AccessKey to access" (OpenAPI access).',
    step2Title: "Create the permission policy",
    step2:
      "Open Permissions > Policies, click Create Policy, choose the JSON tab and paste the whole text below. Name it {{name}}. It allows only the {{count}} Voice Service APIs SmartDial uses, nothing else.",
    step3Title: "Grant it to the user",
    step3:
      "Back in the Users list, click Add Permissions on the new user's row, pick {{name}} under Custom Policy and confirm.",
    step4Title: "Enter the AccessKey in SmartDial",
    step4:
      "After creating the user, the console shows the AccessKey ID and AccessKey Secret. The secret is shown only once: enter both in SmartDial's form right away and click Save and verify. The key is kept only in this computer's system keychain.",
    openUsers: "Open the RAM console's Users page",
    openPolicies: "Open the RAM console's Policies page",
    copy: "Copy the policy",
    copied: "Policy copied",
    permissions: "APIs this policy allows",
    loading: "Preparing the policy…",
    permissionHelp:
      'This is a missing permission: follow steps 2 and 3 of "How to get an AccessKey" to give this RAM user SmartDial\'s policy, then verify again.',
    close: "Got it",
  },
  updates: {
    foundTitle: "New version {{version}} available",
    current: "You have version {{version}}",
    notes: "What's new",
    noNotes: "This version comes without release notes.",
    install: "Install now",
    later: "Later",
    installing: "Downloading and installing…",
    installHint: "The app restarts to install. It cannot install while a campaign is sending.",
    settingsTitle: "Updates",
    checkAtStart: "Check for updates at start",
    checkAtStartHelp:
      "Only looks whether a new version is published; it always asks before installing.",
    check: "Check for updates",
    upToDate: "You have the newest version ({{version}})",
    found: "New version {{version}} available",
    show: "Show",
  },
};
