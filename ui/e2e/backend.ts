import type {
  BatchOverview,
  CampaignSummary,
  ContactPage,
  ContactRow,
  ContactSummary,
  DemoStatus,
  FormLimits,
  MappingProposal,
  PlanPreview,
  RequestProblem,
  RobotChoice,
  RobotInfo,
  Settings,
  SheetOverview,
  TaskSettings,
  UserError,
} from "../src/bindings";

/**
 * A stateful stand-in for the Rust commands, realistic enough to walk the whole wizard:
 * a five-row sheet (one number fixable, one invalid, one duplicate), the demo simulator,
 * one robot, one campaign. Serialised into the page by `mockTauri`, so everything it needs
 * is defined inside it and its state lives on `globalThis.__sd`.
 */
export function backend(cmd: string, args: Record<string, unknown>): unknown {
  type Sd = {
    demo: DemoStatus;
    settings: Settings;
    excluded: Set<number>;
    fixes: Map<number, string>;
    campaign: CampaignSummary | null;
    batches: BatchOverview[];
  };
  const g = globalThis as unknown as { __sd?: Sd };
  const sd: Sd = (g.__sd ??= {
    demo: { active: false, endpoint: null, dialogId: null },
    settings: {
      endpoint: "https://dyvmsapi.aliyuncs.com",
      batchSize: 1000,
      qps: 10,
      concurrency: 4,
      mobileOnly: false,
      lang: "zh-CN",
      defaultProfile: null,
      checkUpdates: true,
      recordingKeepDays: null,
      calling: {
        hours: { days: [1, 2, 3, 4, 5, 6, 7], ranges: "09:00-12:00,14:00-21:00" },
        maxAnsweredPerDay: 1,
        maxAttemptsPerDay: 3,
        stopMarginMinutes: 30,
      },
    },
    excluded: new Set<number>(),
    fixes: new Map<number, string>(),
    campaign: null,
    batches: [],
  });
  const L = (zhCn: string, en: string) => ({ zhCn, en });
  const sheetRows = [
    ["2026 双十一客户回访", "", ""],
    ["姓名", "手机号", "金额"],
    ["张三", "138 0013 8000", "100"],
    ["李四", "13900139000", "200"],
    ["王五", "12345", "300"],
    ["赵六", "13700137000", "400"],
    ["钱七", "13900139000", "500"],
  ];
  const overview: SheetOverview = {
    fileName: "客户名单.xlsx",
    sheets: [
      { name: "客户名单", hidden: false },
      { name: "备注", hidden: true },
    ],
    preview: {
      sheet: "客户名单",
      totalRows: sheetRows.length,
      columns: 3,
      detectedHeaderRow: 2,
      rows: sheetRows.map((cells, i) => ({ row: i + 1, cells })),
      notices: [],
    },
    choice: { sheet: "客户名单", reason: "onlySheet", hasPhoneColumn: true, searched: 1 },
  };
  const contacts = (): ContactRow[] => {
    const rows: ContactRow[] = [];
    const seen = new Map<string, number>();
    sheetRows.slice(2).forEach((cells, i) => {
      const row = i + 3;
      const original = sd.fixes.get(row) ?? cells[1] ?? "";
      const digits = original.replace(/\D/g, "");
      const ok = /^1\d{10}$/.test(digits);
      let status: ContactRow["status"] = !ok ? "invalid" : digits === original ? "valid" : "fixed";
      let code = !ok ? "phone.too_short" : status === "fixed" ? "phone.cleaned" : "phone.ok";
      let message = !ok
        ? L("号码位数不够(手机号是 11 位)", "Too few digits (mobile numbers have 11)")
        : status === "fixed"
          ? L("已去掉空格", "Spaces removed")
          : L("号码正确", "Number is fine");
      let duplicateOf: number | null = null;
      if (ok && seen.has(digits)) {
        status = "duplicate";
        code = "phone.duplicate";
        duplicateOf = seen.get(digits) ?? null;
        message = L("重复的号码", "Duplicate number");
      } else if (ok) seen.set(digits, row);
      if (sd.excluded.has(row)) status = "excluded";
      rows.push({
        row,
        original,
        number: ok ? digits : null,
        status,
        code,
        message,
        duplicateOf,
        values: [cells[0] ?? ""],
        problems:
          status === "invalid"
            ? [
                {
                  row,
                  column: "手机号",
                  value: original,
                  code,
                  message,
                  blocking: true,
                  duplicateOf,
                },
              ]
            : [],
      });
    });
    return rows;
  };
  const summary = (): ContactSummary => {
    const rows = contacts();
    const n = (s: ContactRow["status"]) => rows.filter((r) => r.status === s).length;
    return {
      file: "客户名单.xlsx",
      sheet: "客户名单",
      headerRow: 2,
      phoneColumn: { index: 1, letter: "B", header: "手机号" },
      variables: [{ name: "name", column: { index: 0, letter: "A", header: "姓名" } }],
      rows: rows.length,
      valid: n("valid"),
      fixed: n("fixed"),
      invalid: n("invalid"),
      blocking: n("invalid"),
      duplicates: n("duplicate"),
      excluded: n("excluded"),
      doNotCall: n("doNotCall"),
      overLimit: n("overLimit"),
      landlines: 0,
      warnings: 0,
      blankRows: 0,
      sendable: n("valid") + n("fixed"),
      notices: [],
    };
  };
  const validate = (task: TaskSettings): RequestProblem[] => {
    const p: RequestProblem[] = [];
    if (!task.dialogId)
      p.push({
        code: "dialog_id.missing",
        field: "DialogId",
        message: L("请填写机器人话术 ID", "Enter the robot script ID"),
      });
    if (task.callerNumbers.length === 0)
      p.push({
        code: "caller.missing",
        field: "CalledShowNumber",
        message: L("请至少填写一个主叫号码", "Enter at least one caller number"),
      });
    if (!task.isSelfLine && !task.corpName)
      p.push({
        code: "corp_name.missing",
        field: "CorpName",
        message: L("请填写公司名称", "Enter the company name"),
      });
    if (!task.taskName)
      p.push({
        code: "task_name.missing",
        field: "TaskName",
        message: L("请填写任务名称", "Enter a task name"),
      });
    if ([...task.taskName].length > 30)
      p.push({
        code: "task_name.too_long",
        field: "TaskName",
        message: L("任务名称最多 30 个字", "The task name has at most 30 characters"),
      });
    return p;
  };

  switch (cmd) {
    case "ui_ready":
      return 420;
    case "app_info":
      return {
        version: "0.1.0",
        dataDir: "/home/ann/.local/share/smartdial",
        logDir: "/home/ann/.local/state/smartdial/logs",
        os: "linux",
      };
    case "demo_status":
      return sd.demo;
    case "start_demo":
      sd.demo = { active: true, endpoint: "http://127.0.0.1:47100", dialogId: "demo-robot-001" };
      return sd.demo;
    case "stop_demo":
      sd.demo = { active: false, endpoint: null, dialogId: null };
      return sd.demo;
    case "list_profiles":
      return [];
    case "check_update_at_start":
      return null;
    case "get_settings":
      return sd.settings;
    case "form_limits":
      return (globalThis as unknown as { __formLimits: FormLimits }).__formLimits;
    case "check_variable":
      return String(args.name).trim();
    case "save_settings":
      sd.settings = args.settings as Settings;
      return sd.settings;
    case "unfinished_campaign":
      return null;
    case "sending_now":
      return sd.campaign?.state === "running";
    case "open_sheet":
      if (!String(args.path).endsWith(".xlsx"))
        throw {
          code: "sheet.not_a_spreadsheet",
          message: L("不支持这种文件", "This kind of file is not supported"),
          hint: L("请选择 .xlsx 文件", "Choose an .xlsx file"),
        } satisfies UserError;
      return overview;
    case "select_sheet":
      return overview;
    case "propose_mapping": {
      const vars = args.variables as string[];
      const columns = [
        { index: 0, letter: "A", header: "姓名" },
        { index: 1, letter: "B", header: "手机号" },
        { index: 2, letter: "C", header: "金额" },
      ];
      const proposal: MappingProposal = {
        columns,
        suggestion: {
          phoneColumn: columns[1] ?? null,
          phoneHow: "alias",
          variables: vars.map((name) =>
            name === "name"
              ? { name, column: columns[0] ?? null, how: "alias" as const }
              : { name, column: null, how: null },
          ),
          signature: "姓名|手机号|金额",
        },
      };
      return proposal;
    }
    case "apply_mapping":
    case "contact_summary":
      return summary();
    case "contact_page": {
      const all = contacts().filter(
        (r) => !args.onlyProblems || r.status === "invalid" || r.status === "duplicate",
      );
      const offset = args.offset as number;
      const page: ContactPage = {
        total: all.length,
        offset,
        rows: all.slice(offset, offset + (args.limit as number)),
      };
      return page;
    }
    case "fix_number":
      sd.fixes.set(args.row as number, args.text as string);
      return summary();
    case "exclude_row":
      if (args.excluded) sd.excluded.add(args.row as number);
      else sd.excluded.delete(args.row as number);
      return summary();
    case "exclude_blocking_rows":
      for (const r of contacts()) if (r.status === "invalid") sd.excluded.add(r.row);
      return summary();
    case "validate_task":
      return validate(args.task as TaskSettings);
    case "list_robots": {
      const robot = (id: string, robotName: string, auditStatus: string): RobotInfo => ({
        id,
        robotName,
        robotType: "0",
        auditStatus,
        gmtCreate: null,
        gmtModified: null,
        partnerId: null,
        asrId: null,
        asrType: null,
        remark: null,
      });
      // The words core's `aliyun::robot_audit` gives these two states.
      const robots: RobotChoice[] = [
        {
          robot: robot("demo-robot-001", "双十一回访", "AUDITPASS"),
          audit: {
            callable: true,
            label: { zhCn: "已通过审核", en: "Approved" },
            advice: { zhCn: "可以用来外呼", en: "Ready to call with" },
          },
        },
        {
          robot: robot("demo-robot-002", "新品推荐", "AUDITING"),
          audit: {
            callable: false,
            label: { zhCn: "审核中", en: "Under review" },
            advice: {
              zhCn: "阿里云正在审核这个话术，通过后才能外呼：请稍后点“重新读取机器人列表”再看",
              en: "Alibaba Cloud is reviewing this script; it can call once approved: reload the robot list later",
            },
          },
        },
      ];
      return robots;
    }
    case "preview_plan": {
      const task = args.task as TaskSettings;
      const plan: PlanPreview = {
        people: summary().sendable,
        batches: 1,
        skippedRows: summary().rows - summary().sendable,
        endpoint: sd.demo.endpoint ?? sd.settings.endpoint,
        demo: sd.demo.active,
        firstBatch: [
          { name: "CalledNumber", value: "13800138000,13900139000,13700137000" },
          { name: "CalledShowNumber", value: task.callerNumbers.join(",") },
          { name: "DialogId", value: task.dialogId },
          { name: "TaskName", value: task.taskName },
          { name: "EarlyMediaAsr", value: String(task.earlyMediaAsr) },
          { name: "IsSelfLine", value: String(task.isSelfLine) },
          { name: "CorpName", value: task.corpName ?? "" },
          { name: "TtsParamHead", value: '["name"]' },
          {
            name: "TtsParam",
            value:
              '[{"number":"13800138000","name":"张三"},{"number":"13900139000","name":"李四"},{"number":"13700137000","name":"赵六"}]',
          },
        ],
      };
      return plan;
    }
    case "start_campaign": {
      const task = args.task as TaskSettings;
      const now = 1_795_000_000_000;
      sd.campaign = {
        id: 1,
        createdAtMs: now,
        updatedAtMs: now,
        sourceName: "客户名单.xlsx",
        sourceSha256: "ab12",
        taskName: task.taskName,
        dialogId: task.dialogId,
        profile: "demo",
        endpoint: sd.demo.endpoint ?? "",
        state: "running",
        reason: null,
        totalNumbers: 3,
        sentNumbers: 0,
        batches: { planned: 1, sending: 0, sent: 0, rejected: 0, unknown: 0, cancelled: 0 },
        busy: false,
      };
      sd.batches = [
        {
          campaignId: 1,
          index: 0,
          taskName: task.taskName,
          people: 3,
          state: "planned",
          attempts: 0,
          retryable: false,
          taskId: null,
          errorCode: null,
          problem: null,
          decision: null,
          updatedAtMs: now,
        },
      ];
      return sd.campaign;
    }
    case "list_campaigns":
      return sd.campaign ? [sd.campaign] : [];
    case "campaign_batches":
      return sd.batches;
    case "pause_campaign":
    case "resume_campaign":
    case "cancel_campaign":
      return null;
    case "plugin:dialog|open":
      return "/home/ann/客户名单.xlsx";
    case "plugin:dialog|save":
      return "/home/ann/模板.xlsx";
    case "save_template":
      return null;
    default:
      throw {
        code: "internal",
        message: L(`意外的命令 ${cmd}`, `Unexpected command ${cmd}`),
        hint: L("", ""),
      } satisfies UserError;
  }
}
