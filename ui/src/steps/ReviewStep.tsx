import { startTransition, useCallback, useMemo, useRef, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Col,
  Empty,
  Row,
  Space,
  Statistic,
  Switch,
  Tag,
  Tooltip,
  Typography,
  type ButtonProps,
} from "antd";
import { ExportOutlined, StopOutlined } from "@ant-design/icons";
import { save } from "@tauri-apps/plugin-dialog";
import { useTranslation } from "react-i18next";
import { commands, type ContactRow, type ContactSummary } from "../bindings";
import { call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { reviewBlocked, useWizard } from "../state/wizard";
import { VirtualRows } from "../components/VirtualRows";
import { ReviewRow, type RowActions } from "./ReviewRow";
import { StepFooter } from "./common";

export const PAGE_SIZE = 200;
// Tall enough for three lines of a do-not-call or limit reason.
// Tall enough for a reason or a full-width number on up to three lines.
export const ROW_HEIGHT = 64;
const LIST_HEIGHT = 480;

/** Step 3: what will be called, what will not, and why. */
export function ReviewStep() {
  const { t } = useTranslation();
  const { loc, settings } = useSession();
  const { state, dispatch } = useWizard();
  const { modal, message } = App.useApp();
  const showError = useShowError();
  const summary = state.summary;
  const [onlyProblems, setOnlyProblems] = useState(false);
  // Read by fetches already on their way, so a page is always fetched with the current filter.
  const onlyProblemsRef = useRef(false);
  const [total, setTotal] = useState<number | null>(null);
  const [, setVersion] = useState(0);
  const pages = useRef(new Map<number, ContactRow[]>());
  const inFlight = useRef(new Set<number>());
  const generation = useRef(0);
  const range = useRef<[number, number]>([0, 0]);
  const [editing, setEditing] = useState<{ row: number; text: string } | null>(null);
  const [busyRow, setBusyRow] = useState<number | null>(null);
  const [bulkBusy, setBulkBusy] = useState<"exclude" | "export" | null>(null);

  const fetchPage = useCallback(
    (page: number) => {
      if (pages.current.has(page) || inFlight.current.has(page)) return;
      inFlight.current.add(page);
      const gen = generation.current;
      call(() => commands.contactPage(page * PAGE_SIZE, PAGE_SIZE, onlyProblemsRef.current))
        .then(
          (result) => {
            if (gen !== generation.current) return;
            pages.current.set(page, result.rows);
            // Rows arriving are drawn between frames; placeholders hold their place meanwhile.
            startTransition(() => {
              setTotal(result.total);
              setVersion((v) => v + 1);
            });
          },
          (err) => {
            if (gen === generation.current) showError(err);
          },
        )
        .finally(() => inFlight.current.delete(page));
    },
    [showError],
  );

  const onRange = useCallback(
    (start: number, end: number) => {
      range.current = [start, end];
      const first = Math.floor(start / PAGE_SIZE);
      const last = Math.floor(Math.max(start, end - 1) / PAGE_SIZE);
      for (let p = first; p <= last; p++) fetchPage(p);
    },
    [fetchPage],
  );

  /** Forgets every fetched page (after an edit or a filter change) and refetches what is in view. */
  const invalidate = useCallback(() => {
    generation.current += 1;
    pages.current = new Map();
    inFlight.current = new Set();
    const [start, end] = range.current;
    onRange(start, end);
  }, [onRange]);

  const updated = useCallback(
    (next: ContactSummary) => {
      dispatch({ type: "summary", summary: next });
      invalidate();
    },
    [dispatch, invalidate],
  );

  // Stable, so memoised rows do not re-render while scrolling.
  const actions = useMemo<RowActions>(
    () => ({
      edit: (row, text) => setEditing({ row, text }),
      cancel: () => setEditing(null),
      save: async (row, text) => {
        setBusyRow(row);
        try {
          updated(await call(() => commands.fixNumber(row, text)));
          setEditing(null);
        } catch (err) {
          showError(err);
        } finally {
          setBusyRow(null);
        }
      },
      toggle: async (r) => {
        setBusyRow(r.row);
        try {
          updated(await call(() => commands.excludeRow(r.row, r.status !== "excluded")));
        } catch (err) {
          showError(err);
        } finally {
          setBusyRow(null);
        }
      },
    }),
    [updated, showError],
  );

  const excludeAll = () => {
    modal.confirm({
      title: t("review.excludeAllTitle"),
      content: t("review.excludeAllContent", { count: summary?.invalid ?? 0 }),
      okText: t("review.excludeAllOk"),
      okButtonProps: { danger: true, ...({ "data-testid": "confirm-exclude-all" } as ButtonProps) },
      cancelText: t("common.cancel"),
      onOk: async () => {
        setBulkBusy("exclude");
        try {
          updated(await call(() => commands.excludeBlockingRows()));
        } catch (err) {
          showError(err);
        } finally {
          setBulkBusy(null);
        }
      },
    });
  };

  const exportProblems = async () => {
    try {
      const target = await save({
        defaultPath: t("review.exportFile"),
        filters: [{ name: "Excel", extensions: ["xlsx"] }],
      });
      if (!target) return;
      setBulkBusy("export");
      const count = await call(() => commands.exportProblems(target));
      void message.success(t("review.exported", { count, path: target }));
    } catch (err) {
      showError(err);
    } finally {
      setBulkBusy(null);
    }
  };

  if (!summary) {
    return (
      <Card data-testid="step-review">
        <Empty description={t("review.noContacts")}>
          <Button type="primary" onClick={() => dispatch({ type: "goto", step: "import" })}>
            {t("review.goImport")}
          </Button>
        </Empty>
      </Card>
    );
  }

  const blocked = reviewBlocked(summary);
  // Until the first page says how many rows match, assume one page's worth.
  const shownTotal = total ?? Math.min(PAGE_SIZE, summary.rows);
  const screened = summary.doNotCall + summary.overLimit;
  const problemsCount = summary.invalid + summary.duplicates + summary.warnings + screened;

  const setOnlyProblemsFilter = (checked: boolean) => {
    // The filter changes what every page holds.
    onlyProblemsRef.current = checked;
    setTotal(null);
    setOnlyProblems(checked);
    invalidate();
  };

  const renderRow = (index: number) => {
    const page = pages.current.get(Math.floor(index / PAGE_SIZE));
    const r = page?.[index % PAGE_SIZE];
    if (!r) {
      return (
        <div className="review-row">
          <span className="review-placeholder" />
        </div>
      );
    }
    return (
      <ReviewRow
        r={r}
        editingText={editing?.row === r.row ? editing.text : null}
        busy={busyRow === r.row}
        actions={actions}
        loc={loc}
      />
    );
  };

  const stat = (
    key: string,
    value: number,
    color?: string,
    help?: string,
    // Rows of these categories are among the problem rows: a click lists them.
    filter?: boolean,
  ) => (
    <Col xs={12} md={6} xl={3}>
      <Card
        size="small"
        hoverable={filter && value > 0}
        onClick={filter && value > 0 ? () => setOnlyProblemsFilter(true) : undefined}
        data-testid={filter ? `card-${key}` : undefined}
      >
        <Statistic
          title={
            help ? (
              <Tooltip title={help}>
                <span>{t(`review.counts.${key}` as "review.counts.valid")}</span>
              </Tooltip>
            ) : (
              t(`review.counts.${key}` as "review.counts.valid")
            )
          }
          value={value}
          styles={{ content: color ? { color } : undefined }}
          data-testid={`count-${key}`}
        />
      </Card>
    </Col>
  );

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-review">
      {state.recallOf !== null && (
        <Alert
          type="info"
          showIcon
          data-testid="review-recall"
          title={t("recall.reviewTitle", { name: state.recallOf.taskName })}
          description={t("recall.reviewHint")}
        />
      )}
      <Row gutter={[16, 16]}>
        {stat("valid", summary.valid, "#1f8a3b", t("review.help.valid"))}
        {stat("fixed", summary.fixed, "#0064c8", t("review.help.fixed"))}
        {stat("invalid", summary.invalid, summary.invalid > 0 ? "#d93026" : undefined)}
        {stat("duplicates", summary.duplicates, undefined, t("review.help.duplicates"))}
        {stat("excluded", summary.excluded)}
        {stat("landlines", summary.landlines, undefined, t("review.help.landlines"))}
        {stat(
          "doNotCall",
          summary.doNotCall,
          summary.doNotCall > 0 ? "#c41d7f" : undefined,
          t("review.help.doNotCall"),
          true,
        )}
        {stat(
          "overLimit",
          summary.overLimit,
          summary.overLimit > 0 ? "#531dab" : undefined,
          t("review.help.overLimit", {
            answered: settings?.calling.maxAnsweredPerDay ?? 1,
            attempts: settings?.calling.maxAttemptsPerDay ?? 3,
          }),
          true,
        )}
      </Row>
      {screened > 0 && (
        <Alert
          type="info"
          showIcon
          data-testid="review-screened"
          title={t("review.screened", { dnc: summary.doNotCall, limit: summary.overLimit })}
          description={t("review.screenedHint")}
        />
      )}
      <Typography.Text data-testid="review-sendable">
        {t("review.sendable", { count: summary.sendable, rows: summary.rows })}
        {summary.blankRows > 0 && ` ${t("review.blankRows", { count: summary.blankRows })}`}
      </Typography.Text>
      {summary.notices.map((n) => (
        <Alert key={n.code} type="warning" showIcon title={loc(n.message)} />
      ))}

      <Card
        title={
          <Space>
            <Switch
              checked={onlyProblems}
              onChange={setOnlyProblemsFilter}
              data-testid="only-problems"
              aria-label={t("review.onlyProblems")}
            />
            <span>{t("review.onlyProblems")}</span>
            {problemsCount > 0 && (
              <>
                <Tag color="red" data-testid="only-problems-count">
                  {problemsCount}
                </Tag>
                {/* The filter lists more than the "有问题" card counts: say what is in it. */}
                <Typography.Text
                  type="secondary"
                  style={{ fontWeight: "normal", whiteSpace: "normal" }}
                  data-testid="only-problems-parts"
                >
                  {[
                    ["invalid", summary.invalid],
                    ["duplicates", summary.duplicates],
                    ["warnings", summary.warnings],
                    ["screened", screened],
                  ]
                    .filter(([, n]) => (n as number) > 0)
                    .map(([k, n]) =>
                      t(`review.attention.${k as "invalid"}`, { count: n as number }),
                    )
                    .join(t("review.attention.separator"))}
                </Typography.Text>
              </>
            )}
          </Space>
        }
        extra={
          <Space>
            <Button
              icon={<StopOutlined />}
              danger
              disabled={summary.invalid === 0}
              loading={bulkBusy === "exclude"}
              onClick={excludeAll}
              data-testid="exclude-blocking"
            >
              {t("review.excludeAll")}
            </Button>
            <Button
              icon={<ExportOutlined />}
              loading={bulkBusy === "export"}
              disabled={problemsCount === 0}
              onClick={() => void exportProblems()}
              data-testid="export-problems"
            >
              {t("review.export")}
            </Button>
          </Space>
        }
        styles={{ body: { padding: 0 } }}
      >
        <div className="review-row review-head">
          <span>{t("review.col.row")}</span>
          <span>{t("review.col.original")}</span>
          <span>{t("review.col.number")}</span>
          <span>{t("review.col.status")}</span>
          <span>{t("review.col.reason")}</span>
          <span>{t("review.col.actions")}</span>
        </div>
        {total === 0 ? (
          <Empty
            style={{ padding: 32 }}
            description={onlyProblems ? t("review.noProblems") : t("review.noRows")}
          />
        ) : (
          <VirtualRows
            total={shownTotal}
            rowHeight={ROW_HEIGHT}
            height={Math.min(LIST_HEIGHT, Math.max(shownTotal, 1) * ROW_HEIGHT)}
            onRange={onRange}
            renderRow={renderRow}
            testId="review-table"
          />
        )}
      </Card>

      {blocked && (
        <Alert
          type={blocked === "invalid" ? "error" : "warning"}
          showIcon
          data-testid="review-blocked"
          title={
            blocked === "invalid"
              ? t("review.blockedInvalid", { count: summary.invalid })
              : t("review.blockedEmpty")
          }
          description={blocked === "invalid" ? t("review.blockedInvalidHint") : undefined}
        />
      )}

      <StepFooter
        left={
          <Button
            size="large"
            onClick={() =>
              dispatch({ type: "goto", step: state.recallOf !== null ? "results" : "map" })
            }
          >
            {t("common.back")}
          </Button>
        }
        right={
          <Button
            type="primary"
            size="large"
            disabled={blocked !== null}
            onClick={() => dispatch({ type: "goto", step: "settings" })}
            data-testid="to-settings"
          >
            {t("common.next")}
          </Button>
        }
      />
    </Space>
  );
}
