import { useEffect, useState } from "react";
import { App, Button, Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { InfoCircleOutlined, PlayCircleOutlined } from "@ant-design/icons";
import { commands, type CallOutcome, type Localized, type PersonResult } from "../bindings";
import { call, toIpcError, type IpcError } from "../api/errors";
import { ErrorAlert } from "./ErrorAlert";
import { useTranslation } from "react-i18next";
import { langOf, loc } from "../i18n/localized";
import { formatDuration, OUTCOME_STYLE } from "./outcome";

export const personKey = (p: PersonResult) => `${p.batchIndex}:${p.position}`;

/** People per page: the table asks Rust for one page at a time, never everyone. */
export const PAGE_SIZE = 50;

interface Loaded {
  key: string;
  people: PersonResult[];
  total: number;
  error: IpcError | null;
}

/**
 * Everyone in the campaign (or only one outcome), a page at a time from `results_page`.
 * `reloadKey` changes after a refresh so the current page is read again.
 */
export function PeopleTable({
  campaignId,
  outcome,
  variableNames,
  hangupNote,
  reloadKey,
  selected,
  onSelect,
}: {
  campaignId: number;
  outcome: CallOutcome | null;
  variableNames: string[];
  hangupNote: Localized;
  reloadKey: number;
  /** Chosen people (row key → number), kept across pages and filters. */
  selected?: ReadonlyMap<string, string>;
  onSelect?: (next: Map<string, string>) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  const { notification } = App.useApp();
  // The page belongs to one filter: a new filter starts again at page 1.
  const [paging, setPaging] = useState<{ outcome: CallOutcome | null; page: number }>({
    outcome,
    page: 1,
  });
  const page = paging.outcome === outcome ? paging.page : 1;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [opening, setOpening] = useState<string | null>(null);
  const key = `${campaignId}:${outcome ?? "all"}:${page}:${reloadKey}`;

  useEffect(() => {
    let cancelled = false;
    const offset = (page - 1) * PAGE_SIZE;
    call(() => commands.resultsPage(campaignId, offset, PAGE_SIZE, outcome)).then(
      (r) => !cancelled && setLoaded({ key, people: r.people, total: r.total, error: null }),
      (error: IpcError) =>
        !cancelled &&
        // Keep the rows on screen; the error says they may be stale.
        setLoaded((prev) => ({
          key,
          people: prev?.people ?? [],
          total: prev?.total ?? 0,
          error,
        })),
    );
    return () => {
      cancelled = true;
    };
  }, [campaignId, outcome, page, key]);

  const loading = loaded?.key !== key;
  const people = loaded?.people ?? [];
  const total = loaded?.total ?? 0;

  const openRecording = async (p: PersonResult) => {
    const id = `${p.batchIndex}:${p.position}`;
    setOpening(id);
    try {
      await call(() => commands.openRecording(campaignId, p.batchIndex, p.position));
    } catch (thrown) {
      const shown = toIpcError(thrown).text(lang);
      notification.error({ title: shown.message, description: shown.hint, duration: 8 });
    } finally {
      setOpening(null);
    }
  };

  const columns: ColumnsType<PersonResult> = [
    {
      title: t("resultsView.col.number"),
      key: "number",
      fixed: "left",
      render: (_, p) => (
        <Space orientation="vertical" size={0}>
          <Typography.Text data-testid="person-number">{p.number}</Typography.Text>
          {p.sourceRow !== null && (
            <Typography.Text type="secondary" style={{ fontSize: 12 }}>
              {t("resultsView.sheetRow", { row: p.sourceRow })}
            </Typography.Text>
          )}
        </Space>
      ),
    },
    ...variableNames.map((name) => ({
      title: name,
      key: `var:${name}`,
      render: (_: unknown, p: PersonResult) =>
        p.variables.find((v) => v.name === name)?.value ?? "",
    })),
    {
      title: t("resultsView.col.outcome"),
      key: "outcome",
      render: (_, p) => (
        <Space orientation="vertical" size={0}>
          <Tag color={OUTCOME_STYLE[p.outcome].tag} data-testid="person-outcome">
            {loc(p.outcomeLabel, lang)}
          </Tag>
          {p.statusCode !== null && (
            <Tooltip title={p.stateDesc ?? undefined}>
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("resultsView.statusCode", { code: p.statusCode })}
              </Typography.Text>
            </Tooltip>
          )}
        </Space>
      ),
    },
    {
      title: t("resultsView.col.duration"),
      key: "duration",
      render: (_, p) => formatDuration(p.durationSecs),
    },
    {
      title: t("resultsView.col.callTime"),
      key: "callTime",
      render: (_, p) => p.callTime ?? "—",
    },
    {
      title: (
        <Tooltip title={loc(hangupNote, lang)}>
          <Space size={4} data-testid="results-hangup-title">
            {t("resultsView.col.hangup")}
            <InfoCircleOutlined />
          </Space>
        </Tooltip>
      ),
      key: "hangup",
      render: (_, p) =>
        p.hangupRaw === null && p.hangup === "unknown" ? (
          "—"
        ) : (
          <Space orientation="vertical" size={0}>
            <span>{t(`resultsView.hangup.${p.hangup}`)}</span>
            {p.hangupRaw !== null && (
              <Typography.Text type="secondary" style={{ fontSize: 12 }}>
                {t("resultsView.hangupRaw", { raw: p.hangupRaw })}
              </Typography.Text>
            )}
          </Space>
        ),
    },
    {
      title: t("resultsView.col.dialog"),
      key: "dialog",
      render: (_, p) => p.dialogCount ?? "—",
    },
    {
      title: t("resultsView.col.taskId"),
      key: "taskId",
      render: (_, p) =>
        p.taskId === null ? (
          "—"
        ) : (
          <Typography.Text copyable style={{ fontSize: 12 }}>
            {p.taskId}
          </Typography.Text>
        ),
    },
    {
      title: t("resultsView.col.recording"),
      key: "recording",
      fixed: "right",
      render: (_, p) => {
        const button = (
          <Button
            size="small"
            icon={<PlayCircleOutlined />}
            disabled={!p.recordingAvailable}
            loading={opening === `${p.batchIndex}:${p.position}`}
            onClick={() => void openRecording(p)}
            data-testid="open-recording"
          >
            {t("resultsView.openRecording")}
          </Button>
        );
        if (p.recordingAvailable) return button;
        // A disabled button swallows hover events: the span carries the tooltip. An answered
        // call had a recording; a refresh asks for a fresh link.
        const expired =
          p.recordUrl !== null || p.recordExpiresAtMs !== null || p.outcome === "answered";
        return (
          <Tooltip
            title={expired ? t("resultsView.recordingExpired") : t("resultsView.recordingNone")}
          >
            <span data-testid="recording-unavailable">{button}</span>
          </Tooltip>
        );
      },
    },
  ];

  return (
    <>
      {loaded?.error && loaded.key === key && <ErrorAlert error={loaded.error} lang={lang} />}
      <Table<PersonResult>
        data-testid="results-table"
        size="small"
        rowKey={personKey}
        rowSelection={
          selected && onSelect
            ? {
                selectedRowKeys: [...selected.keys()],
                preserveSelectedRowKeys: true,
                onChange: (keys, rows) => {
                  // Rows of other pages are not in `rows`: their numbers come from before.
                  const next = new Map<string, string>();
                  const byKey = new Map(rows.filter(Boolean).map((r) => [personKey(r), r.number]));
                  for (const k of keys.map(String)) {
                    const number = byKey.get(k) ?? selected.get(k);
                    if (number !== undefined) next.set(k, number);
                  }
                  onSelect(next);
                },
              }
            : undefined
        }
        loading={loading}
        dataSource={people}
        columns={columns}
        scroll={{ x: "max-content" }}
        locale={{
          emptyText: loading ? " " : <Empty description={t("resultsView.tableEmpty")} />,
        }}
        pagination={{
          current: page,
          pageSize: PAGE_SIZE,
          total,
          showSizeChanger: false,
          hideOnSinglePage: true,
          showTotal: (n) => t("resultsView.totalRows", { n }),
          onChange: (next) => setPaging({ outcome, page: next }),
        }}
      />
    </>
  );
}
