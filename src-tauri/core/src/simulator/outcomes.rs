//! Deterministic, realistic call outcomes: the same seed, TaskId and number always give the
//! same result, so tests can assert counts and demos look alive.
//!
//! Status codes and their Chinese descriptions are Alibaba's (not in `docs/api`, which has
//! only the recall subset): carrier receipt codes https://help.aliyun.com/document_detail/55085.html
//! and early-media codes https://help.aliyun.com/document_detail/112804.htm (English:
//! https://help.aliyun.com/en/vms/developer-reference/call-status-code). The recall codes
//! 200002/200003/200005/200010/200011/200012 are those `CreateRobotTask.RecallStateCodes` lists
//! (`docs/api/dyvms-models.md`). The mix of outcomes is invented, shaped like a typical cold-call list.

use chrono::{DateTime, Duration, Utc};
use serde::Serialize;

/// FNV-1a over the parts, then a SplitMix64 finaliser: stable across Rust versions and
/// platforms, unlike `DefaultHasher`.
pub fn stable_hash(parts: &[&[u8]]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for part in parts {
        for byte in part.iter() {
            h ^= u64::from(*byte);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        // Separator, so ("ab","c") and ("a","bc") differ.
        h ^= 0xff;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    splitmix(h)
}

/// The SplitMix64 output function.
pub fn splitmix(mut z: u64) -> u64 {
    z = z.wrapping_add(0x9e37_79b9_7f4a_7c15);
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// One outcome class: a status code, its documented description, and how often it occurs
/// (weights sum to 100).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StatusKind {
    pub code: u32,
    /// The Chinese description the API returns in `stateDesc`.
    pub desc: &'static str,
    /// The English wording of Alibaba's English pages (not sent by the API).
    pub desc_en: &'static str,
    pub answered: bool,
    weight: u32,
}

/// The outcomes the simulator produces, with documented descriptions.
pub const STATUS_KINDS: [StatusKind; 10] = [
    StatusKind {
        code: 200000,
        desc: "用户听完语音",
        desc_en: "User finished listening to the voice message",
        answered: true,
        weight: 42,
    },
    StatusKind {
        code: 200001,
        desc: "用户提前挂机未完整收听",
        desc_en: "User hung up before the message finished",
        answered: true,
        weight: 10,
    },
    StatusKind {
        code: 200003,
        desc: "无应答",
        desc_en: "No answer",
        answered: false,
        weight: 13,
    },
    StatusKind {
        code: 200002,
        desc: "用户占线",
        desc_en: "User busy",
        answered: false,
        weight: 8,
    },
    StatusKind {
        code: 200005,
        desc: "用户无法接通(拒绝)",
        desc_en: "User unreachable (rejected)",
        answered: false,
        weight: 8,
    },
    StatusKind {
        code: 200010,
        desc: "关机",
        desc_en: "Powered off",
        answered: false,
        weight: 6,
    },
    StatusKind {
        code: 200011,
        desc: "停机",
        desc_en: "Service suspended",
        answered: false,
        weight: 4,
    },
    StatusKind {
        code: 200012,
        desc: "呼损",
        desc_en: "Call loss",
        answered: false,
        weight: 3,
    },
    StatusKind {
        code: 200004,
        desc: "空号",
        desc_en: "Nonexistent number",
        answered: false,
        weight: 4,
    },
    StatusKind {
        code: 200007,
        desc: "用户无法接通(不在服务区)",
        desc_en: "User unreachable (out of service area)",
        answered: false,
        weight: 2,
    },
];

/// Looks up a status code the simulator knows.
pub fn status_kind(code: u32) -> Option<StatusKind> {
    STATUS_KINDS.iter().copied().find(|k| k.code == code)
}

/// Who hung up. The docs contradict themselves on the numbers (`docs/api/dyvms.md` §4.1); the
/// simulator follows `QueryRobotTaskCallDetail`: 0 = robot, 1 = called party.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub enum Hangup {
    Robot,
    Callee,
}

impl Hangup {
    pub fn code(self) -> u8 {
        match self {
            Hangup::Robot => 0,
            Hangup::Callee => 1,
        }
    }
}

/// One spoken turn of an answered call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Turn {
    pub role: &'static str,
    pub content: String,
    pub at: DateTime<Utc>,
}

/// What happened on one callee's call.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CallOutcome {
    pub status: StatusKind,
    /// When the call was placed.
    pub placed_at: DateTime<Utc>,
    /// When the callee answered (answered calls only).
    pub answered_at: Option<DateTime<Utc>>,
    pub ended_at: DateTime<Utc>,
    /// Billed seconds; 0 when not answered.
    pub duration_secs: u32,
    pub hangup: Option<Hangup>,
    pub dialog_count: u32,
    pub tags: Vec<&'static str>,
    pub sure_count: u32,
    pub deny_count: u32,
    pub reject_count: u32,
    pub knowledge_count: u32,
    pub turns: Vec<Turn>,
}

const ROBOT_LINES: [&str; 5] = [
    "您好，这里是客户服务中心，打扰您一分钟时间可以吗？",
    "我们近期有一项会员专属优惠活动，想跟您简单介绍一下。",
    "请问您对这个活动感兴趣吗？",
    "好的，稍后会有专人通过短信把详情发给您。",
    "感谢您的接听，祝您生活愉快，再见。",
];
const USER_LINES: [&str; 5] = [
    "可以，你说吧。",
    "嗯，什么活动？",
    "听起来不错。",
    "好的。",
    "不用了，谢谢。",
];
const TAGS: [&str; 6] = [
    "意向客户",
    "无意向",
    "需回访",
    "已加微信",
    "价格敏感",
    "拒绝推销",
];

