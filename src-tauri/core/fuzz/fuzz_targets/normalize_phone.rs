//! The phone normaliser never panics and is idempotent on arbitrary text.
#![no_main]

use libfuzzer_sys::fuzz_target;
use smartdial_core::sheet::phone::{normalize, PhoneRules};

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else { return };
    for rules in [PhoneRules::default(), PhoneRules { mobile_only: true }] {
        if let Ok(n) = normalize(text, &rules) {
            let again = normalize(&n.number, &rules).expect("a normalised number stays valid");
            assert_eq!(again.number, n.number);
        }
    }
});
