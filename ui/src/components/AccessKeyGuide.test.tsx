import { describe, expect, it, vi } from "vitest";
import { screen, waitFor, within } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { ProfileSummary, RamPolicy, UserError } from "../bindings";
import { mockCommands, renderInWizard } from "../test-utils";
import { ProfileForm } from "./ProfileForm";
import { ConnectionPanel } from "./ConnectionPanel";

const userEvent = userEventLib.setup({ delay: null });
// The machine running the suite may be busy; these wait for IPC, not for a deadline.
const SLOW = { timeout: 5000 };

const permissions = ["dyvms:BatchRobotSmartCall", "dyvms:QueryRobotInfoList"];
const policy: RamPolicy = {
  name: "SmartDialOutboundCalls",
  document: JSON.stringify(
    { Version: "1", Statement: [{ Effect: "Allow", Action: permissions, Resource: "*" }] },
    null,
    2,
  ),
  permissions,
  usersUrl: "https://ram.console.aliyun.com/users",
  policiesUrl: "https://ram.console.aliyun.com/policies",
};

describe("How to get an AccessKey", () => {
  it("opens from the profile form with the policy Rust generates, copyable, and console links", async () => {
    await i18n.changeLanguage("zh-CN");
    const writeText = vi.fn(() => Promise.resolve());
    Object.defineProperty(navigator, "clipboard", { value: { writeText }, configurable: true });
    const calls = mockCommands((cmd) => {
      if (cmd === "ram_policy") return policy;
      if (cmd === "open_ram_console") return null;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await userEvent.click(screen.getByTestId("key-guide-open"));
    const guide = await screen.findByTestId("key-guide", {}, SLOW);
    expect(guide).toHaveTextContent("不要使用阿里云主账号的 AccessKey");
    expect(guide).toHaveTextContent("创建 RAM 用户");
    expect(guide).toHaveTextContent("策略名称填 SmartDialOutboundCalls");
    expect(guide).toHaveTextContent("只允许 SmartDial 用到的 2 个语音服务接口");
    await waitFor(
      () => expect(screen.getByTestId("key-guide-policy").textContent).toBe(policy.document),
      SLOW,
    );
    const tags = within(screen.getByTestId("key-guide-permissions"));
    for (const p of permissions) expect(tags.getByText(p)).toBeInTheDocument();

    await userEvent.click(screen.getByTestId("key-guide-copy"));
    expect(writeText).toHaveBeenCalledWith(policy.document);

    await userEvent.click(screen.getByTestId("key-guide-open-users"));
    await userEvent.click(screen.getByTestId("key-guide-open-policies"));
    expect(calls.filter((c) => c.cmd === "open_ram_console").map((c) => c.args)).toEqual([
      { page: "users" },
      { page: "policies" },
    ]);
  });

  it("is offered on the first-run screen, in English too", async () => {
    await i18n.changeLanguage("en");
    mockCommands((cmd) => {
      if (cmd === "ram_policy") return policy;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ConnectionPanel />, {}, "en");
    // One way in on this screen: the form's own link is hidden here.
    expect(screen.queryByTestId("key-guide-open")).toBeNull();
    await userEvent.click(screen.getByTestId("key-guide-open-first-run"));
    const guide = await screen.findByTestId("key-guide", {}, SLOW);
    expect(guide).toHaveTextContent("Never use your main Alibaba Cloud account's AccessKey");
    expect(guide).toHaveTextContent("Name it SmartDialOutboundCalls");
    await waitFor(
      () => expect(screen.getByTestId("key-guide-policy").textContent).toBe(policy.document),
      SLOW,
    );
    await i18n.changeLanguage("zh-CN");
  });

  it("points to the guide when verification fails for a missing permission", async () => {
    await i18n.changeLanguage("zh-CN");
    const saved: ProfileSummary = {
      name: "smartdial",
      maskedAccessKeyId: "LTAI****abcd",
      createdAt: "2026-11-25T10:00:00Z",
      isDefault: true,
      signature: "v3",
    };
    const denied: UserError = {
      code: "aliyun.Forbidden.RAM",
      message: {
        zhCn: "这个 AccessKey 没有 dyvms:QueryRobotInfoList 权限,阿里云拒绝了请求。",
        en: "This AccessKey lacks the dyvms:QueryRobotInfoList permission.",
      },
      hint: { zhCn: "请在 RAM 控制台授权。", en: "Grant it in the RAM console." },
    };
    mockCommands((cmd) => {
      if (cmd === "add_profile") return saved;
      if (cmd === "verify_profile") throw denied;
      if (cmd === "ram_policy") return policy;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await userEvent.type(screen.getByTestId("profile-key-id"), "LTAI5tExampleabcd");
    await userEvent.type(screen.getByTestId("profile-secret"), "secret");
    await userEvent.click(screen.getByTestId("profile-submit"));
    const alert = await screen.findByTestId("profile-error", {}, SLOW);
    expect(alert).toHaveTextContent("没有 dyvms:QueryRobotInfoList 权限");
    const help = within(alert).getByTestId("profile-permission-help");
    expect(help).toHaveTextContent("第 2、3 步");
    await userEvent.click(within(help).getByTestId("key-guide-open"));
    expect(await screen.findByTestId("key-guide", {}, SLOW)).toBeVisible();
  });

  it("does not blame permissions for other failures", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands((cmd) => {
      if (cmd === "add_profile")
        return { name: "x", maskedAccessKeyId: "L", createdAt: "", isDefault: true };
      if (cmd === "verify_profile")
        throw {
          code: "aliyun.InvalidAccessKeyId.NotFound",
          message: { zhCn: "AccessKey ID 不存在", en: "no" },
          hint: { zhCn: "核对", en: "check" },
        };
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await userEvent.type(screen.getByTestId("profile-key-id"), "LTAI5tExampleabcd");
    await userEvent.type(screen.getByTestId("profile-secret"), "secret");
    await userEvent.click(screen.getByTestId("profile-submit"));
    expect(await screen.findByTestId("profile-error", {}, SLOW)).toHaveTextContent(
      "AccessKey ID 不存在",
    );
    expect(screen.queryByTestId("profile-permission-help")).toBeNull();
  });
});
