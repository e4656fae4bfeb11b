//! The one way `check`, `submit` and `recall` screen a contact list: the do-not-call list
//! and the per-number limits from the journal, with the rules of the settings file.

use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::compliance::rules::CallingRules;
use smartdial_core::compliance::screen::screen_contacts;
use smartdial_core::error_code::ErrorCode;
use smartdial_core::settings::Settings;
use smartdial_core::sheet::contacts::ContactSummary;
use smartdial_core::sheet::ContactList;
use smartdial_core::text::{Localized, UserError};

use crate::commands::sending;
use crate::context::Context;

/// The calling rules of the settings file.
pub fn rules(ctx: &Context) -> Result<CallingRules, UserError> {
    Ok(Settings::load(&ctx.paths.settings_file())?.calling)
}

/// Leaves out the listed and over-limit people; without a journal yet nobody is either.
pub fn screen(ctx: &Context, list: &mut ContactList) -> Result<(), UserError> {
    if !ctx.paths.journal_file().exists() {
        return Ok(());
    }
    let rules = rules(ctx)?;
    let journal = sending::open_journal(ctx)?;
    screen_contacts(&journal, list, &rules, SystemClock.now_ms())?;
    Ok(())
}

/// When the plan found nobody to call because the rules left everyone out, says so: "no
/// contacts" alone would send the marketer looking for a problem in the sheet.
pub fn explain_nobody_left(err: UserError, screened: &ContactSummary) -> UserError {
    let stopped = screened.do_not_call + screened.over_limit;
    if err.code != ErrorCode::PlanNoContacts || stopped == 0 {
        return err;
    }
    UserError::new(
        err.code,
        Localized::new(
            format!(
                "没有可以拨打的人：{} 人在免打扰名单中，{} 人已达到每个号码的拨打上限。",
                screened.do_not_call, screened.over_limit
            ),
            format!(
                "Nobody left to call: {} are on the do-not-call list, {} have reached the per-number limits.",
                screened.do_not_call, screened.over_limit
            ),
        ),
        Localized::new(
            "用 `smartdial check` 查看每个人被排除的原因；拨打上限可以用 `smartdial settings` 调整。",
            "Run `smartdial check` to see why each person is left out; the limits can be changed with `smartdial settings`.",
        ),
    )
}