/// The outcome of calling `number` in task `task_id`, placed at `placed_at`. `forced`
/// overrides the status code (for tests that need a particular mix).
pub fn outcome_for(
    seed: u64,
    task_id: &str,
    number: &str,
    placed_at: DateTime<Utc>,
    forced: Option<u32>,
) -> CallOutcome {
    let seed_bytes = seed.to_le_bytes();
    let h = stable_hash(&[&seed_bytes, task_id.as_bytes(), number.as_bytes()]);
    let status = forced.and_then(status_kind).unwrap_or_else(|| {
        let mut roll = (h % 100) as u32;
        let mut picked = STATUS_KINDS[0];
        for kind in STATUS_KINDS {
            if roll < kind.weight {
                picked = kind;
                break;
            }
            roll -= kind.weight;
        }
        picked
    });
    let r = splitmix(h);
    let ring_secs = 4 + (r % 26) as i64;
    if !status.answered {
        return CallOutcome {
            status,
            placed_at,
            answered_at: None,
            ended_at: placed_at + Duration::seconds(ring_secs),
            duration_secs: 0,
            hangup: None,
            dialog_count: 0,
            tags: Vec::new(),
            sure_count: 0,
            deny_count: 0,
            reject_count: 0,
            knowledge_count: 0,
            turns: Vec::new(),
        };
    }
    let answered_at = placed_at + Duration::seconds(ring_secs);
    let rounds: u32 = if status.code == 200001 {
        1 + ((r >> 8) % 2) as u32
    } else {
        2 + ((r >> 8) % 4) as u32
    };
    let mut turns = Vec::new();
    let mut t = answered_at;
    for round in 0..rounds as usize {
        turns.push(Turn {
            role: "robot",
            content: ROBOT_LINES[round % ROBOT_LINES.len()].to_owned(),
            at: t,
        });
        t += Duration::seconds(5 + ((r >> (12 + round)) % 6) as i64);
        turns.push(Turn {
            role: "user",
            content: USER_LINES[(round + (r >> 20) as usize) % USER_LINES.len()].to_owned(),
            at: t,
        });
        t += Duration::seconds(2 + ((r >> (16 + round)) % 3) as i64);
    }
    let talk_secs = (t - answered_at).num_seconds().max(1);
    let tag_a = TAGS[((r >> 24) % TAGS.len() as u64) as usize];
    let tags = if (r >> 30) % 3 == 0 {
        vec![tag_a, TAGS[((r >> 34) % TAGS.len() as u64) as usize]]
    } else {
        vec![tag_a]
    };
    let mut tags_dedup = tags;
    tags_dedup.dedup();
    CallOutcome {
        status,
        placed_at,
        answered_at: Some(answered_at),
        ended_at: t,
        duration_secs: talk_secs as u32,
        hangup: Some(if status.code == 200001 || (r >> 40) % 2 == 0 {
            Hangup::Callee
        } else {
            Hangup::Robot
        }),
        dialog_count: rounds,
        tags: tags_dedup,
        sure_count: ((r >> 44) % (rounds as u64 + 1)) as u32,
        deny_count: ((r >> 48) % 2) as u32,
        reject_count: u32::from(status.code == 200001),
        knowledge_count: ((r >> 52) % 2) as u32,
        turns,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn t0() -> DateTime<Utc> {
        DateTime::from_timestamp(1_735_689_600, 0).unwrap_or_default()
    }

    #[test]
    fn weights_sum_to_one_hundred() {
        assert_eq!(STATUS_KINDS.iter().map(|k| k.weight).sum::<u32>(), 100);
    }

    #[test]
    fn same_inputs_give_the_same_outcome_and_seeds_change_it() {
        let a = outcome_for(7, "4000001", "13900001111", t0(), None);
        assert_eq!(a, outcome_for(7, "4000001", "13900001111", t0(), None));
        let differs = (0..50).any(|i| {
            let n = format!("1390000{i:04}");
            outcome_for(7, "4000001", &n, t0(), None).status
                != outcome_for(8, "4000001", &n, t0(), None).status
        });
        assert!(differs);
    }

    #[test]
    fn a_thousand_numbers_show_every_outcome_in_a_realistic_mix() {
        let outcomes: Vec<_> = (0..1000)
            .map(|i| outcome_for(42, "4000001", &format!("139{i:08}"), t0(), None))
            .collect();
        for kind in STATUS_KINDS {
            let count = outcomes.iter().filter(|o| o.status == kind).count();
            assert!(count > 0, "{} never produced", kind.code);
        }
        let answered = outcomes.iter().filter(|o| o.status.answered).count();
        assert!((400..650).contains(&answered), "answered {answered}");
    }

    #[test]
    fn answered_calls_have_dialog_and_unanswered_have_none() {
        for i in 0..200 {
            let o = outcome_for(1, "T", &format!("138{i:08}"), t0(), None);
            if o.status.answered {
                assert!(o.duration_secs > 0 && o.dialog_count > 0 && o.hangup.is_some());
                assert_eq!(o.turns.len(), 2 * o.dialog_count as usize);
                assert!(o
                    .answered_at
                    .is_some_and(|a| a > o.placed_at && o.ended_at > a));
            } else {
                assert_eq!((o.duration_secs, o.dialog_count), (0, 0));
                assert!(o.turns.is_empty() && o.hangup.is_none());
            }
        }
    }

    #[test]
    fn forced_status_wins() {
        let o = outcome_for(1, "T", "13900001111", t0(), Some(200010));
        assert_eq!(o.status.code, 200010);
        assert_eq!(o.status.desc, "关机");
    }
}
