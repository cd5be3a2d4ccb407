// The extensionTestsPath module: VS Code's extension host calls run() after loading the extension under
// development (extensionDevelopmentPath). Runs every suite/*.test.cjs with Mocha (TDD interface).
// Used by test/ext-host/run.mjs through @vscode/test-electron, and by the e2e suite inside code-server's web
// workbench. If TOKENSCOPE_EXT_HOST_RESULTS names a file, a JSON summary is written there too (the e2e suite
// reads it; the extension host's console is not always visible from outside).
const fs = require('node:fs');
const path = require('node:path');
const Mocha = require('mocha');

function run() {
  const mocha = new Mocha({ ui: 'tdd', color: false, timeout: 60_000, reporter: 'spec' });
  const dir = path.join(__dirname, 'suite');
  for (const f of fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.test.cjs'))
    .sort())
    mocha.addFile(path.join(dir, f));
  const resultsFile = process.env.TOKENSCOPE_EXT_HOST_RESULTS;
  const tests = [];
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      if (resultsFile) {
        fs.writeFileSync(
          resultsFile,
          JSON.stringify({ failures, tests, vscodeVersion: require('vscode').version }, null, 2),
        );
      }
      if (failures > 0) reject(new Error(`${failures} extension-host test(s) failed`));
      else resolve();
    });
    runner.on('pass', (t) => tests.push({ title: t.fullTitle(), ok: true, ms: t.duration }));
    runner.on('fail', (t, err) =>
      tests.push({ title: t.fullTitle(), ok: false, error: String(err && err.stack ? err.stack : err) }),
    );
  });
}

module.exports = { run };
