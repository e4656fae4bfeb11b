import { describe, expect, it } from "vitest";
import { screen, waitFor } from "@testing-library/react";
import userEventLib from "@testing-library/user-event";
import i18n from "../i18n";
import type { ProfileSummary, ProfileVerified, UserError } from "../bindings";
import { mockCommands, renderInWizard } from "../test-utils";
import { ProfileForm } from "./ProfileForm";

const userEvent = userEventLib.setup({ delay: null });
const SECRET = "s3cr3t-Value-never-kept";
const saved: ProfileSummary = {
  name: "公司主账号",
  maskedAccessKeyId: "LTAI****abcd",
  createdAt: "2026-11-25T10:00:00Z",
  isDefault: true,
  signature: "v3",
};

async function fill() {
  await userEvent.clear(screen.getByTestId("profile-name"));
  await userEvent.type(screen.getByTestId("profile-name"), "公司主账号");
  await userEvent.type(screen.getByTestId("profile-key-id"), " LTAI5tExampleabcd ");
  await userEvent.type(screen.getByTestId("profile-secret"), SECRET);
  await userEvent.click(screen.getByTestId("profile-submit"));
}

describe("AccessKey profile form", () => {
  it("hands the secret to Rust once, clears the field, then verifies the profile", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands((cmd) => {
      if (cmd === "add_profile") return saved;
      if (cmd === "verify_profile")
        return { robots: 2, signature: "v3", note: null } satisfies ProfileVerified;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await fill();
    expect(await screen.findByTestId("profile-verified")).toHaveTextContent(
      "“公司主账号”验证成功,账号下有 2 个机器人话术。",
    );
    expect(screen.getByTestId("profile-secret")).toHaveValue("");
    const adds = calls.filter((c) => c.cmd === "add_profile");
    expect(adds).toEqual([
      {
        cmd: "add_profile",
        args: { name: "公司主账号", accessKeyId: "LTAI5tExampleabcd", accessKeySecret: SECRET },
      },
    ]);
    expect(calls.filter((c) => c.cmd === "verify_profile")).toEqual([
      { cmd: "verify_profile", args: { name: "公司主账号" } },
    ]);
    // Only add_profile ever carried the secret.
    const others = calls.filter((c) => c.cmd !== "add_profile");
    expect(JSON.stringify(others)).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("says in plain words when the profile now signs the older way", async () => {
    await i18n.changeLanguage("zh-CN");
    mockCommands((cmd) => {
      if (cmd === "add_profile") return saved;
      if (cmd === "verify_profile")
        return {
          robots: 1,
          signature: "v1",
          note: {
            zhCn: "阿里云不接受 V3 签名,已改用 V1 签名,验证通过。配置“公司主账号”以后都用 V1 签名。",
            en: "Alibaba Cloud does not accept the V3 signature: switched to V1.",
          },
        } satisfies ProfileVerified;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await fill();
    expect(await screen.findByTestId("profile-verified")).toBeInTheDocument();
    expect(await screen.findByText(/已改用 V1 签名/)).toBeInTheDocument();
  });

  it("shows a failed verification with its hint, and the secret is gone anyway", async () => {
    await i18n.changeLanguage("zh-CN");
    const failure: UserError = {
      code: "aliyun.InvalidAccessKeyId.NotFound",
      message: { zhCn: "AccessKey ID 不存在", en: "The AccessKey ID does not exist" },
      hint: { zhCn: "请在阿里云控制台核对 AccessKey ID", en: "Check the ID in the console" },
    };
    mockCommands((cmd) => {
      if (cmd === "add_profile") return saved;
      if (cmd === "verify_profile") throw failure;
      throw new Error(`unexpected ${cmd}`);
    });
    renderInWizard(<ProfileForm />);
    await fill();
    const alert = await screen.findByTestId("profile-error");
    expect(alert).toHaveTextContent("AccessKey ID 不存在");
    expect(alert).toHaveTextContent("请在阿里云控制台核对 AccessKey ID");
    expect(screen.getByTestId("profile-secret")).toHaveValue("");
    expect(document.body.innerHTML).not.toContain(SECRET);
  });

  it("asks for every field before calling Rust", async () => {
    await i18n.changeLanguage("zh-CN");
    const calls = mockCommands(() => {
      throw new Error("must not be called");
    });
    renderInWizard(<ProfileForm />);
    await userEvent.click(screen.getByTestId("profile-submit"));
    expect(await screen.findByText("请填写 AccessKey Secret")).toBeInTheDocument();
    expect(screen.getByText("请填写 AccessKey ID")).toBeInTheDocument();
    await waitFor(() => expect(calls.some((c) => c.cmd === "add_profile")).toBe(false));
  });
});
