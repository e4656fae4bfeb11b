//! The results report a marketer hands on: an .xlsx with one row per person and a summary
//! sheet of counts by outcome. Headers are bilingual so one file serves both audiences.
//!
//! The journal keeps each person's number, sheet row and the template variables sent
//! (TtsParam), not the other cells of the imported sheet; those are what the export holds.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::model::CampaignResults;
use super::outcome::{hangup_note, CallOutcome};
use crate::china_time;
use crate::sheet::export::ExportError;

/// The sheet names.
pub const PEOPLE_SHEET: &str = "通话结果 Results";
pub const SUMMARY_SHEET: &str = "汇总 Summary";

/// The fixed columns of the people sheet before the variables.
pub const LEADING_HEADERS: [&str; 3] = ["表格行 Row", "号码 Number", "批次 Batch"];

/// The columns after the variables.
pub const TRAILING_HEADERS: [&str; 15] = [
    "任务ID TaskId",
    "结果 Outcome",
    "结果代码 Outcome code",
    "状态码 Status code",
    "状态描述 Status description",
    "通话时长(秒) Duration (s)",
    "通话时间 Call time",
    "结束时间 End time",
    "挂断方 Hung up by",
    "挂断方原始值 Hang-up raw value",
    "对话轮次 Dialog rounds",
    "标签 Tags",
    "录音链接 Recording",
    "录音链接有效期至（北京时间） Recording link valid until (China time)",
    "查询时间（北京时间） Fetched at (China time)",
];

fn header(ws: &mut Worksheet, row: u32, headers: &[String]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h, &bold)?;
    }
    Ok(())
}

fn opt_str(ws: &mut Worksheet, row: u32, col: u16, v: Option<&str>) -> Result<(), XlsxError> {
    if let Some(v) = v.filter(|v| !v.is_empty()) {
        ws.write_string(row, col, v)?;
    }
    Ok(())
}

fn opt_num(ws: &mut Worksheet, row: u32, col: u16, v: Option<i64>) -> Result<(), XlsxError> {
    if let Some(v) = v {
        ws.write_number(row, col, v as f64)?;
    }
    Ok(())
}

/// Writes the report to `file`; returns the number of people written.
pub fn write_results(results: &CampaignResults, file: &Path) -> Result<usize, ExportError> {
    build(results, file).map_err(|source| ExportError {
        file: file.to_path_buf(),
        source,
    })
}

fn build(results: &CampaignResults, file: &Path) -> Result<usize, XlsxError> {
    let mut wb = Workbook::new();
    let ws = wb.add_worksheet();
    ws.set_name(PEOPLE_SHEET)?;
    let mut headers: Vec<String> = LEADING_HEADERS.iter().map(|h| (*h).to_owned()).collect();
    headers.extend(results.variable_names.iter().cloned());
    headers.extend(TRAILING_HEADERS.iter().map(|h| (*h).to_owned()));
    header(ws, 0, &headers)?;
    ws.set_freeze_panes(1, 2)?;
    let vars = results.variable_names.len() as u16;
    for (i, p) in results.people.iter().enumerate() {
        let r = i as u32 + 1;
        opt_num(ws, r, 0, p.source_row.map(i64::from))?;
        // Text, so Excel never shows a phone number as 1.39E+10.
        ws.write_string(r, 1, &p.number)?;
        ws.write_number(r, 2, f64::from(p.batch_index + 1))?;
        for (k, name) in results.variable_names.iter().enumerate() {
            let value = p
                .variables
                .iter()
                .find(|v| &v.name == name)
                .map(|v| v.value.as_str());
            opt_str(ws, r, 3 + k as u16, value)?;
        }
        let c = 3 + vars;
        opt_str(ws, r, c, p.task_id.as_deref())?;
        ws.write_string(r, c + 1, &p.outcome_label.zh_cn)?;
        ws.write_string(r, c + 2, p.outcome.as_str())?;
        opt_str(ws, r, c + 3, p.status_code.as_deref())?;
        opt_str(ws, r, c + 4, p.state_desc.as_deref())?;
        opt_num(ws, r, c + 5, p.duration_secs)?;
        opt_str(ws, r, c + 6, p.call_time.as_deref())?;
        opt_str(ws, r, c + 7, p.ended_at.as_deref())?;
        if p.hangup_raw.is_some() {
            let label = p.hangup.label();
            ws.write_string(r, c + 8, format!("{} {}", label.zh_cn, label.en))?;
        }
        opt_str(ws, r, c + 9, p.hangup_raw.as_deref())?;
        opt_num(ws, r, c + 10, p.dialog_count)?;
        if !p.tags.is_empty() {
            ws.write_string(r, c + 11, p.tags.join(","))?;
        }
        opt_str(ws, r, c + 12, p.record_url.as_deref())?;
        if let Some(t) = p.record_expires_at_ms {
            ws.write_string(r, c + 13, china_time::format(t))?;
        }
        if let Some(t) = p.fetched_at_ms {
            ws.write_string(r, c + 14, china_time::format(t))?;
        }
    }
    ws.autofit();

    let summary = wb.add_worksheet();
    summary.set_name(SUMMARY_SHEET)?;
    let heads: Vec<String> = [
        "结果 Outcome",
        "Outcome",
        "结果代码 Outcome code",
        "人数 People",
        "占比 Share",
    ]
    .iter()
    .map(|h| (*h).to_owned())
    .collect();
    header(summary, 0, &heads)?;
    let total = results.people.len().max(1) as f64;
    let percent = Format::new().set_num_format("0.0%");
    for (i, c) in results.counts.iter().enumerate() {
        let r = i as u32 + 1;
        summary.write_string(r, 0, &c.label.zh_cn)?;
        summary.write_string(r, 1, &c.label.en)?;
        summary.write_string(r, 2, c.outcome.as_str())?;
        summary.write_number(r, 3, f64::from(c.count))?;
        summary.write_number_with_format(r, 4, f64::from(c.count) / total, &percent)?;
    }
    let r = results.counts.len() as u32 + 1;
    let bold = Format::new().set_bold();
    summary.write_string_with_format(r, 0, "合计", &bold)?;
    summary.write_string_with_format(r, 1, "Total", &bold)?;
    summary.write_number_with_format(r, 3, results.people.len() as f64, &bold)?;
    let c = &results.campaign;
    let facts = [
        ("活动 Campaign", format!("#{} {}", c.id, c.task_name)),
        ("来源文件 Source file", c.source_name.clone()),
        ("话术 DialogId", c.dialog_id.clone()),
        (
            "创建时间（北京时间） Created (China time)",
            china_time::format(c.created_at_ms),
        ),
        (
            "最近查询（北京时间） Last refreshed (China time)",
            results
                .last_fetched_at_ms
                .map(china_time::format)
                .unwrap_or_default(),
        ),
        (
            "已接通 Answered",
            results.count(CallOutcome::Answered).to_string(),
        ),
        ("挂断方说明 Hang-up note", {
            let n = hangup_note();
            format!("{} / {}", n.zh_cn, n.en)
        }),
    ];
    let start = r + 2;
    for (i, (k, v)) in facts.iter().enumerate() {
        summary.write_string_with_format(start + i as u32, 0, *k, &bold)?;
        summary.write_string(start + i as u32, 1, v)?;
    }
    summary.autofit();
    wb.save(file)?;
    Ok(results.people.len())
}
