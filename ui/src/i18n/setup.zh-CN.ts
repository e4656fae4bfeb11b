/** 获取 AccessKey 的指引和应用更新的文字。 */
export const setupZhCN = {
  keyGuide: {
    open: "如何获取 AccessKey?",
    openLong: "查看获取 AccessKey 的步骤",
    title: "如何获取 AccessKey",
    intro:
      "请为 SmartDial 单独创建一个 RAM 用户(子账号),只给它外呼需要的权限。不要使用阿里云主账号的 AccessKey:主账号的密钥能操作账号下的一切,一旦泄露,损失无法控制。",
    step1Title: "创建 RAM 用户",
    step1:
      "用主账号(或有 RAM 管理权限的账号)登录 RAM 访问控制台,进入“身份管理 > 用户”,点击“创建用户”。登录名称可以填 smartdial,访问方式勾选“使用永久 AccessKey 访问”(OpenAPI 调用访问)。",
    step2Title: "创建权限策略",
    step2:
      "进入“权限管理 > 权限策略”,点击“创建权限策略”,选择“脚本编辑”,把下面的内容整段粘贴进去,策略名称填 {{name}}。它只允许 SmartDial 用到的 {{count}} 个语音服务接口,不能做别的事。",
    step3Title: "给这个用户授权",
    step3: "回到“用户”列表,在刚创建的用户一行点击“添加权限”,在“自定义策略”中选择 {{name}},确定。",
    step4Title: "把 AccessKey 填进 SmartDial",
    step4:
      "创建用户后,页面会显示 AccessKey ID 和 AccessKey Secret。Secret 只显示这一次:请马上把两者填进 SmartDial 的表单,点击“保存并验证”。密钥只保存在这台电脑的系统钥匙串里。",
    openUsers: "打开 RAM 控制台“用户”页面",
    openPolicies: "打开 RAM 控制台“权限策略”页面",
    copy: "复制策略",
    copied: "策略已复制",
    permissions: "这个策略允许的接口",
    loading: "正在生成策略…",
    permissionHelp:
      "这是权限不足:请按“如何获取 AccessKey”的第 2、3 步,给这个 RAM 用户添加 SmartDial 的策略后重新验证。",
    close: "知道了",
  },
  updates: {
    foundTitle: "发现新版本 {{version}}",
    current: "当前版本 {{version}}",
    notes: "更新内容",
    noNotes: "这个版本没有附更新说明。",
    install: "现在安装",
    later: "以后再说",
    installing: "正在下载并安装…",
    installHint: "安装时应用会自动重启。正在发送外呼时不能安装。",
    settingsTitle: "更新",
    checkAtStart: "启动时检查更新",
    checkAtStartHelp: "只查看发布页上有没有新版本;安装前一定会先问您。",
    check: "检查更新",
    upToDate: "已是最新版本({{version}})",
    found: "发现新版本 {{version}}",
    show: "查看",
  },
} as const;
