// Generated from the Rust IPC types by `cargo test -p smartdial-desktop --lib bindings`
// (UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.

import { invoke } from "@tauri-apps/api/core";

export type AppInfo = { version: string, dataDir: string, logDir: string, os: string, };

export type Lang = "zh-CN" | "en";

export type Localized = { zhCn: string, en: string, };

export type UserError = { code: string, message: Localized, hint: Localized, };

export const commands = {
  appInfo: () => invoke<AppInfo>("app_info"),
};
