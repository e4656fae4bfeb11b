//! What every command shares: the data folder, the endpoint, the language.

use clap::Args;
use smartdial_core::paths::AppPaths;
use smartdial_core::text::Lang;

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
