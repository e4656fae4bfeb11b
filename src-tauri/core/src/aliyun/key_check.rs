//! Checking an AccessKey (the profile check of the CLI and the desktop): one cheap signed
//! read, `QueryRobotInfoList`, with V3 first; when Alibaba Cloud refuses the V3 signature
//! *method* (not the key, see [`refuses_signature_method`]) the same call is made with V1,
//! and the version that worked is what the caller remembers for the profile.

use serde::Serialize;

use super::client::Client;
use super::error::CallError;
use super::signing::{refuses_signature_method, SignatureVersion};
use crate::text::Localized;

/// What a successful check found.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct KeyCheck {
    /// Robot scripts the key can see.
    pub robots: u32,
    /// The signature that worked: what every later call of this key should carry.
    pub signature: SignatureVersion,
    /// The version that was refused first, when the check fell back.
    pub refused: Option<SignatureVersion>,
}

/// The desktop's answer to a profile check: what the window tells the marketer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "ts", derive(ts_rs::TS))]
#[serde(rename_all = "camelCase")]
pub struct ProfileVerified {
    /// Robot scripts the key can see.
    pub robots: u32,
    /// The signature the profile uses from now on.
    pub signature: SignatureVersion,
    /// Plain words when the check fell back to another signature, which the profile now
    /// remembers; `None` when the first one worked.
    pub note: Option<Localized>,
}

impl KeyCheck {
    /// What the window shows after checking `profile` (which remembers the signature).
    pub fn verified(&self, profile: &str) -> ProfileVerified {
        ProfileVerified {
            robots: self.robots,
            signature: self.signature,
            note: self.fallback_note(Some(profile)),
        }
    }

    /// The plain words for a fallback (`None` when the first version worked).
    /// `profile` names the profile that will remember it, if any.
    pub fn fallback_note(&self, profile: Option<&str>) -> Option<Localized> {
        let refused = self.refused?;
        let (zh_then, en_then) = match profile {
            Some(name) => (
                format!("配置“{name}”以后都用 {} 签名。", self.signature.describe()),
                format!(
                    "Profile \"{name}\" will use the {} signature from now on.",
                    self.signature.describe()
                ),
            ),
            None => (
                format!(
                    "环境变量里的 AccessKey 不会被记住:以后请加上 --signature {} 或设置 SMARTDIAL_SIGNATURE={}。",
                    self.signature, self.signature
                ),
                format!(
                    "A key from the environment is not remembered: add --signature {} or set SMARTDIAL_SIGNATURE={} from now on.",
                    self.signature, self.signature
                ),
            ),
        };
        Some(Localized::new(
            format!(
                "阿里云不接受 {} 签名,已改用 {} 签名,验证通过。{zh_then}",
                refused.describe(),
                self.signature.describe()
            ),
            format!(
                "Alibaba Cloud does not accept the {} signature; SmartDial switched to the {} signature, which worked. {en_then}",
                refused.describe(),
                self.signature.describe()
            ),
        ))
    }
}

impl CallError {
    /// Whether the server refused the signature method or version itself (try the other
    /// version), as opposed to the key or the request.
    pub fn refuses_signature_method(&self) -> bool {
        self.code().is_some_and(refuses_signature_method)
    }
}

/// Checks the key with `client`'s signature; with `fallback`, a V3 refusal of the method is
/// retried once with V1 (without it, e.g. when the user forced V3, the refusal is the answer).
/// A failure of the V1 attempt is returned as it is (a wrong secret then reads as one).
pub async fn check_key(client: &Client, fallback: bool) -> Result<KeyCheck, CallError> {
    let first = client.signature();
    match client.query_robot_info_list(None).await {
        Ok(robots) => Ok(KeyCheck {
            robots: count(robots.len()),
            signature: first,
            refused: None,
        }),
        Err(e) if fallback && first == SignatureVersion::V3 && e.refuses_signature_method() => {
            tracing::warn!(
                code = e.code().unwrap_or(""),
                "V3 signature refused; trying V1"
            );
            let v1 = client.with_signature(SignatureVersion::V1);
            let robots = v1.query_robot_info_list(None).await?;
            Ok(KeyCheck {
                robots: count(robots.len()),
                signature: SignatureVersion::V1,
                refused: Some(SignatureVersion::V3),
            })
        }
        Err(e) => Err(e),
    }
}

