//! What the benchmarks share: the generated contact sheet, the import options and task
//! settings it is planned with, and the process's memory figures.

#![allow(dead_code)] // each bench uses part of it

use std::io::Write;
use std::path::Path;

use smartdial_core::campaign::plan::TaskSettings;
use smartdial_core::sheet::ImportOptions;

const SURNAMES: &[&str] = &[
    "张", "王", "李", "赵", "刘", "陈", "杨", "黄", "周", "吴", "徐", "孙",
];
const GIVEN: &[&str] = &[
    "伟", "芳", "娜", "敏", "静", "磊", "洋", "艳", "勇", "军", "杰", "娟", "涛", "明", "超",
];
const CITIES: &[&str] = &[
    "北京市朝阳区",
    "上海市浦东新区",
    "广州市天河区",
    "深圳市南山区",
    "杭州市西湖区",
    "成都市武侯区",
    "武汉市洪山区",
    "南京市鼓楼区",
];
const PRODUCTS: &[&str] = &[
    "宽带续费优惠",
    "会员年卡升级",
    "家庭套餐推荐",
    "积分兑换提醒",
    "账单分期服务",
];

pub fn row(i: usize) -> (String, String, &'static str, &'static str) {
    // Mostly valid mobiles, some with +86 and separators, some duplicates and bad values.
    let base = 13_000_000_000u64 + (i as u64 * 7_919) % 6_999_999_999;
    let phone = match i % 50 {
        0 => format!("+86 {base}"),
        1 => format!(
            "{}-{}-{}",
            &base.to_string()[..3],
            &base.to_string()[3..7],
            &base.to_string()[7..]
        ),
        2 => "无".to_string(),
        3 if i > 10 => row(i - 7).0,
        _ => base.to_string(),
    };
    let name = format!(
        "{}{}{}",
        SURNAMES[i % SURNAMES.len()],
        GIVEN[(i / 7) % GIVEN.len()],
        GIVEN[(i / 3) % GIVEN.len()]
    );
    (
        phone,
        name,
        CITIES[i % CITIES.len()],
        PRODUCTS[(i / 11) % PRODUCTS.len()],
    )
}

pub fn write_csv(path: &Path, rows: usize) {
    let f = std::fs::File::create(path).expect("csv");
    let mut w = std::io::BufWriter::new(f);
    writeln!(w, "手机号,姓名,地址,产品").expect("write");
    for i in 0..rows {
        let (phone, name, city, product) = row(i);
        writeln!(w, "{phone},{name},{city},{product}").expect("write");
    }
    w.flush().expect("flush");
}

pub fn options() -> ImportOptions {
    ImportOptions {
        variables: vec![
            ("姓名".into(), None),
            ("地址".into(), None),
            ("产品".into(), None),
        ],
        ..ImportOptions::default()
    }
}

pub fn settings() -> TaskSettings {
    TaskSettings {
        dialog_id: "1000".into(),
        caller_numbers: vec!["057188880000".into()],
        corp_name: Some("示例公司".into()),
        is_self_line: false,
        early_media_asr: false,
        schedule_time_ms: None,
        task_name: "基准测试任务".into(),
    }
}

pub fn vm_hwm_kb() -> u64 {
    vm_kb("VmHWM:")
}

pub fn vm_kb(field: &str) -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with(field))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|v| v.parse().ok())
        })
        .unwrap_or(0)
}
