import { useEffect, useMemo, useRef, useState } from "react";
import {
  Alert,
  Button,
  Card,
  Checkbox,
  Empty,
  Form,
  Input,
  List,
  Select,
  Space,
  Spin,
  Tag,
  Typography,
} from "antd";
import { PlusOutlined } from "@ant-design/icons";
import { useTranslation } from "react-i18next";
import {
  commands,
  type ColumnInfo,
  type ContactRow,
  type MappingChoice,
  type MappingProposal,
  type MatchKind,
} from "../bindings";
import { call, toIpcError, type IpcError } from "../api/errors";
import { useShowError } from "../api/feedback";
import { useSession } from "../state/session";
import { useWizard, type MappingDraft } from "../state/wizard";
import { StepFooter } from "./common";

function columnLabel(c: ColumnInfo, emptyHeader: string): string {
  return `${c.letter} · ${c.header.trim() || emptyHeader}`;
}

/** The choice Rust needs, or null while the phone column or a variable is unmatched. */
export function mappingChoice(
  headerRow: number | null,
  variables: string[],
  draft: MappingDraft,
): MappingChoice | null {
  if (headerRow === null || draft.phoneColumn === null) return null;
  const vars = [];
  for (const name of variables) {
    const column = draft.columns[name];
    if (column === null || column === undefined) return null;
    vars.push({ name, column });
  }
  return {
    headerRow,
    mapping: { phoneColumn: draft.phoneColumn, variables: vars },
    allowEmptyVariables: draft.allowEmpty,
  };
}