fn count(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aliyun::{ClientConfig, Credentials};
    use crate::simulator::{
        FaultPlan, Simulator, SimulatorConfig, DEMO_ACCESS_KEY_ID, DEMO_ACCESS_KEY_SECRET,
    };

    fn runtime() -> tokio::runtime::Runtime {
        tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .unwrap_or_else(|e| panic!("runtime: {e}"))
    }

    fn client(endpoint: String, secret: &str) -> Client {
        Client::new(
            ClientConfig::with_endpoint(endpoint),
            Credentials::new(DEMO_ACCESS_KEY_ID, secret),
        )
        .unwrap_or_else(|e| panic!("client: {e}"))
    }

    #[test]
    fn v3_works_where_the_gateway_takes_it() {
        let sim =
            Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap_or_else(|e| panic!("{e}"));
        let check = runtime()
            .block_on(check_key(
                &client(sim.endpoint(), DEMO_ACCESS_KEY_SECRET),
                true,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check.signature, SignatureVersion::V3);
        assert_eq!(check.refused, None);
        assert!(check.robots > 0);
        assert_eq!(check.fallback_note(Some("main")), None);
        let record = sim.record();
        assert_eq!(record.requests.len(), 1);
        assert_eq!(record.requests[0].signature, Some(SignatureVersion::V3));
    }

    #[test]
    fn a_refused_v3_falls_back_to_v1_and_says_so() {
        let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
            refuse_v3: true,
            ..FaultPlan::default()
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let check = runtime()
            .block_on(check_key(
                &client(sim.endpoint(), DEMO_ACCESS_KEY_SECRET),
                true,
            ))
            .unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(check.signature, SignatureVersion::V1);
        assert_eq!(check.refused, Some(SignatureVersion::V3));
        let record = sim.record();
        let seen: Vec<_> = record
            .requests
            .iter()
            .map(|r| (r.signature, r.code.as_str()))
            .collect();
        assert_eq!(
            seen,
            [
                (Some(SignatureVersion::V3), "InvalidSignatureMethod"),
                (Some(SignatureVersion::V1), "OK")
            ]
        );
        let note = check
            .fallback_note(Some("main"))
            .unwrap_or_else(|| Localized::new("", ""));
        assert!(
            note.zh_cn.contains("已改用 V1 (HMAC-SHA1) 签名"),
            "{}",
            note.zh_cn
        );
        assert!(note
            .en
            .contains("Profile \"main\" will use the V1 (HMAC-SHA1) signature"));
        let env_note = check
            .fallback_note(None)
            .unwrap_or_else(|| Localized::new("", ""));
        assert!(env_note.en.contains("SMARTDIAL_SIGNATURE=v1"));
        // Without fallback (V3 forced) the refusal is the answer.
        sim.reset();
        let err = runtime()
            .block_on(check_key(
                &client(sim.endpoint(), DEMO_ACCESS_KEY_SECRET),
                false,
            ))
            .err()
            .unwrap_or_else(|| panic!("V3 is refused"));
        assert!(err.refuses_signature_method());
        assert_eq!(sim.record().requests.len(), 1);
    }

    #[test]
    fn a_wrong_secret_does_not_fall_back() {
        let sim =
            Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap_or_else(|e| panic!("{e}"));
        let err = runtime()
            .block_on(check_key(&client(sim.endpoint(), "not-the-secret"), true))
            .err()
            .unwrap_or_else(|| panic!("a wrong secret passed"));
        assert_eq!(err.code(), Some("SignatureDoesNotMatch"));
        assert!(!err.refuses_signature_method());
        // The diagnosis holds for V3: the server signed the same string, so the key is wrong.
        assert_eq!(err.to_user_error().code, "aliyun.InvalidAccessKeySecret");
        assert_eq!(sim.record().requests.len(), 1, "no second attempt");
    }

    #[test]
    fn the_clock_skew_hint_holds_for_both_versions() {
        let sim =
            Simulator::spawn_in_thread(SimulatorConfig::demo()).unwrap_or_else(|e| panic!("{e}"));
        sim.advance_clock(chrono::Duration::minutes(20));
        for version in [SignatureVersion::V3, SignatureVersion::V1] {
            let c = client(sim.endpoint(), DEMO_ACCESS_KEY_SECRET).with_signature(version);
            let err = runtime()
                .block_on(check_key(&c, true))
                .err()
                .unwrap_or_else(|| panic!("a slow clock passed"));
            assert_eq!(err.code(), Some("InvalidTimeStamp.Expired"), "{version}");
            let shown = err.to_user_error();
            assert!(
                shown.message.en.contains("about 20 minutes behind"),
                "{version}: {}",
                shown.message.en
            );
        }
    }

    #[test]
    fn a_refused_v3_with_a_wrong_secret_reads_as_a_wrong_secret() {
        let sim = Simulator::spawn_in_thread(SimulatorConfig::with_faults(FaultPlan {
            refuse_v3: true,
            ..FaultPlan::default()
        }))
        .unwrap_or_else(|e| panic!("{e}"));
        let err = runtime()
            .block_on(check_key(&client(sim.endpoint(), "not-the-secret"), true))
            .err()
            .unwrap_or_else(|| panic!("a wrong secret passed"));
        assert_eq!(err.to_user_error().code, "aliyun.InvalidAccessKeySecret");
    }
}
