import { useTranslation } from "react-i18next";
import type { CampaignState, HangupReading, Lang, QueryMode, TaskControl } from "../bindings";

// The results view keeps its own strings (the shared dictionaries are edited by the wizard
// work at the same time). Same idea as i18n/zh-CN.ts: Chinese is the source, English must
// have exactly the same shape, which TypeScript checks through `ResultsText`.

const zhCN = {
  title: "通话结果",
  help: "发送成功只代表阿里云接受了任务;每个人是否接听要在打完后查询。这里的结果保存在本机,随时可以导出。",
  loading: "正在读取结果…",
  retry: "重试",
  lastRefreshed: (time: string) => `上次刷新:${time}`,
  neverRefreshed: "还没有刷新过",
  people: (n: number) => `共 ${n} 人`,
  pending: (n: number) => `${n} 人还在等结果`,
  noPending: "所有人都已有最终结果",
  autoRefresh: "有人还在等结果时,每 2 分钟自动刷新一次",
  refresh: "刷新结果",
  cancelRefresh: "取消刷新",
  refreshing: "正在向阿里云查询通话结果…",
  requests: (n: number) => `已发出 ${n} 次查询`,
  mode: {
    auto: "自动选择",
    taskCallList: "按任务批量查询",
    perCallee: "逐个号码查询",
  } satisfies Record<QueryMode, string>,
  refreshDone: (found: number, stillPending: number) =>
    `刷新完成:查到 ${found} 人的结果,${stillPending} 人还没有结果。`,
  refreshCancelled: (found: number) => `已取消刷新;取消前查到的 ${found} 人的结果已保存。`,
  refreshSkipped: (final: number, notDue: number, notSent: number) =>
    `已有最终结果未再查询 ${final} 人;预约时间未到 ${notDue} 人;未发出 ${notSent} 人。`,
  failures: (n: number) => `${n} 个号码查询失败,它们原有的结果保持不变:`,
  moreFailures: (n: number) => `……还有 ${n} 个`,
  degradedTitle: "已改为逐个号码查询",
  degradedBody:
    "阿里云的任务通话列表不接受这些任务,所以改为逐个号码查询。结果一样,只是慢一些、查询次数多一些。",
  export: "导出报表",
  exportFile: (taskName: string) => `外呼结果-${taskName}.xlsx`,
  exported: (n: number, path: string) => `已导出 ${n} 人的结果到 ${path}`,
  countsTitle: "各结果人数",
  chartTitle: "结果分布",
  chartEmpty: "还没有任何人可统计",
  percent: (p: string) => `${p}%`,
  filter: "按结果筛选",
  allOutcomes: "全部结果",
  clearFilter: "显示全部",
  tableTitle: "每个人的结果",
  tableEmpty: "没有符合条件的人",
  noPeople: "这个活动还没有要拨打的号码。",
  totalRows: (n: number) => `共 ${n} 人`,
  col: {
    number: "号码",
    outcome: "结果",
    duration: "通话时长",
    callTime: "呼叫时间",
    hangup: "挂断方",
    dialog: "对话轮数",
    taskId: "TaskId",
    recording: "录音",
  },
  hangup: {
    robot: "机器人挂断",
    callee: "客户挂断",
    unknown: "不确定",
  } satisfies Record<HangupReading, string>,
  hangupRaw: (raw: string) => `接口原值:${raw}`,
  statusCode: (code: string) => `状态码 ${code}`,
  sheetRow: (row: number) => `表格第 ${row} 行`,
  openRecording: "打开录音",
  recordingExpired: "录音链接 48 小时内有效,已过期;刷新后可重新获取",
  recordingNone: "没有录音(电话没有接通,或还没有查到结果)",
  tasksTitle: "任务管理(每批一个 TaskId)",
  tasksHelp:
    "可以取消还没开始的预约任务,或停止/终止正在进行的任务。操作针对整批号码,执行前会说明对还没拨打的人有什么影响。",
  tasksEmpty: "这个活动还没有被阿里云接受的任务。",
  batch: (n: number) => `第 ${n} 批`,
  batchPeople: (n: number) => `${n} 人`,
  control: "任务操作",
  controls: {
    cancelScheduled: "取消预约任务",
    stop: "停止任务",
    terminate: "终止任务",
  } satisfies Record<TaskControl, string>,
  appliesTo: "适用于:",
  effectOnUncalled: "对还没拨打的人:",
  reversible: "之后还可以继续这个任务。",
  irreversible: "这个操作不能撤销。",
  confirmOk: "确认执行",
  confirmCancel: "先不做",
  controlDone: (title: string, taskId: string) => `已完成“${title}”:${taskId}`,
  controlNotConfirmed: (title: string, taskId: string) =>
    `阿里云没有确认“${title}”已生效(${taskId});请稍后刷新结果或到控制台查看任务状态。`,
  campaignState: {
    ready: "等待开始",
    running: "发送中",
    paused: "已暂停",
    stopped: "已停止",
    cancelled: "已取消",
    finished: "已完成",
  } satisfies Record<CampaignState, string>,
};

