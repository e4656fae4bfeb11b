import { useEffect, useRef } from "react";
import { App, Button } from "antd";
import { getCurrentWindow } from "@tauri-apps/api/window";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { useWizard } from "../state/wizard";
import { useResumeCampaign } from "./ResumeDialog";
import { awaitsDecision } from "../state/campaignActions";

/**
 * Things the window does on its own: offers to resume a campaign a crash or a closed
 * window left unfinished, and asks before the window closes while a campaign is sending.
 */
export function StartupChecks() {
  const { t } = useTranslation();
  const { loaded, loadError } = useSession();
  const { dispatch } = useWizard();
  const { notification, modal } = App.useApp();
  const showError = useShowError();
  const [resumeCampaign, resumeDialog] = useResumeCampaign();
  const offered = useRef(false);
  // The close handler is registered once; it reads the current texts through a ref.
  const texts = useRef({ title: "", content: "", ok: "", cancel: "" });
  useEffect(() => {
    texts.current = {
      title: t("close.title"),
      content: t("close.content"),
      ok: t("close.ok"),
      cancel: t("close.cancel"),
    };
  }, [t]);

  useEffect(() => {
    if (!loaded || loadError || offered.current) return;
    offered.current = true;
    call(() => commands.unfinishedCampaign()).then(
      (c) => {
        if (!c || c.busy) return;
        const key = `resume-${c.id}`;
        notification.info({
          key,
          title: t("resume.title"),
          description: t("resume.description", {
            name: c.taskName,
            sent: c.sentNumbers,
            total: c.totalNumbers,
          }),
          duration: 0,
          actions: (
            <Button
              type="primary"
              size="small"
              data-testid="resume-offer"
              onClick={async () => {
                notification.destroy(key);
                try {
                  if (!awaitsDecision(c) && !(await resumeCampaign(c.id))) return;
                } catch (err) {
                  showError(err);
                }
                dispatch({ type: "campaign", id: c.id });
                dispatch({ type: "goto", step: "send" });
              }}
            >
              {t("resume.button")}
            </Button>
          ),
        });
      },
      () => undefined,
    );
  }, [loaded, loadError, notification, dispatch, showError, t, resumeCampaign]);

  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let disposed = false;
    try {
      const win = getCurrentWindow();
      win
        .onCloseRequested(async (event) => {
          let sending = false;
          try {
            sending = await commands.sendingNow();
          } catch {
            sending = false;
          }
          if (!sending) return;
          event.preventDefault();
          modal.confirm({
            title: texts.current.title,
            content: texts.current.content,
            okText: texts.current.ok,
            okButtonProps: { danger: true },
            cancelText: texts.current.cancel,
            onOk: () => win.destroy(),
          });
        })
        .then(
          (fn) => {
            if (disposed) fn();
            else unlisten = fn;
          },
          () => undefined,
        );
    } catch {
      // Not inside Tauri: nothing to guard.
    }
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [modal]);

  return resumeDialog;
}
