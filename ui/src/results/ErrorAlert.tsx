import type { ReactNode } from "react";
import { Alert } from "antd";
import type { Lang, UserError } from "../bindings";
import { IpcError } from "../api/errors";

/** A failure as message + what to do, in the view's language. */
export function ErrorAlert({
  error,
  lang,
  onClose,
  action,
  testId,
}: {
  error: IpcError | UserError;
  lang: Lang;
  onClose?: () => void;
  action?: ReactNode;
  testId?: string;
}) {
  const e = error instanceof IpcError ? error : new IpcError(error);
  const t = e.text(lang);
  return (
    <Alert
      type="error"
      showIcon
      style={{ marginBottom: 12 }}
      data-testid={testId}
      title={t.message}
      description={t.hint}
      action={action}
      closable={onClose ? { onClose } : undefined}
    />
  );
}
