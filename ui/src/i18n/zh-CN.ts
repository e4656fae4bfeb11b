// Chinese is the source language: every key starts here, English must match its shape.
const zhCN = {
  app: {
    title: "智能外呼助手",
    subtitle: "SmartDial",
    language: "语言",
    about: "关于",
  },
  steps: {
    import: "导入",
    map: "映射",
    review: "检查",
    settings: "任务设置",
    send: "发送",
    results: "结果",
  },
  stepHelp: {
    import: "选择或拖入联系人表格(.xlsx / .xls / .ods / .csv)。",
    map: "选择手机号所在的列,并把话术变量对应到表格的列。",
    review: "检查有问题或重复的号码,确认无误后再继续。",
    settings: "填写机器人、主叫号码、公司名称、任务名称和呼叫时间。",
    send: "确认后分批提交外呼任务,可以随时暂停或取消。",
    results: "查看每个任务和每通电话的结果,并导出报表。",
  },
  about: {
    title: "关于智能外呼助手",
    version: "版本",
    dataDir: "数据文件夹",
    logDir: "日志文件夹",
    os: "操作系统",
    loading: "正在读取…",
    close: "关闭",
  },
  errors: {
    unexpected: "出现了意外错误",
    unexpectedHint: "请重试;如果问题反复出现,请把日志文件夹里的文件发给技术支持。",
  },
} as const;

type Widen<T> = { [K in keyof T]: T[K] extends string ? string : Widen<T[K]> };
export type Messages = Widen<typeof zhCN>;
export default zhCN as Messages;
