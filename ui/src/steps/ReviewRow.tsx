import { memo } from "react";
import { Button, Input, Space, Tag } from "antd";
import { useTranslation } from "react-i18next";
import type { ContactRow, ContactStatus, Localized } from "../bindings";

const STATUS_COLOR: Record<ContactStatus, string> = {
  valid: "green",
  fixed: "blue",
  invalid: "red",
  duplicate: "orange",
  excluded: "default",
  doNotCall: "magenta",
  overLimit: "purple",
};

/** What a row can ask the page to do; one stable object for all rows. */
export interface RowActions {
  edit: (row: number, text: string) => void;
  cancel: () => void;
  save: (row: number, text: string) => void;
  toggle: (row: ContactRow) => void;
}

interface Props {
  r: ContactRow;
  /** The text being typed when this row is being edited, else null. */
  editingText: string | null;
  busy: boolean;
  actions: RowActions;
  loc: (text: Localized) => string;
}

/**
 * One contact in the review list. Memoised, with plain spans and CSS line clamps: while the
 * user scrolls, only rows coming into view render.
 */
export const ReviewRow = memo(function ReviewRow({ r, editingText, busy, actions, loc }: Props) {
  const { t } = useTranslation();
  const extra = r.problems
    .filter((p) => p.code !== r.code)
    .map((p) => `${p.column}: ${loc(p.message)}`);
  const reason = [
    loc(r.message),
    r.duplicateOf !== null ? t("review.duplicateOf", { row: r.duplicateOf }) : null,
    ...extra,
  ]
    .filter(Boolean)
    .join(t("common.listSeparator"));
  const editing = editingText !== null;
  // The do-not-call list and the per-number limits decide these rows: nothing to fix or
  // re-include, and the reason (rule, last call, campaign) is the whole point, so it
  // takes the actions' place and wraps instead of being cut.
  const screened = r.status === "doNotCall" || r.status === "overLimit";
  if (screened) {
    return (
      <div
        className={`review-row review-row-${r.status}`}
        data-testid="review-row"
        data-row={r.row}
      >
        <span className="review-cell-num">{r.row}</span>
        <span className="review-cell-text">
          <span className="cell-wrap cell-wrap-any" title={r.original}>
            {r.original || "—"}
          </span>
        </span>
        <span className="review-cell-text">
          <strong className="cell-ellipsis">{r.number ?? "—"}</strong>
        </span>
        <span>
          <Tag color={STATUS_COLOR[r.status]}>{t(`review.status.${r.status}`)}</Tag>
        </span>
        <span className="review-cell-screened" title={reason} data-testid="screened-reason">
          {reason}
        </span>
      </div>
    );
  }
  return (
    <div className={`review-row review-row-${r.status}`} data-testid="review-row" data-row={r.row}>
      <span className="review-cell-num">{r.row}</span>
      <span className="review-cell-text">
        {editing ? (
          <Input
            size="small"
            autoFocus
            value={editingText}
            onChange={(e) => actions.edit(r.row, e.target.value)}
            onPressEnter={() => actions.save(r.row, editingText)}
            onKeyDown={(e) => {
              if (e.key === "Escape") actions.cancel();
            }}
            data-testid="fix-input"
          />
        ) : (
          <span className="cell-wrap cell-wrap-any" title={r.original}>
            {r.original || "—"}
          </span>
        )}
      </span>
      <span className="review-cell-text">
        <strong className="cell-ellipsis">{r.number ?? "—"}</strong>
      </span>
      <span>
        <Tag color={STATUS_COLOR[r.status]}>{t(`review.status.${r.status}`)}</Tag>
      </span>
      <span className="review-cell-reason">
        <span
          className={`cell-wrap${r.status === "invalid" ? " cell-danger" : ""}`}
          title={reason}
          data-testid="review-reason"
        >
          {reason}
        </span>
      </span>
      <span className="review-cell-actions">
        {editing ? (
          <Space size={4}>
            <Button
              size="small"
              type="primary"
              loading={busy}
              onClick={() => actions.save(r.row, editingText)}
              data-testid="fix-save"
            >
              {t("common.save")}
            </Button>
            <Button size="small" onClick={actions.cancel}>
              {t("common.cancel")}
            </Button>
          </Space>
        ) : (
          <Space size={4}>
            <Button
              size="small"
              type="link"
              onClick={() => actions.edit(r.row, r.original)}
              data-testid="fix-edit"
            >
              {t("review.edit")}
            </Button>
            <Button
              size="small"
              type="link"
              danger={r.status !== "excluded"}
              loading={busy}
              onClick={() => actions.toggle(r)}
              data-testid="exclude-toggle"
            >
              {r.status === "excluded" ? t("review.include") : t("review.exclude")}
            </Button>
          </Space>
        )}
      </span>
    </div>
  );
});