/** The results view's strings; every language has exactly this shape. */
export type ResultsText = typeof zhCN;

const en: ResultsText = {
  title: "Call results",
  help: "A successful send only means Alibaba Cloud accepted the task; whether each person answered is known only after the calls, by asking. Results are kept on this computer and can be exported at any time.",
  loading: "Loading results…",
  retry: "Try again",
  lastRefreshed: (time) => `Last refreshed: ${time}`,
  neverRefreshed: "Not refreshed yet",
  people: (n) => `${n} people`,
  pending: (n) => `${n} still waiting for a result`,
  noPending: "Everyone has a final result",
  autoRefresh: "While anyone is still waiting for a result, refreshes every 2 minutes",
  refresh: "Refresh results",
  cancelRefresh: "Cancel refresh",
  refreshing: "Asking Alibaba Cloud for call results…",
  requests: (n) => `${n} queries sent`,
  mode: {
    auto: "Automatic",
    taskCallList: "Per task, in bulk",
    perCallee: "One number at a time",
  },
  refreshDone: (found, stillPending) =>
    `Refresh finished: results found for ${found} people, ${stillPending} still without a result.`,
  refreshCancelled: (found) =>
    `Refresh cancelled; the ${found} results found before cancelling are saved.`,
  refreshSkipped: (final, notDue, notSent) =>
    `Not asked again (already final): ${final}; scheduled for later: ${notDue}; not sent: ${notSent}.`,
  failures: (n) => `${n} numbers could not be queried; their previous results are unchanged:`,
  moreFailures: (n) => `…and ${n} more`,
  degradedTitle: "Switched to one number at a time",
  degradedBody:
    "Alibaba Cloud's task call list does not accept these tasks, so each number is asked about separately. The results are the same; it is just slower and uses more queries.",
  export: "Export report",
  exportFile: (taskName) => `Call results-${taskName}.xlsx`,
  exported: (n, path) => `Exported the results of ${n} people to ${path}`,
  countsTitle: "People by outcome",
  chartTitle: "Outcomes",
  chartEmpty: "Nobody to count yet",
  percent: (p) => `${p}%`,
  filter: "Filter by outcome",
  allOutcomes: "All outcomes",
  clearFilter: "Show all",
  tableTitle: "Result per person",
  tableEmpty: "Nobody matches",
  noPeople: "This campaign has no numbers to call yet.",
  totalRows: (n) => `${n} people`,
  col: {
    number: "Number",
    outcome: "Outcome",
    duration: "Duration",
    callTime: "Call time",
    hangup: "Hung up by",
    dialog: "Dialog rounds",
    taskId: "TaskId",
    recording: "Recording",
  },
  hangup: {
    robot: "Robot hung up",
    callee: "Callee hung up",
    unknown: "Unclear",
  },
  hangupRaw: (raw) => `API value: ${raw}`,
  statusCode: (code) => `Status code ${code}`,
  sheetRow: (row) => `Sheet row ${row}`,
  openRecording: "Open recording",
  recordingExpired:
    "Recording links last 48 hours and this one has expired; refresh to get a new one",
  recordingNone: "No recording (the call was not answered, or no result yet)",
  tasksTitle: "Tasks (one TaskId per batch)",
  tasksHelp:
    "You can cancel a scheduled task that has not started, or stop/terminate a running one. It applies to the whole batch; before it runs you are told what it means for the people not called yet.",
  tasksEmpty: "No task of this campaign has been accepted by Alibaba Cloud yet.",
  batch: (n) => `Batch ${n}`,
  batchPeople: (n) => `${n} people`,
  control: "Task actions",
  controls: {
    cancelScheduled: "Cancel scheduled task",
    stop: "Stop task",
    terminate: "Terminate task",
  },
  appliesTo: "When: ",
  effectOnUncalled: "For the people not called yet: ",
  reversible: "The task can be continued afterwards.",
  irreversible: "This cannot be undone.",
  confirmOk: "Go ahead",
  confirmCancel: "Not now",
  controlDone: (title, taskId) => `Done: “${title}” for ${taskId}`,
  controlNotConfirmed: (title, taskId) =>
    `Alibaba Cloud did not confirm “${title}” for ${taskId}; refresh the results later or check the task in the console.`,
  campaignState: {
    ready: "Ready",
    running: "Sending",
    paused: "Paused",
    stopped: "Stopped",
    cancelled: "Cancelled",
    finished: "Finished",
  },
};

/** Every language's strings for the results view. */
export const resultsText: Record<Lang, ResultsText> = { "zh-CN": zhCN, en };

/** The app's language as the results view reads it: i18next's current one, Chinese unless English. */
export function langOf(language: string | undefined): Lang {
  return language?.toLowerCase().startsWith("en") ? "en" : "zh-CN";
}

/** The results view's strings in the current i18next language (zh-CN unless English). */
export function useResultsText(): { text: ResultsText; lang: Lang } {
  const { i18n } = useTranslation();
  const lang = langOf(i18n.language);
  return { text: resultsText[lang], lang };
}
