//! The first-run guide "How to get an AccessKey": the least-privilege RAM policy, generated
//! by the core from the actions its client calls, and the RAM console pages it links to.

use serde::Deserialize;
use smartdial_core::aliyun::ram::{self, RamPolicy};
use smartdial_core::error_code::ErrorCode;
use smartdial_core::text::{Localized, UserError};
use tauri::AppHandle;
use tauri_plugin_opener::OpenerExt;

#[tauri::command]
pub fn ram_policy() -> RamPolicy {
    ram::ram_policy()
}

/// A RAM console page. The window names a page, never a URL, so it cannot open arbitrary
/// addresses in the browser.
#[derive(Debug, Clone, Copy, Deserialize, ts_rs::TS)]
#[serde(rename_all = "camelCase")]
pub enum RamConsolePage {
    Users,
    Policies,
}

/// Opens a RAM console page in the system browser.
#[tauri::command]
pub fn open_ram_console(app: AppHandle, page: RamConsolePage) -> Result<(), UserError> {
    let url = match page {
        RamConsolePage::Users => ram::RAM_CONSOLE_USERS,
        RamConsolePage::Policies => ram::RAM_CONSOLE_POLICIES,
    };
    app.opener().open_url(url, None::<&str>).map_err(|err| {
        tracing::warn!(%err, "could not open the browser");
        UserError::new(
            ErrorCode::AppOpenBrowserFailed,
            Localized::new(
                format!("无法打开浏览器:{url}"),
                format!("The browser could not be opened: {url}"),
            ),
            Localized::new(
                "请复制这个网址,粘贴到浏览器的地址栏中打开。",
                "Copy the address and paste it into your browser.",
            ),
        )
    })
}
