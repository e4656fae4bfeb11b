//! The results report a marketer hands on: an .xlsx in the marketer's language (Chinese for
//! a Chinese user, English for an English one). The first sheet has one row per person in
//! words, the second the counts by outcome, and the last, named for what it holds
//! ("代码明细" / "Codes"), the codes whoever checks against Alibaba Cloud's console needs:
//! outcome code, status code and description as the API sent them, the hang-up value, the
//! TaskId. Every time is China time with the zone named, with the exporting computer's
//! time beside it where its clock differs ([`china_time::describe`]).
//!
//! The journal keeps each person's number, sheet row and the template variables sent
//! (TtsParam), not the other cells of the imported sheet; those are what the export holds.

use std::path::Path;

use rust_xlsxwriter::{Format, Workbook, Worksheet, XlsxError};

use super::model::{CampaignResults, PersonResult};
use super::outcome::{hangup_note, CallOutcome};
use crate::china_time::Here;
use crate::sheet::export::ExportError;
use crate::text::Lang;

/// The report's sheets, in the report's language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SheetNames {
    pub people: &'static str,
    pub summary: &'static str,
    pub codes: &'static str,
}

/// The sheet names of a report in `lang`.
pub fn sheet_names(lang: Lang) -> SheetNames {
    match lang {
        Lang::ZhCn => SheetNames {
            people: "通话结果",
            summary: "汇总",
            codes: "代码明细",
        },
        Lang::En => SheetNames {
            people: "Results",
            summary: "Summary",
            codes: "Codes",
        },
    }
}

/// `zh` or `en` by the report's language.
fn pick(lang: Lang, zh: &'static str, en: &'static str) -> &'static str {
    match lang {
        Lang::ZhCn => zh,
        Lang::En => en,
    }
}

/// The people sheet's columns before the variables.
fn leading_headers(lang: Lang) -> [&'static str; 3] {
    [
        pick(lang, "表格行", "Sheet row"),
        pick(lang, "号码", "Number"),
        pick(lang, "批次", "Batch"),
    ]
}

/// The people sheet's columns after the variables: words only, no codes.
fn trailing_headers(lang: Lang) -> [&'static str; 10] {
    [
        pick(lang, "结果", "Outcome"),
        pick(lang, "通话时长（秒）", "Call length (seconds)"),
        pick(lang, "通话时间", "Call time"),
        pick(lang, "结束时间", "End time"),
        pick(lang, "挂断方", "Hung up by"),
        pick(lang, "对话轮次", "Dialog rounds"),
        pick(lang, "标签", "Tags"),
        pick(lang, "录音链接", "Recording"),
        pick(lang, "录音链接有效期至", "Recording link valid until"),
        pick(lang, "最近查询时间", "Last checked"),
    ]
}

/// The codes sheet's columns.
fn code_headers(lang: Lang) -> [&'static str; 9] {
    [
        pick(lang, "表格行", "Sheet row"),
        pick(lang, "号码", "Number"),
        pick(lang, "批次", "Batch"),
        pick(lang, "任务ID", "Task ID"),
        pick(lang, "结果代码", "Outcome code"),
        pick(lang, "状态码", "Status code"),
        pick(
            lang,
            "状态描述（阿里云原文）",
            "Status description (as Alibaba Cloud sent it)",
        ),
        pick(lang, "挂断方原始值", "Hang-up raw value"),
        pick(lang, "通话ID", "Call ID"),
    ]
}

