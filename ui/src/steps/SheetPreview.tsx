import { Radio } from "antd";
import { useTranslation } from "react-i18next";
import type { PreviewRow } from "../bindings";
import { columnLetter } from "./common";

/**
 * The first rows of the sheet, to pick the header row by clicking it.
 *
 * A plain table styled like Ant Design's small bordered one: antd's Table measures the
 * scrollbar and every column with forced layouts when it mounts, which made opening a
 * sheet the longest frame of the import in WebKitGTK; a dozen rows need none of that.
 * Wide sheets scroll sideways inside the box.
 */
export function SheetPreview({
  rows,
  columnCount,
  headerRow,
  onPick,
}: {
  rows: PreviewRow[];
  columnCount: number;
  headerRow: number | null;
  onPick: (row: number) => void;
}) {
  const { t } = useTranslation();
  const columns = Array.from({ length: columnCount }, (_, i) => i);
  const rowClass = (row: number) =>
    row === headerRow
      ? "preview-header-row"
      : headerRow !== null && row < headerRow
        ? "preview-above-header"
        : undefined;

  return (
    <div className="sheet-preview" data-testid="import-preview">
      {/* Full width, but never narrower than 140 px a column: wide sheets scroll. */}
      <table style={{ minWidth: 128 + columnCount * 140 }}>
        <thead>
          <tr>
            <th className="sheet-preview-pick">{t("import.isHeader")}</th>
            <th className="sheet-preview-row">#</th>
            {columns.map((i) => (
              <th key={i}>{columnLetter(i)}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.row} className={rowClass(r.row)} onClick={() => onPick(r.row)}>
              <td className="sheet-preview-pick">
                <Radio
                  checked={r.row === headerRow}
                  aria-label={t("import.rowN", { row: r.row })}
                />
              </td>
              <td className="sheet-preview-row">{r.row}</td>
              {columns.map((i) => {
                const text = r.cells[i] ?? "";
                return (
                  <td key={i} title={text}>
                    {text}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
