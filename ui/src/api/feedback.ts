import { useCallback } from "react";
import { App } from "antd";
import { toIpcError } from "./errors";
import { useSession } from "../state/session";

/**
 * Shows a failed command as a friendly notification: the message and what to do, in the
 * current language. Never a raw dump.
 */
export function useShowError(): (thrown: unknown) => void {
  const { notification } = App.useApp();
  const { lang } = useSession();
  return useCallback(
    (thrown: unknown) => {
      const text = toIpcError(thrown).text(lang);
      notification.error({
        title: text.message,
        description: text.hint,
        placement: "topRight",
        duration: 8,
      });
    },
    [notification, lang],
  );
}
