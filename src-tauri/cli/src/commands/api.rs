//! `smartdial api <Action> --param Key=Value ...`: one signed call, like the official
//! `aliyun` CLI. Prints the JSON reply on stdout; exit status 0 only for `Code: OK`.

use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Duration;

use smartdial_core::aliyun::{CallError, Client};
use smartdial_core::text::{Localized, UserError};

use crate::commands::profile::{client_config, resolve_credentials, signature_for};
use crate::context::Context;
use crate::output::{fail, print_json};
use smartdial_core::error_code::ErrorCode;

#[derive(Debug, clap::Args)]
pub struct Args {
    /// The API action, e.g. QueryRobotInfoList (case-sensitive).
    action: String,
    /// A request parameter as Key=Value; repeat for more. The value may contain `=`.
    #[arg(long = "param", short = 'p', value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Seconds to wait for the reply once the request is sent.
    #[arg(long, default_value_t = 30)]
    timeout: u64,
    /// Print failures as JSON on stdout too.
    #[arg(long)]
    json: bool,
}

fn parse_params(raw: &[String]) -> Result<BTreeMap<String, String>, UserError> {
    let mut params = BTreeMap::new();
    for item in raw {
        match item.split_once('=') {
            Some((key, value)) if !key.trim().is_empty() => {
                params.insert(key.trim().to_owned(), value.to_owned());
            }
            _ => {
                return Err(UserError::new(
                    ErrorCode::CliBadParam,
                    Localized::new(
                        format!("参数“{item}”应写成 Key=Value。"),
                        format!("The parameter \"{item}\" must look like Key=Value."),
                    ),
                    Localized::new(
                        "例如:--param AuditStatus=AUDITPASS",
                        "For example: --param AuditStatus=AUDITPASS",
                    ),
                ))
            }
        }
    }
    Ok(params)
}

pub fn run(ctx: &Context, args: Args) -> ExitCode {
    let params = match parse_params(&args.params) {
        Ok(p) => p,
        Err(e) => return fail(ctx.lang, args.json, &e),
    };
    let (source, credentials) = match resolve_credentials(ctx, None) {
        Ok(found) => found,
        Err(e) => return fail(ctx.lang, args.json, &e),
    };
    let signature = match signature_for(ctx, &source) {
        Ok(s) => s,
        Err(e) => return fail(ctx.lang, args.json, &e),
    };
    let mut config = client_config(ctx, signature);
    config.read_timeout = Duration::from_secs(args.timeout.max(1));
    let client = match Client::new(config, credentials) {
        Ok(c) => c,
        Err(e) => return fail(ctx.lang, args.json, &e.to_user_error()),
    };
    let runtime = match tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
    {
        Ok(rt) => rt,
        Err(e) => {
            return fail(
                ctx.lang,
                args.json,
                &UserError::new(
                    ErrorCode::Internal,
                    Localized::new("内部错误。", format!("Internal error: {e}")),
                    Localized::new("", ""),
                ),
            )
        }
    };
    match runtime.block_on(client.call(&args.action, params)) {
        Ok(reply) => print_json(&reply.body),
        Err(error) => {
            if let (CallError::Api(api), false) = (&error, args.json) {
                // The error reply itself, as the official CLI prints it.
                let _ = print_json(&serde_json::json!({
                    "Code": api.code,
                    "Message": api.message,
                    "RequestId": api.request_id,
                }));
            }
            fail(ctx.lang, args.json, &error.to_user_error())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn params_split_at_the_first_equals_sign() {
        let p = parse_params(&["A=1=2".into(), "B=".into()]).unwrap();
        assert_eq!(p["A"], "1=2");
        assert_eq!(p["B"], "");
        assert_eq!(
            parse_params(&["=x".into()]).unwrap_err().code,
            "cli.bad_param"
        );
        assert_eq!(
            parse_params(&["novalue".into()]).unwrap_err().code,
            "cli.bad_param"
        );
    }
}
