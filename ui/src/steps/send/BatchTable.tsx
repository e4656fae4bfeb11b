import { Button, Empty, Space, Table, Tag, Typography } from "antd";
import { useTranslation } from "react-i18next";
import type { BatchOverview, RetryNotice } from "../../bindings";
import { useSession } from "../../state/session";
import { BATCH_COLOR } from "../../stateColors";

/** A campaign's batches: state, TaskId, attempts, and what went wrong (with the decision buttons for unknown ones). */
export function BatchTable({
  batches,
  retries,
  onDecide,
}: {
  batches: BatchOverview[];
  retries?: Map<number, RetryNotice>;
  onDecide?: (index: number, resend: boolean) => void;
}) {
  const { t } = useTranslation();
  const { loc } = useSession();
  return (
    // Scrolls sideways in its box rather than with the table's `scroll.x`, which measures
    // every column with a forced layout each time the page opens.
    <div className="table-scroll">
      <Table<BatchOverview>
        size="small"
        rowKey="index"
        dataSource={batches}
        pagination={batches.length > 20 ? { pageSize: 20, showSizeChanger: false } : false}
        locale={{ emptyText: <Empty description={t("send.noBatches")} /> }}
        data-testid="batch-table"
        columns={[
          { title: "#", key: "index", width: 56, render: (_, b) => b.index + 1 },
          { title: t("send.col.taskName"), dataIndex: "taskName" },
          {
            title: t("send.col.numbers"),
            key: "numbers",
            render: (_, b) => b.people,
          },
          {
            title: t("send.col.state"),
            key: "state",
            render: (_, b) => (
              <Space size={4}>
                <Tag color={BATCH_COLOR[b.state]} data-testid="batch-state">
                  {t(`batchState.${b.state}`)}
                </Tag>
                {retries?.has(b.index) && <Tag color="blue">{t("send.retrying")}</Tag>}
                {b.decision && (
                  <Tag>
                    {b.decision === "resent" ? t("send.decisionResent") : t("send.decisionMarked")}
                  </Tag>
                )}
              </Space>
            ),
          },
          {
            title: t("send.col.taskId"),
            key: "taskId",
            render: (_, b) => (
              <Typography.Text copyable={!!b.taskId} data-testid="batch-task-id">
                {b.taskId ?? "—"}
              </Typography.Text>
            ),
          },
          { title: t("send.col.attempts"), dataIndex: "attempts", width: 80 },
          {
            title: t("send.col.problem"),
            key: "problem",
            render: (_, b) =>
              b.problem ? (
                <Space orientation="vertical" size={0}>
                  <Typography.Text type="danger">{loc(b.problem.message)}</Typography.Text>
                  <Typography.Text type="secondary">{loc(b.problem.hint)}</Typography.Text>
                  {b.state === "unknown" && onDecide && (
                    <Space size={4}>
                      <Button size="small" danger onClick={() => onDecide(b.index, true)}>
                        {t("send.unknown.resend")}
                      </Button>
                      <Button size="small" onClick={() => onDecide(b.index, false)}>
                        {t("send.unknown.markSent")}
                      </Button>
                    </Space>
                  )}
                </Space>
              ) : (
                "—"
              ),
          },
        ]}
      />
    </div>
  );
}
