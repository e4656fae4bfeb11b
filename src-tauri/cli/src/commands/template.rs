//! `smartdial template OUT.xlsx`: write the contact-sheet template (手机号 as text plus two
//! example variable columns).

use std::path::PathBuf;
use std::process::ExitCode;

use smartdial_core::sheet::export::write_template;
use smartdial_core::text::{Localized, UserError};

use crate::context::Context;
use crate::output::fail;
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// Where to write the template (.xlsx).
    out: PathBuf,
    /// Replace the file if it exists.
    #[arg(long)]
    force: bool,
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    if args.out.exists() && !args.force {
        let e = UserError::new(
            ErrorCode::TemplateExists,
            Localized::new(
                format!("文件“{}”已存在", args.out.display()),
                format!("{} already exists", args.out.display()),
            ),
            Localized::new(
                "换一个文件名，或加 --force 覆盖",
                "Choose another name, or add --force to replace it",
            ),
        );
        return fail(ctx.lang, false, &e);
    }
    if let Err(e) = write_template(&args.out) {
        return fail(ctx.lang, false, &e.to_user_error());
    }
    let written = Localized::new(
        format!("已写入模板：{}", args.out.display()),
        format!("Template written: {}", args.out.display()),
    );
    println!("{}", written.get(ctx.lang));
    ExitCode::SUCCESS
}