/** Step 2: the phone column and the script's variables. */
export function MapStep() {
  const { t } = useTranslation();
  const { lang } = useSession();
  const { state, dispatch } = useWizard();
  const showError = useShowError();
  const [newVar, setNewVar] = useState("");
  const [varError, setVarError] = useState<string | null>(null);
  // Results are kept with the input they belong to: "loading" means the key moved on.
  const [proposed, setProposed] = useState<{
    key: string;
    proposal: MappingProposal | null;
    error: IpcError | null;
  } | null>(null);
  const [sampled, setSampled] = useState<{
    key: string;
    rows: ContactRow[] | null;
    error: IpcError | null;
  } | null>(null);
  const [applying, setApplying] = useState(false);
  // What Rust validated last, so Next does not validate the same choice twice.
  const applied = useRef<string | null>(null);
  const { headerRow, variables, mapping } = state;
  const proposalKey = JSON.stringify([headerRow, variables]);
  const proposing = headerRow !== null && proposed?.key !== proposalKey;
  const proposal = proposed?.proposal ?? null;
  const proposeError = proposed?.key === proposalKey ? proposed.error : null;

  const how = (kind: MatchKind | null) => (kind ? t(`map.how.${kind}`) : t("map.how.none"));

  // Ask Rust for the columns and its best guess whenever the header row or variables change;
  // the user's own picks win over the guess.
  useEffect(() => {
    if (headerRow === null) return;
    let cancelled = false;
    const key = JSON.stringify([headerRow, variables]);
    call(() => commands.proposeMapping(headerRow, variables)).then(
      (p) => {
        if (cancelled) return;
        setProposed({ key, proposal: p, error: null });
        dispatch({ type: "proposed", columns: p.columns, suggestion: p.suggestion });
      },
      (err: IpcError) => {
        if (!cancelled)
          setProposed((old) => ({ key, proposal: old?.proposal ?? null, error: err }));
      },
    );
    return () => {
      cancelled = true;
    };
  }, [headerRow, variables, dispatch]);

  const choice = useMemo(
    () => mappingChoice(headerRow, variables, mapping),
    [headerRow, variables, mapping],
  );
  const choiceKey = choice ? JSON.stringify(choice) : null;

  // Live preview: validate with the current choice (debounced) and show the first people.
  useEffect(() => {
    if (!choice || !proposal || choiceKey === null) return;
    let cancelled = false;
    const key = choiceKey;
    const timer = window.setTimeout(() => {
      call(() => commands.applyMapping(choice))
        .then(async (summary) => {
          if (cancelled) return;
          applied.current = key;
          dispatch({ type: "summary", summary });
          // The first three people who will actually be called (skipping rows with problems).
          const page = await call(() => commands.contactPage(0, 50, false));
          const callable = page.rows.filter((r) => r.status === "valid" || r.status === "fixed");
          if (!cancelled) setSampled({ key, rows: callable.slice(0, 3), error: null });
        })
        .catch((err: IpcError) => {
          if (!cancelled) setSampled({ key, rows: null, error: err });
        });
    }, 400);
    return () => {
      cancelled = true;
      window.clearTimeout(timer);
    };
    // choiceKey stands for choice's content.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [choiceKey, proposal, dispatch]);

  const sampling = choiceKey !== null && sampled?.key !== choiceKey;
  const sample = sampled?.key === choiceKey ? sampled.rows : null;
  const sampleError = sampled?.key === choiceKey ? sampled.error : null;

  // The core says whether a name can be a variable (its TtsParamHead rule).
  const addVariable = async () => {
    const typed = newVar;
    if (!typed.trim()) return;
    try {
      const name = await call(() => commands.checkVariable(typed, variables));
      setVarError(null);
      // Whatever was typed while the answer came stays.
      setNewVar((current) => (current === typed ? "" : current));
      dispatch({ type: "variables", variables: [...variables, name] });
    } catch (err) {
      setVarError(toIpcError(err).text(lang).message);
    }
  };

  const removeVariable = (name: string) => {
    const columns = { ...mapping.columns };
    delete columns[name];
    dispatch({ type: "mapping", mapping: { ...mapping, columns } });
    dispatch({ type: "variables", variables: variables.filter((v) => v !== name) });
  };

  const next = async () => {
    if (!choice) return;
    setApplying(true);
    try {
      if (applied.current !== JSON.stringify(choice) || !state.summary) {
        const summary = await call(() => commands.applyMapping(choice));
        applied.current = JSON.stringify(choice);
        dispatch({ type: "summary", summary });
      }
      dispatch({ type: "goto", step: "review" });
    } catch (err) {
      showError(err);
    } finally {
      setApplying(false);
    }
  };

  const columnOptions = (proposal?.columns ?? []).map((c) => ({
    value: c.index,
    label: columnLabel(c, t("map.emptyHeader")),
  }));
  const phoneSuggestion = proposal?.suggestion;
  const phoneHow =
    phoneSuggestion && mapping.phoneColumn === phoneSuggestion.phoneColumn?.index
      ? phoneSuggestion.phoneHow
      : "manual";

  return (
    <Space orientation="vertical" size="large" style={{ width: "100%" }} data-testid="step-map">
      <Card title={t("map.variablesTitle")}>
        <Typography.Paragraph type="secondary">{t("map.variablesHelp")}</Typography.Paragraph>
        <Space.Compact style={{ maxWidth: 420, width: "100%" }}>
          <Input
            value={newVar}
            onChange={(e) => {
              setNewVar(e.target.value);
              setVarError(null);
            }}
            onPressEnter={() => void addVariable()}
            placeholder={t("map.variablePlaceholder")}
            status={varError ? "error" : undefined}
            data-testid="variable-name"
          />
          <Button
            icon={<PlusOutlined />}
            onClick={() => void addVariable()}
            data-testid="variable-add"
          >
            {t("map.addVariable")}
          </Button>
        </Space.Compact>
        {varError && (
          <Typography.Text type="danger" style={{ display: "block", marginTop: 4 }}>
            {varError}
          </Typography.Text>
        )}
        <div style={{ marginTop: 12 }} data-testid="variable-tags">
          {variables.length === 0 ? (
            <Typography.Text type="secondary">{t("map.noVariables")}</Typography.Text>
          ) : (
            variables.map((v) => (
              <Tag key={v} closable onClose={() => removeVariable(v)} color="blue">
                {v}
              </Tag>
            ))
          )}
        </div>
      </Card>

      <Card title={t("map.columnsTitle")}>
        <Spin spinning={proposing}>
          {proposeError && (
            <Alert
              type="error"
              showIcon
              style={{ marginBottom: 16 }}
              title={proposeError.text(lang).message}
              description={proposeError.text(lang).hint}
            />
          )}
          <Form layout="horizontal" labelCol={{ flex: "160px" }} labelWrap>
            <Form.Item label={t("map.phoneColumn")} required>
              <Space wrap>
                <Select
                  style={{ minWidth: 260 }}
                  value={mapping.phoneColumn ?? undefined}
                  placeholder={t("map.pickColumn")}
                  onChange={(c: number) =>
                    dispatch({ type: "mapping", mapping: { ...mapping, phoneColumn: c } })
                  }
                  options={columnOptions}
                  showSearch={{ optionFilterProp: "label" }}
                  data-testid="phone-column"
                />
                {mapping.phoneColumn !== null && (
                  <Tag color={phoneHow === "manual" ? "default" : "green"} data-testid="phone-how">
                    {how(phoneHow)}
                  </Tag>
                )}
              </Space>
            </Form.Item>
            {variables.map((name) => {
              const suggestion = proposal?.suggestion.variables.find((v) => v.name === name);
              const column = mapping.columns[name] ?? null;
              // A variable just added waits for Rust's match, so its picker never shows an
              // empty choice that is about to be filled (and Next is not clicked too early).
              const waiting = proposing && !suggestion;
              const kind =
                suggestion && column !== null && column === suggestion.column?.index
                  ? suggestion.how
                  : column !== null
                    ? "manual"
                    : null;
              return (
                <Form.Item
                  key={name}
                  label={t("map.variableLabel", { name })}
                  required
                  validateStatus={column === null && proposal && !waiting ? "warning" : undefined}
                  help={column === null && proposal && !waiting ? t("map.unmatched") : undefined}
                >
                  {waiting ? (
                    <Spin size="small" />
                  ) : (
                    <Space wrap>
                      <Select
                        style={{ minWidth: 260 }}
                        value={column ?? undefined}
                        placeholder={t("map.pickColumn")}
                        onChange={(c: number) =>
                          dispatch({
                            type: "mapping",
                            mapping: { ...mapping, columns: { ...mapping.columns, [name]: c } },
                          })
                        }
                        options={columnOptions}
                        showSearch={{ optionFilterProp: "label" }}
                        data-testid={`variable-column-${name}`}
                      />
                      {column !== null && (
                        <Tag color={kind === "manual" ? "default" : "green"}>{how(kind)}</Tag>
                      )}
                    </Space>
                  )}
                </Form.Item>
              );
            })}
            <Form.Item label=" " colon={false}>
              <Checkbox
                checked={mapping.allowEmpty}
                onChange={(e) =>
                  dispatch({
                    type: "mapping",
                    mapping: { ...mapping, allowEmpty: e.target.checked },
                  })
                }
                data-testid="allow-empty"
              >
                {t("map.allowEmpty")}
              </Checkbox>
            </Form.Item>
          </Form>
        </Spin>
      </Card>

      <Card title={t("map.previewTitle")} data-testid="map-preview">
        <Spin spinning={sampling}>
          {sampleError ? (
            <Alert
              type="error"
              showIcon
              title={sampleError.text(lang).message}
              description={sampleError.text(lang).hint}
            />
          ) : !choice ? (
            <Empty description={t("map.previewNeedsMapping")} />
          ) : sample && sample.length > 0 ? (
            <List
              dataSource={sample}
              renderItem={(r) => (
                <List.Item data-testid="map-preview-row">
                  <List.Item.Meta
                    title={
                      <Space>
                        <Typography.Text strong>{r.number ?? r.original}</Typography.Text>
                        <Typography.Text type="secondary">
                          {t("map.sheetRow", { row: r.row })}
                        </Typography.Text>
                      </Space>
                    }
                    description={
                      variables.length === 0
                        ? t("map.noVariablesSample")
                        : variables.map((v, i) => `${v}=${r.values[i] ?? ""}`).join(", ")
                    }
                  />
                </List.Item>
              )}
            />
          ) : (
            <Empty description={t("map.previewEmpty")} />
          )}
        </Spin>
      </Card>

      <StepFooter
        left={
          <Button size="large" onClick={() => dispatch({ type: "goto", step: "import" })}>
            {t("common.back")}
          </Button>
        }
        right={
          proposing ? (
            // Until Rust's match is in, the button is a placeholder: a click now would be
            // lost on a button about to become enabled.
            <Button type="primary" size="large" loading>
              {t("map.apply")}
            </Button>
          ) : (
            <Button
              type="primary"
              size="large"
              disabled={!choice}
              loading={applying}
              onClick={() => void next()}
              data-testid="apply-mapping"
            >
              {t("map.apply")}
            </Button>
          )
        }
      />
    </Space>
  );
}
