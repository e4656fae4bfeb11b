//! What every command shares: the data folder, the endpoint, the language.

use clap::Args;
use smartdial_core::aliyun::SignatureVersion;
use smartdial_core::paths::AppPaths;
use smartdial_core::text::{Lang, UserError};

#[derive(Debug, Clone, Args)]
pub struct GlobalArgs {
    /// The dyvms endpoint; the simulator's address in demo mode and tests.
    #[arg(long, global = true, env = "SMARTDIAL_ENDPOINT")]
    pub endpoint: Option<String>,
    /// The AccessKey profile to sign with (see `smartdial profile list`).
    #[arg(long, global = true, env = "SMARTDIAL_PROFILE")]
    pub profile: Option<String>,
    /// Language of messages: zh-CN or en (default: from LANG).
    #[arg(long, global = true, env = "SMARTDIAL_LANG")]
    pub lang: Option<String>,
    /// The request signature: v3 (ACS3-HMAC-SHA256, the default) or v1 (HMAC-SHA1). Without
    /// it, a profile's remembered choice is used.
    #[arg(long, global = true, env = "SMARTDIAL_SIGNATURE")]
    pub signature: Option<String>,
    /// Log detail on stderr: error, warn, info, debug or trace.
    #[arg(long, global = true, env = "SMARTDIAL_LOG", default_value = "warn")]
    pub log: String,
}

/// The resolved global settings a command runs with.
#[derive(Debug, Clone)]
pub struct Context {
    pub global: GlobalArgs,
    pub paths: AppPaths,
    pub lang: Lang,
}

impl Context {
    pub fn new(global: GlobalArgs) -> Self {
        let lang = match &global.lang {
            Some(tag) => Lang::from_locale(tag),
            None => std::env::var("LC_ALL")
                .or_else(|_| std::env::var("LANG"))
                .map(|tag| Lang::from_locale(&tag))
                .unwrap_or_default(),
        };
        Context {
            paths: AppPaths::discover(),
            lang,
            global,
        }
    }

    /// The signature asked for with `--signature` / `SMARTDIAL_SIGNATURE`, if any.
    pub fn signature_override(&self) -> Result<Option<SignatureVersion>, UserError> {
        self.global
            .signature
            .as_deref()
            .filter(|s| !s.trim().is_empty())
            .map(SignatureVersion::parse)
            .transpose()
    }

    /// Logs go to stderr so stdout stays clean for `--json`.
    pub fn init_logging(&self) {
        let filter = tracing_subscriber::EnvFilter::try_new(&self.global.log)
            .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("warn"));
        let _ = tracing_subscriber::fmt()
            .with_env_filter(filter)
            .with_writer(std::io::stderr)
            .with_target(false)
            .try_init();
    }
}
