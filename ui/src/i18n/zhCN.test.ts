import { describe, expect, it } from "vitest";
import zhCN from "./zh-CN";

/**
 * Latin words a Chinese marketer meets anyway, each for a reason:
 * product and file-format names (SmartDial, and "smartdial" as the login name the key
 * guide suggests; Excel, WPS, LibreOffice, CSV, TXT, and the extensions shown in the file
 * picker), and the words Alibaba Cloud's console itself shows, which the marketer must
 * find there (AccessKey, Secret as in "AccessKey Secret", RAM, OpenAPI, ID).
 */
const ALLOWED = new Set([
  "SmartDial",
  "smartdial",
  "Excel",
  "WPS",
  "LibreOffice",
  "CSV",
  "TXT",
  "xlsx",
  "xls",
  "xlsm",
  "xlsb",
  "ods",
  "csv",
  "txt",
  "AccessKey",
  "ID",
  "RAM",
  "Secret",
  "OpenAPI",
]);

function leaves(node: unknown, path: string, out: [string, string][]) {
  if (typeof node === "string") out.push([path, node]);
  else if (node && typeof node === "object")
    for (const [k, v] of Object.entries(node)) leaves(v, path ? `${path}.${k}` : k, out);
  return out;
}

/** The English words of a zh-CN text that are not on the list. */
export function englishWords(text: string): string[] {
  // Interpolations ({{name}}) are filled in at run time; ${name} is the script's own
  // placeholder syntax, shown as the marketer will see it in the console, and the name
  // in it may be repeated on its own in the same text.
  const placeholders = new Set([...text.matchAll(/\$\{([^}]*)\}/g)].map((m) => m[1]));
  const stripped = text
    .replace(/\{\{[^}]*\}\}/g, " ")
    .replace(/\$\{[^}]*\}/g, " ")
    // Paths and addresses in examples (C:\Users\…, https://…) are not words.
    .replace(/[A-Za-z]:\\[^\s,，)）]*/g, " ")
    .replace(/https?:\/\/\S+/g, " ");
  return [...stripped.matchAll(/[A-Za-z][A-Za-z'-]*/g)]
    .map((m) => m[0])
    .filter((w) => !ALLOWED.has(w) && !placeholders.has(w));
}

describe("zh-CN texts", () => {
  it("hold no English words besides product names and unavoidable terms", () => {
    const found = leaves(zhCN, "", [])
      .map(([path, text]) => [path, englishWords(text)] as const)
      .filter(([, words]) => words.length > 0)
      .map(([path, words]) => `${path}: ${words.join(", ")}`);
    expect(found).toEqual([]);
  });

  it("the check itself finds English words (and skips placeholders)", () => {
    expect(englishWords("已完成 (finished)")).toEqual(["finished"]);
    expect(englishWords("未通过审核:AUDITING")).toEqual(["AUDITING"]);
    expect(englishWords("{{count}} 人,例如 ${name} 就填 name,在 Excel 里")).toEqual([]);
  });
});
