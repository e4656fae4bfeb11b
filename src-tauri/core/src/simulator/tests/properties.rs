//! Property tests: whatever the production signer signs, the simulator's gateway accepts.

use proptest::prelude::*;

use crate::aliyun::signature::HttpMethod;

use super::*;

/// Names that are not common parameters (the signer owns those).
fn name() -> impl Strategy<Value = String> {
    "[A-Z][A-Za-z0-9]{0,12}".prop_filter("not a common parameter", |n| {
        !crate::aliyun::signer::COMMON_PARAMS.contains(&n.as_str()) && n != "RegionId"
    })
}

/// Values from every corner: printable ASCII (all punctuation), any Unicode, Chinese
/// with emoji, control characters, empty.
fn value() -> impl Strategy<Value = String> {
    prop_oneof![
        "[ -~]{0,40}",
        "\\PC{0,20}",
        "[一-龥😀-🙏 *~+/=&%]{0,12}",
        ".{0,10}",
        Just(String::new()),
    ]
}

fn params() -> impl Strategy<Value = BTreeMap<String, String>> {
    proptest::collection::btree_map(name(), value(), 0..8)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    /// Whatever a caller signs with the production signer, the simulator's gateway
    /// accepts: both sides canonicalize the same way.
    #[test]
    fn gateway_accepts_every_signed_parameter_map(params in params(), get in any::<bool>()) {
        let clock = FixedClock::new(t0());
        let nonces = SequenceNonce::new("p");
        let options = SignOptions {
            method: if get { HttpMethod::Get } else { HttpMethod::Post },
            ..SignOptions::default()
        };
        let signed = sign_request("QueryRobotInfoList", params, &demo_creds(), &clock, &nonces, &options);
        let mut sent = signed.params().clone();
        sent.insert("Signature".into(), signed.signature().to_owned());
        let config = SimulatorConfig::demo();
        let mut book = super::super::gateway::NonceBook::default();
        let verdict = super::super::gateway::check(&config, &mut book, options.method, &sent, t0());
        prop_assert!(verdict.is_ok(), "{:?}", verdict.err());
    }
}

#[test]
fn over_http_every_signed_parameter_map_is_accepted() {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let rig = rt.block_on(Rig::new(SimulatorConfig::demo()));
    let mut runner = proptest::test_runner::TestRunner::new(ProptestConfig::with_cases(48));
    runner
        .run(&params(), |params| {
            let pairs: Vec<(&str, &str)> = params
                .iter()
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect();
            let answer = rt.block_on(rig.call("QueryRobotInfoList", &pairs));
            prop_assert_eq!(answer.code(), "OK", "{}", answer.text);
            Ok(())
        })
        .unwrap();
}
