//! The IPC surface in one list: the command handler Tauri runs and the TypeScript bindings
//! the web view calls (`ui/src/bindings.ts`) are both generated from it, so a command the UI
//! calls by a wrong name or with wrong argument types fails to compile on the TS side.

use ts_rs::TS;

/// Declares every IPC command once: `module::command(ipc args) -> Ok type;`. Arguments
/// Tauri injects (State, AppHandle, Window) are not listed: the web view never passes them.
macro_rules! ipc_commands {
    ($($module:ident :: $name:ident ( $($arg:ident : $arg_ty:ty),* ) -> $ret:ty;)*) => {
        /// Tauri's handler for every command.
        pub fn invoke_handler() -> impl Fn(tauri::ipc::Invoke<tauri::Wry>) -> bool + Send + Sync + 'static {
            tauri::generate_handler![$(crate::commands::$module::$name),*]
        }

        /// One typed wrapper per command, as TypeScript.
        fn typescript_commands(cfg: &ts_rs::Config) -> String {
            let mut out = String::from("export const commands = {\n");
            $(
                let args: Vec<(&str, String)> = vec![$((stringify!($arg), <$arg_ty as TS>::name(cfg))),*];
                out.push_str(&command_wrapper(stringify!($name), &args, &<$ret as TS>::name(cfg)));
            )*
            out.push_str("};\n");
            out
        }
    };
}

ipc_commands! {
    app::app_info() -> crate::commands::app::AppInfo;
}

/// Every type that crosses IPC, declared once in the bindings file.
fn typescript_types(cfg: &ts_rs::Config) -> Vec<String> {
    use smartdial_core::text;
    vec![
        crate::commands::app::AppInfo::decl(cfg),
        text::Lang::decl(cfg),
        text::Localized::decl(cfg),
        text::UserError::decl(cfg),
    ]
}

fn command_wrapper(name: &str, args: &[(&str, String)], ret: &str) -> String {
    let params: Vec<String> = args
        .iter()
        .map(|(arg, ty)| format!("{}: {ty}", camel_case(arg)))
        .collect();
    let payload = if args.is_empty() {
        String::new()
    } else {
        let keys: Vec<String> = args.iter().map(|(arg, _)| camel_case(arg)).collect();
        format!(", {{ {} }}", keys.join(", "))
    };
    format!(
        "  {}: ({}) => invoke<{ret}>(\"{name}\"{payload}),\n",
        camel_case(name),
        params.join(", ")
    )
}

/// Tauri maps a Rust argument `file_path` to the JS key `filePath`.
fn camel_case(snake: &str) -> String {
    let mut out = String::with_capacity(snake.len());
    let mut upper = false;
    for c in snake.chars() {
        if c == '_' {
            upper = true;
        } else if upper {
            out.extend(c.to_uppercase());
            upper = false;
        } else {
            out.push(c);
        }
    }
    out
}

/// The full text of `ui/src/bindings.ts`.
pub fn typescript_bindings() -> String {
    let cfg = ts_rs::Config::new().with_large_int("number");
    let mut out = String::from(
        "// Generated from the Rust IPC types by `cargo test -p smartdial-desktop --lib bindings`\n\
         // (UPDATE_BINDINGS=1 rewrites it). Do not edit by hand.\n\n\
         import { invoke } from \"@tauri-apps/api/core\";\n\n",
    );
    for decl in typescript_types(&cfg) {
        out.push_str("export ");
        out.push_str(&decl);
        out.push_str("\n\n");
    }
    out.push_str(&typescript_commands(&cfg));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn camel_case_matches_tauri_argument_names() {
        assert_eq!(camel_case("app_info"), "appInfo");
        assert_eq!(camel_case("file_path"), "filePath");
        assert_eq!(camel_case("path"), "path");
    }

    /// The committed bindings must be what the Rust types generate today.
    #[test]
    fn bindings_are_current() {
        let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("ui/src/bindings.ts");
        let generated = typescript_bindings();
        if std::env::var_os("UPDATE_BINDINGS").is_some() {
            std::fs::write(&path, &generated).expect("write ui/src/bindings.ts");
            return;
        }
        let committed = std::fs::read_to_string(&path).unwrap_or_default();
        assert!(
            committed == generated,
            "ui/src/bindings.ts is stale: run `UPDATE_BINDINGS=1 cargo test -p smartdial-desktop --lib bindings` and commit it"
        );
    }
}
