//! The one way `check`, `submit` and `recall` screen a contact list: the do-not-call list
//! and the per-number limits from the journal, with the rules of the settings file.

use smartdial_core::campaign::model::{SystemClock, WallClock};
use smartdial_core::compliance::rules::CallingRules;
use smartdial_core::compliance::screen::screen_contacts;
use smartdial_core::settings::Settings;
use smartdial_core::sheet::ContactList;
use smartdial_core::text::UserError;

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
