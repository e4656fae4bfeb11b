import { useCallback, useEffect, useState } from "react";
import {
  Alert,
  App,
  Button,
  Card,
  Empty,
  Input,
  Popconfirm,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import type { ButtonProps } from "antd";
import { DownloadOutlined, FileExcelOutlined, InboxOutlined } from "@ant-design/icons";
import { getCurrentWebview } from "@tauri-apps/api/webview";
import { open, save } from "@tauri-apps/plugin-dialog";
import { useTranslation } from "react-i18next";
import { commands } from "../bindings";
import { IpcError, call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { useWizard } from "../state/wizard";
import { SheetPreview } from "./SheetPreview";
import { StepFooter } from "./common";

/** The user stopped the read: nothing to report. */
function cancelled(err: unknown): boolean {
  return err instanceof IpcError && err.code === "sheet.cancelled";
}

export const SHEET_EXTENSIONS = ["xlsx", "xlsm", "xlsb", "xls", "ods", "csv", "txt"];

/** Step 1: choose the file, the sheet and the header row. */
export function ImportStep() {
  const { t } = useTranslation();
  const { loc } = useSession();
  const { state, dispatch } = useWizard();
  const { message } = App.useApp();
  const showError = useShowError();
  const [path, setPath] = useState(state.path);
  const [loading, setLoading] = useState<"file" | "sheet" | null>(null);
  const [dragging, setDragging] = useState(false);
  const [savingTemplate, setSavingTemplate] = useState(false);
  const overview = state.overview;

  const openPath = useCallback(
    async (raw: string) => {
      const target = raw.trim();
      if (!target) return;
      setPath(target);
      setLoading("file");
      try {
        const result = await call(() => commands.openSheet(target));
        dispatch({ type: "sheetOpened", path: target, overview: result });
      } catch (err) {
        if (!cancelled(err)) showError(err);
      } finally {
        setLoading(null);
      }
    },
    [dispatch, showError],
  );

  // Tauri hands dropped files over as paths; in a plain browser this is simply absent.
  useEffect(() => {
    let unlisten: (() => void) | null = null;
    let disposed = false;
    try {
      getCurrentWebview()
        .onDragDropEvent((event) => {
          const p = event.payload;
          if (p.type === "enter" || p.type === "over") setDragging(true);
          else if (p.type === "leave") setDragging(false);
          else if (p.type === "drop") {
            setDragging(false);
            const first = p.paths[0];
            if (first) void openPath(first);
          }
        })
        .then(
          (fn) => {
            if (disposed) fn();
            else unlisten = fn;
          },
          () => undefined,
        );
    } catch {
      // Not running inside Tauri (tests, plain browser): the button and path field remain.
    }
    return () => {
      disposed = true;
      unlisten?.();
    };
  }, [openPath]);

  const choose = async () => {
    try {
      const picked = await open({
        multiple: false,
        directory: false,
        filters: [{ name: t("import.filterName"), extensions: SHEET_EXTENSIONS }],
      });
      if (typeof picked === "string") await openPath(picked);
    } catch (err) {
      showError(err);
    }
  };

  const downloadTemplate = async () => {
    try {
      const target = await save({
        defaultPath: t("import.templateFile"),
        filters: [{ name: "Excel", extensions: ["xlsx"] }],
      });
      if (!target) return;
      setSavingTemplate(true);
      await call(() => commands.saveTemplate(target));
      void message.success(t("import.templateSaved", { path: target }));
    } catch (err) {
      showError(err);
    } finally {
      setSavingTemplate(false);
    }
  };

  const pickSheet = async (sheet: string) => {
    setLoading("sheet");
    try {
      dispatch({ type: "sheetChanged", overview: await call(() => commands.selectSheet(sheet)) });
    } catch (err) {
      if (!cancelled(err)) showError(err);
    } finally {
      setLoading(null);
    }
  };

  // The read goes on in Rust until it sees the flag; the spinner stops when it answers.
  const cancelRead = () => void call(() => commands.cancelSheetRead()).catch(showError);

  const preview = overview?.preview;
  const columnCount = preview
    ? Math.max(preview.columns, ...preview.rows.map((r) => r.cells.length), 0)
    : 0;
  const headerRow = state.headerRow;
  // Core decided which sheet to read and whether it has a usable phone column; without one
  // the wizard never moves on silently.
  const noPhones = overview?.choice?.hasPhoneColumn === false;
  const otherSheets = overview
    ? overview.sheets.filter((s) => s.name !== preview?.sheet && !s.hidden)
    : [];

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-import">
      <Card>
        <Spin spinning={loading === "file"} description={t("import.reading")}>
          <div
            className={`drop-zone${dragging ? " drop-zone-active" : ""}`}
            data-testid="drop-zone"
          >
            <InboxOutlined className="drop-zone-icon" />
            <Typography.Title level={5} style={{ margin: "8px 0 4px" }}>
              {t("import.dropTitle")}
            </Typography.Title>
            <Typography.Text type="secondary">{t("import.dropHint")}</Typography.Text>
            <div style={{ marginTop: 16 }}>
              <Space wrap>
                <Button
                  type="primary"
                  icon={<FileExcelOutlined />}
                  onClick={() => void choose()}
                  data-testid="import-choose"
                >
                  {t("import.choose")}
                </Button>
                <Button
                  icon={<DownloadOutlined />}
                  onClick={() => void downloadTemplate()}
                  loading={savingTemplate}
                  data-testid="import-template"
                >
                  {t("import.template")}
                </Button>
              </Space>
            </div>
          </div>
          <Space.Compact style={{ width: "100%", marginTop: 16 }}>
            <Input
              value={path}
              onChange={(e) => setPath(e.target.value)}
              onPressEnter={() => void openPath(path)}
              placeholder={t("import.pathPlaceholder")}
              data-testid="import-path"
              spellCheck={false}
            />
            <Button
              onClick={() => void openPath(path)}
              disabled={!path.trim()}
              loading={loading === "file"}
              data-testid="import-open"
            >
              {t("import.open")}
            </Button>
          </Space.Compact>
        </Spin>
        {loading !== null && (
          <Button style={{ marginTop: 12 }} onClick={cancelRead} data-testid="import-cancel">
            {t("import.cancelRead")}
          </Button>
        )}
      </Card>

      {overview && preview ? (
        <Card
          title={
            <Space>
              <FileExcelOutlined />
              <span data-testid="import-file-name">{overview.fileName}</span>
            </Space>
          }
        >
          <Spin spinning={loading === "sheet"}>
            <Space wrap size="large" style={{ marginBottom: 16 }}>
              <Space>
                <Typography.Text strong>{t("import.sheet")}</Typography.Text>
                <Select
                  style={{ minWidth: 200 }}
                  value={preview.sheet}
                  onChange={(s) => void pickSheet(s)}
                  data-testid="import-sheet"
                  options={overview.sheets.map((s) => ({
                    value: s.name,
                    label: (
                      <Space>
                        {s.name}
                        {s.hidden && <Tag color="orange">{t("import.hiddenSheet")}</Tag>}
                      </Space>
                    ),
                  }))}
                />
              </Space>
              <Space>
                <Typography.Text strong>{t("import.headerRow")}</Typography.Text>
                <Select
                  style={{ width: 140 }}
                  value={headerRow ?? undefined}
                  onChange={(row: number) => dispatch({ type: "headerRow", row })}
                  data-testid="import-header-row"
                  options={preview.rows.map((r) => ({
                    value: r.row,
                    label: t("import.rowN", { row: r.row }),
                  }))}
                />
              </Space>
              <Typography.Text type="secondary" data-testid="import-total-rows">
                {t("import.totalRows", { rows: preview.totalRows, columns: preview.columns })}
              </Typography.Text>
            </Space>
            {preview.detectedHeaderRow === null && (
              <Alert
                type="info"
                showIcon
                style={{ marginBottom: 12 }}
                title={t("import.noHeaderDetected")}
              />
            )}
            {preview.notices.map((n) => (
              <Alert
                key={n.code}
                type={n.code === "sheet.chosen" ? "success" : "warning"}
                showIcon
                style={{ marginBottom: 12 }}
                title={loc(n.message)}
                data-testid={`import-notice-${n.code}`}
                action={
                  n.code === "sheet.no_phone_column" && otherSheets.length > 0 ? (
                    <Space orientation="vertical" size={4}>
                      {otherSheets.map((s) => (
                        <Button
                          key={s.name}
                          size="small"
                          onClick={() => void pickSheet(s.name)}
                          data-testid="import-other-sheet"
                        >
                          {t("import.openOtherSheet", { sheet: s.name })}
                        </Button>
                      ))}
                    </Space>
                  ) : undefined
                }
              />
            ))}
            <Typography.Paragraph type="secondary">{t("import.headerHelp")}</Typography.Paragraph>
            <SheetPreview
              rows={preview.rows}
              columnCount={columnCount}
              headerRow={headerRow}
              onPick={(row) => dispatch({ type: "headerRow", row })}
            />
          </Spin>
        </Card>
      ) : (
        !loading && (
          <Card>
            <Empty description={t("import.empty")} />
          </Card>
        )
      )}

      <StepFooter
        right={
          noPhones ? (
            <>
              <Typography.Text type="warning" data-testid="to-map-why">
                {t("import.noPhonesNext")}
              </Typography.Text>
              <Popconfirm
                title={t("import.noPhonesConfirmTitle")}
                description={t("import.noPhonesConfirm")}
                okText={t("import.noPhonesGoOn")}
                cancelText={t("import.noPhonesStay")}
                onConfirm={() => dispatch({ type: "goto", step: "map" })}
                okButtonProps={{ "data-testid": "to-map-anyway" } as ButtonProps}
              >
                <Button
                  type="primary"
                  size="large"
                  disabled={headerRow === null}
                  data-testid="to-map"
                >
                  {t("common.next")}
                </Button>
              </Popconfirm>
            </>
          ) : (
            <Button
              type="primary"
              size="large"
              disabled={!overview || headerRow === null}
              onClick={() => dispatch({ type: "goto", step: "map" })}
              data-testid="to-map"
            >
              {t("common.next")}
            </Button>
          )
        }
      />
    </Space>
  );
}
