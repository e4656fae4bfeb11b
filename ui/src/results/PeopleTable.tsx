import { useEffect, useState, type Key } from "react";
import { Button, Empty, Space, Table, Tag, Tooltip, Typography } from "antd";
import type { ColumnsType } from "antd/es/table";
import { InfoCircleOutlined, PlayCircleOutlined, ProfileOutlined } from "@ant-design/icons";
import { commands, type CallOutcome, type Localized, type PersonResult } from "../bindings";
import { call, type IpcError } from "../api/errors";
import { ErrorAlert } from "./ErrorAlert";
import { useTranslation } from "react-i18next";
import { langOf, loc } from "../i18n/localized";
import { formatDuration, OUTCOME_STYLE } from "./outcome";
import { callTimeText } from "./callTime";
import { PersonDetails } from "./PersonDetails";

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
 * Everyone in the campaign (or only one outcome, or those matching a search), a page at a
 * time from `results_page`. The table speaks outcomes; a row's details (expand it) hold the
 * recording, the conversation and the raw API values. `reloadKey` changes after a refresh so
 * the current page is read again.
 */
export function PeopleTable({
  campaignId,
  outcome,
  search = "",
  variableNames,
  hangupNote,
  reloadKey,
  selected,
  onSelect,
}: {
  campaignId: number;
  outcome: CallOutcome | null;
  /** Words every shown person matches (number, variables, tags, what was said). */
  search?: string;
  variableNames: string[];
  hangupNote: Localized;
  reloadKey: number;
  /** Chosen people (row key → number), kept across pages and filters. */
  selected?: ReadonlyMap<string, string>;
  onSelect?: (next: Map<string, string>) => void;
}) {
  const { t, i18n } = useTranslation();
  const lang = langOf(i18n.language);
  // The page belongs to one filter: a new filter or search starts again at page 1.
  const filter = `${outcome ?? "all"}|${search}`;
  const [paging, setPaging] = useState<{ filter: string; page: number }>({ filter, page: 1 });
  const page = paging.filter === filter ? paging.page : 1;
  const [loaded, setLoaded] = useState<Loaded | null>(null);
  const [expanded, setExpanded] = useState<readonly Key[]>([]);
  const key = `${campaignId}:${filter}:${page}:${reloadKey}`;

  useEffect(() => {
    let cancelled = false;
    const offset = (page - 1) * PAGE_SIZE;
    const words = search.trim() === "" ? null : search.trim();
    call(() => commands.resultsPage(campaignId, offset, PAGE_SIZE, outcome, words)).then(
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
  }, [campaignId, outcome, search, page, key]);

  const loading = loaded?.key !== key;
  const people = loaded?.people ?? [];
  const total = loaded?.total ?? 0;

  const toggle = (p: PersonResult) => {
    const k = personKey(p);
    setExpanded((keys) => (keys.includes(k) ? keys.filter((x) => x !== k) : [...keys, k]));
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
        <Tag color={OUTCOME_STYLE[p.outcome].tag} data-testid="person-outcome">
          {loc(p.outcomeLabel, lang)}
        </Tag>
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
      render: (_, p) => (
        // China time on the first line, this computer's time wrapping under it: the column
        // stays narrow enough for the row's actions to stay on screen at 1280 px.
        <span data-testid="person-call-time" style={{ display: "inline-block", maxWidth: 170 }}>
          {callTimeText(p.callTimeMs, p.callTime, lang)}
        </span>
      ),
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
        p.hangupRaw === null && p.hangup === "unknown" ? "—" : t(`resultsView.hangup.${p.hangup}`),
    },
    {
      title: t("resultsView.col.dialog"),
      key: "dialog",
      render: (_, p) => p.dialogCount ?? "—",
    },
    {
      title: t("resultsView.col.recording"),
      key: "recording",
      fixed: "right",
      render: (_, p) => (
        <Space size={4} wrap={false}>
          {p.recordingPath !== null ? (
            <Tooltip title={t("resultsView.evidence.recordingSaved")}>
              <Button
                size="small"
                type="link"
                icon={<PlayCircleOutlined />}
                onClick={() => toggle(p)}
                data-testid="play-recording"
              >
                {t("resultsView.evidence.play")}
              </Button>
            </Tooltip>
          ) : (
            <Typography.Text
              type="secondary"
              style={{ fontSize: 12 }}
              data-testid="recording-state"
            >
              {p.outcome === "answered"
                ? t("resultsView.evidence.recordingNotSaved")
                : t("resultsView.evidence.recordingNone")}
            </Typography.Text>
          )}
          <Button
            size="small"
            type="link"
            icon={<ProfileOutlined />}
            onClick={() => toggle(p)}
            data-testid="person-details-toggle"
          >
            {t("resultsView.evidence.details")}
          </Button>
        </Space>
      ),
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
        expandable={{
          expandedRowKeys: expanded,
          onExpandedRowsChange: (keys) => setExpanded(keys),
          expandedRowRender: (p) => <PersonDetails person={p} />,
          showExpandColumn: false,
        }}
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
          onChange: (next) => setPaging({ filter, page: next }),
        }}
      />
    </>
  );
}
