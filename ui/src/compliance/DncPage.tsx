import { useEffect, useState } from "react";
import {
  App,
  Button,
  Card,
  Form,
  Input,
  Modal,
  Space,
  Table,
  Tag,
  Typography,
  type ButtonProps,
} from "antd";
import { DeleteOutlined, ExportOutlined, ImportOutlined, PlusOutlined } from "@ant-design/icons";
import { open, save } from "@tauri-apps/plugin-dialog";
import { useTranslation } from "react-i18next";
import { commands, type DncChange, type DncEntry, type DncPage as Page } from "../bindings";
import { call } from "../api/errors";
import { useShowError } from "../api/feedback";
import { SHEET_EXTENSIONS } from "../steps/ImportStep";
import { DncChangeResult } from "./DncChangeResult";
import { chinaDateTime, splitNumbers } from "./dncText";

export const DNC_PAGE_SIZE = 50;

const SOURCE_COLOR: Record<DncEntry["source"], string> = {
  manual: "blue",
  import: "geekblue",
  results: "magenta",
};

/** 免打扰名单: the numbers SmartDial never calls, kept in the local database. */
export function DncPage() {
  const { t } = useTranslation();
  const { modal, message } = App.useApp();
  const showError = useShowError();
  const [search, setSearch] = useState("");
  const [pageNo, setPageNo] = useState(1);
  const [reloadKey, setReloadKey] = useState(0);
  const key = `${pageNo}:${reloadKey}:${search}`;
  const [loaded, setLoaded] = useState<{ key: string; page: Page | null } | null>(null);
  const [selected, setSelected] = useState<string[]>([]);
  const [adding, setAdding] = useState(false);
  const [busy, setBusy] = useState<"add" | "remove" | "import" | "export" | null>(null);
  const [addForm] = Form.useForm<{ numbers: string; reason: string }>();
  useEffect(() => {
    // Answers to an older search or page may arrive late; only the current one counts.
    let cancelled = false;
    const trimmed = search.trim();
    call(() =>
      commands.dncList(
        trimmed.length > 0 ? trimmed : null,
        (pageNo - 1) * DNC_PAGE_SIZE,
        DNC_PAGE_SIZE,
      ),
    ).then(
      (page) => !cancelled && setLoaded({ key, page }),
      (err) => {
        if (cancelled) return;
        showError(err);
        setLoaded((prev) => ({ key, page: prev?.page ?? null }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [key, search, pageNo, showError]);

  const data = loaded?.page ?? null;
  const loading = loaded?.key !== key;
  const reload = () => setReloadKey((k) => k + 1);

  const report = (change: DncChange, kind: "add" | "remove") => {
    if (change.notNumberCount > 0) {
      modal.warning({
        title: t("dnc.someNotNumbers"),
        content: <DncChangeResult change={change} kind={kind} />,
      });
    } else {
      void message.success(
        kind === "add"
          ? t("dnc.added", { changed: change.changed, unchanged: change.unchanged })
          : t("dnc.removed", { changed: change.changed, unchanged: change.unchanged }),
      );
    }
  };

  const add = async (values: { numbers: string; reason?: string }) => {
    const numbers = splitNumbers(values.numbers ?? "");
    if (numbers.length === 0) return;
    const reason = values.reason?.trim() ?? "";
    setBusy("add");
    try {
      const change = await call(() =>
        commands.dncAdd(numbers, reason.length > 0 ? reason : null, false),
      );
      setAdding(false);
      addForm.resetFields();
      report(change, "add");
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const removeSelected = () => {
    modal.confirm({
      title: t("dnc.removeTitle", { count: selected.length }),
      content: t("dnc.removeContent"),
      okText: t("dnc.removeOk"),
      okButtonProps: { danger: true, ...({ "data-testid": "confirm-dnc-remove" } as ButtonProps) },
      cancelText: t("common.cancel"),
      onOk: async () => {
        setBusy("remove");
        try {
          const change = await call(() => commands.dncRemove(selected));
          setSelected([]);
          report(change, "remove");
          reload();
        } catch (err) {
          showError(err);
        } finally {
          setBusy(null);
        }
      },
    });
  };

  const importSheet = async () => {
    try {
      const picked = await open({
        multiple: false,
        directory: false,
        filters: [{ name: t("import.filterName"), extensions: SHEET_EXTENSIONS }],
      });
      if (typeof picked !== "string") return;
      setBusy("import");
      const change = await call(() => commands.dncImport(picked, null));
      report(change, "add");
      reload();
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  const exportList = async () => {
    try {
      const target = await save({
        defaultPath: t("dnc.exportFile"),
        filters: [{ name: "Excel", extensions: ["xlsx"] }],
      });
      if (!target) return;
      setBusy("export");
      const count = await call(() => commands.dncExport(target));
      void message.success(t("dnc.exported", { count, path: target }));
    } catch (err) {
      showError(err);
    } finally {
      setBusy(null);
    }
  };

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="dnc-page">
      <Typography.Paragraph type="secondary">{t("dnc.intro")}</Typography.Paragraph>
      <Card
        title={
          <Input.Search
            allowClear
            placeholder={t("dnc.searchPlaceholder")}
            onSearch={(value) => {
              setPageNo(1);
              setSearch(value);
            }}
            style={{ maxWidth: 320 }}
            data-testid="dnc-search"
          />
        }
        extra={
          <Space wrap>
            <Button
              type="primary"
              icon={<PlusOutlined />}
              onClick={() => setAdding(true)}
              data-testid="dnc-add"
            >
              {t("dnc.add")}
            </Button>
            <Button
              danger
              icon={<DeleteOutlined />}
              disabled={selected.length === 0}
              loading={busy === "remove"}
              onClick={removeSelected}
              data-testid="dnc-remove"
            >
              {t("dnc.remove", { count: selected.length })}
            </Button>
            <Button
              icon={<ImportOutlined />}
              loading={busy === "import"}
              onClick={() => void importSheet()}
              data-testid="dnc-import"
            >
              {t("dnc.import")}
            </Button>
            <Button
              icon={<ExportOutlined />}
              loading={busy === "export"}
              disabled={!data || data.total === 0}
              onClick={() => void exportList()}
              data-testid="dnc-export"
            >
              {t("dnc.export")}
            </Button>
          </Space>
        }
      >
        <Table<DncEntry>
          rowKey="number"
          size="small"
          loading={loading}
          dataSource={data?.entries ?? []}
          rowSelection={{
            selectedRowKeys: selected,
            onChange: (keys) => setSelected(keys.map(String)),
            preserveSelectedRowKeys: true,
          }}
          pagination={{
            current: pageNo,
            pageSize: DNC_PAGE_SIZE,
            total: data?.total ?? 0,
            showSizeChanger: false,
            showTotal: (total) => t("dnc.total", { count: total }),
            onChange: setPageNo,
          }}
          locale={{ emptyText: search ? t("dnc.noMatch") : t("dnc.empty") }}
          columns={[
            { title: t("dnc.col.number"), dataIndex: "number", width: 160 },
            {
              title: t("dnc.col.reason"),
              dataIndex: "reason",
              render: (r: string | null) =>
                r ?? <Typography.Text type="secondary">—</Typography.Text>,
            },
            {
              title: t("dnc.col.added"),
              dataIndex: "addedAtMs",
              width: 170,
              render: (ms: number) => chinaDateTime(ms),
            },
            {
              title: t("dnc.col.source"),
              dataIndex: "source",
              width: 120,
              render: (s: DncEntry["source"]) => (
                <Tag color={SOURCE_COLOR[s]}>{t(`dnc.source.${s}`)}</Tag>
              ),
            },
          ]}
          data-testid="dnc-table"
        />
      </Card>

      <Modal
        open={adding}
        title={t("dnc.addTitle")}
        okText={t("dnc.addOk")}
        cancelText={t("common.cancel")}
        confirmLoading={busy === "add"}
        onOk={() => addForm.submit()}
        onCancel={() => setAdding(false)}
        okButtonProps={{ ...({ "data-testid": "dnc-add-ok" } as ButtonProps) }}
        destroyOnHidden
      >
        <Form form={addForm} layout="vertical" onFinish={(v) => void add(v)}>
          <Form.Item
            name="numbers"
            label={t("dnc.numbers")}
            extra={t("dnc.numbersHelp")}
            rules={[
              {
                validator: (_, value: string | undefined) =>
                  splitNumbers(value ?? "").length > 0
                    ? Promise.resolve()
                    : Promise.reject(new Error(t("dnc.numbersRequired"))),
              },
            ]}
          >
            <Input.TextArea rows={5} data-testid="dnc-numbers" />
          </Form.Item>
          <Form.Item name="reason" label={t("dnc.reason")} extra={t("dnc.reasonHelp")}>
            <Input maxLength={200} data-testid="dnc-reason" />
          </Form.Item>
        </Form>
      </Modal>
    </Space>
  );
}