fn header<S: AsRef<str>>(ws: &mut Worksheet, row: u32, headers: &[S]) -> Result<(), XlsxError> {
    let bold = Format::new().set_bold();
    for (c, h) in headers.iter().enumerate() {
        ws.write_string_with_format(row, c as u16, h.as_ref(), &bold)?;
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

/// Writes the report in `lang` to `file`, times with this computer's clock beside China
/// time; returns the number of people written.
pub fn write_results(
    results: &CampaignResults,
    file: &Path,
    lang: Lang,
) -> Result<usize, ExportError> {
    write_results_with(results, file, lang, Here::Machine)
}

/// [`write_results`] with `here` as "this computer's" clock.
pub fn write_results_with(
    results: &CampaignResults,
    file: &Path,
    lang: Lang,
    here: Here,
) -> Result<usize, ExportError> {
    build(results, file, lang, here).map_err(|source| ExportError {
        file: file.to_path_buf(),
        source,
    })
}

/// The row, number and batch every per-person sheet starts with.
fn person_keys(ws: &mut Worksheet, r: u32, p: &PersonResult) -> Result<(), XlsxError> {
    opt_num(ws, r, 0, p.source_row.map(i64::from))?;
    // Text, so Excel never shows a phone number as 1.39E+10.
    ws.write_string(r, 1, &p.number)?;
    ws.write_number(r, 2, f64::from(p.batch_index + 1))?;
    Ok(())
}

fn build(
    results: &CampaignResults,
    file: &Path,
    lang: Lang,
    here: Here,
) -> Result<usize, XlsxError> {
    let names = sheet_names(lang);
    let when = |ms: i64| here.describe(ms).get(lang).to_owned();
    let mut wb = Workbook::new();

    let ws = wb.add_worksheet();
    ws.set_name(names.people)?;
    let mut headers: Vec<&str> = leading_headers(lang).to_vec();
    headers.extend(results.variable_names.iter().map(String::as_str));
    headers.extend(trailing_headers(lang));
    header(ws, 0, &headers)?;
    ws.set_freeze_panes(1, 2)?;
    let vars = results.variable_names.len() as u16;
    for (i, p) in results.people.iter().enumerate() {
        let r = i as u32 + 1;
        person_keys(ws, r, p)?;
        for (k, name) in results.variable_names.iter().enumerate() {
            let value = p
                .variables
                .iter()
                .find(|v| &v.name == name)
                .map(|v| v.value.as_str());
            opt_str(ws, r, 3 + k as u16, value)?;
        }
        let c = 3 + vars;
        ws.write_string(r, c, p.outcome_label.get(lang))?;
        opt_num(ws, r, c + 1, p.duration_secs)?;
        let api_time = |t: &Option<String>| {
            t.as_deref()
                .filter(|t| !t.trim().is_empty())
                .map(|t| here.describe_api(t).get(lang).to_owned())
        };
        opt_str(ws, r, c + 2, api_time(&p.call_time).as_deref())?;
        opt_str(ws, r, c + 3, api_time(&p.ended_at).as_deref())?;
        if p.hangup_raw.is_some() {
            ws.write_string(r, c + 4, p.hangup.label().get(lang))?;
        }
        opt_num(ws, r, c + 5, p.dialog_count)?;
        if !p.tags.is_empty() {
            ws.write_string(r, c + 6, p.tags.join(pick(lang, "、", ", ")))?;
        }
        opt_str(ws, r, c + 7, p.record_url.as_deref())?;
        if let Some(t) = p.record_expires_at_ms {
            ws.write_string(r, c + 8, when(t))?;
        }
        match p.fetched_at_ms {
            Some(t) => ws.write_string(r, c + 9, when(t))?,
            None => ws.write_string(r, c + 9, pick(lang, "还没有查询", "Not checked yet"))?,
        };
    }
    ws.autofit();

    let summary = wb.add_worksheet();
    summary.set_name(names.summary)?;
    header(
        summary,
        0,
        &[
            pick(lang, "结果", "Outcome"),
            pick(lang, "人数", "People"),
            pick(lang, "占比", "Share"),
        ],
    )?;
    let total = results.people.len().max(1) as f64;
    let percent = Format::new().set_num_format("0.0%");
    for (i, c) in results.counts.iter().enumerate() {
        let r = i as u32 + 1;
        summary.write_string(r, 0, c.label.get(lang))?;
        summary.write_number(r, 1, f64::from(c.count))?;
        summary.write_number_with_format(r, 2, f64::from(c.count) / total, &percent)?;
    }
    let r = results.counts.len() as u32 + 1;
    let bold = Format::new().set_bold();
    summary.write_string_with_format(r, 0, pick(lang, "合计", "Total"), &bold)?;
    summary.write_number_with_format(r, 1, results.people.len() as f64, &bold)?;
    let c = &results.campaign;
    let facts = [
        (
            pick(lang, "活动", "Campaign"),
            format!("#{} {}", c.id, c.task_name),
        ),
        (pick(lang, "来源文件", "Source file"), c.source_name.clone()),
        (pick(lang, "话术ID", "Robot script ID"), c.dialog_id.clone()),
        (pick(lang, "创建时间", "Created"), when(c.created_at_ms)),
        (
            pick(lang, "最近查询", "Last checked"),
            results
                .last_fetched_at_ms
                .map(when)
                .unwrap_or_else(|| pick(lang, "还没有查询", "Not checked yet").to_owned()),
        ),
        (
            pick(lang, "已接听", "Answered"),
            results.count(CallOutcome::Answered).to_string(),
        ),
        (
            pick(lang, "时间说明", "Times"),
            pick(
                lang,
                "所有时间都是北京时间（通话所在地的时间）；导出报告的电脑时区不同时，括号里是那台电脑上的时间",
                "Every time is China time (where the calls happen); where the computer that exported the report keeps another clock, its time is in brackets",
            )
            .to_owned(),
        ),
        (
            pick(lang, "挂断方说明", "Hung up by"),
            hangup_note().get(lang).to_owned(),
        ),
        (
            pick(lang, "代码", "Codes"),
            match lang {
                Lang::ZhCn => format!(
                    "结果代码、状态码、任务ID 等核对用的信息在最后一张表“{}”里",
                    names.codes
                ),
                Lang::En => format!(
                    "Outcome codes, status codes, task IDs and the like, for checking with Alibaba Cloud, are on the last sheet, \"{}\"",
                    names.codes
                ),
            },
        ),
    ];
    let start = r + 2;
    for (i, (k, v)) in facts.iter().enumerate() {
        summary.write_string_with_format(start + i as u32, 0, *k, &bold)?;
        summary.write_string(start + i as u32, 1, v)?;
    }
    summary.autofit();

    let codes = wb.add_worksheet();
    codes.set_name(names.codes)?;
    header(codes, 0, &code_headers(lang))?;
    codes.set_freeze_panes(1, 2)?;
    for (i, p) in results.people.iter().enumerate() {
        let r = i as u32 + 1;
        person_keys(codes, r, p)?;
        opt_str(codes, r, 3, p.task_id.as_deref())?;
        codes.write_string(r, 4, p.outcome.as_str())?;
        opt_str(codes, r, 5, p.status_code.as_deref())?;
        opt_str(codes, r, 6, p.state_desc.as_deref())?;
        opt_str(codes, r, 7, p.hangup_raw.as_deref())?;
        opt_str(codes, r, 8, p.call_id.as_deref())?;
    }
    codes.autofit();

    wb.save(file)?;
    Ok(results.people.len())
}
