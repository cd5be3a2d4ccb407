// Extension-host tests: run inside a real VS Code extension host with the extension under development loaded
// (by @vscode/test-cli / @vscode/test-electron on machines that can download VS Code, and inside code-server's
// web workbench by the e2e suite). Mocha TDD interface; plain CommonJS so no build step is needed.
const assert = require('node:assert/strict');
const vscode = require('vscode');

const EXTENSION_ID = 'tokenscope.tokenscope';
const PROMPT = 'Explain, in three sentences, why time to first token matters for interactive coding assistants.';

suite('Tokenscope extension host', function () {
  this.timeout(60_000);

  test('the extension is installed and activates', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(ext, `extension ${EXTENSION_ID} not found`);
    await ext.activate();
    assert.equal(ext.isActive, true);
    assert.equal(ext.packageJSON.name, 'tokenscope');
  });

  test('every contributed command is registered', async () => {
    const ext = vscode.extensions.getExtension(EXTENSION_ID);
    await ext.activate();
    const contributed = ext.packageJSON.contributes.commands.map((c) => c.command);
    assert.ok(contributed.length >= 8, `only ${contributed.length} commands contributed`);
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((c) => !registered.has(c));
    assert.deepEqual(missing, [], `contributed but not registered: ${missing.join(', ')}`);
  });

  test('the settings have their documented defaults', () => {
    const config = vscode.workspace.getConfiguration('tokenscope');
    assert.equal(config.get('runs'), 3);
    assert.equal(config.get('concurrency'), 1);
    assert.equal(config.get('hover.enabled'), true);
    assert.ok(Array.isArray(config.get('models')));
  });

  test('the hover over a prompt shows token counts', async () => {
    await vscode.extensions.getExtension(EXTENSION_ID).activate();
    const doc = await vscode.workspace.openTextDocument({ language: 'markdown', content: `# Prompt\n\n${PROMPT}\n` });
    await vscode.window.showTextDocument(doc);
    // Vocabularies load on a worker the first time: a hover meanwhile names the families still loading, and a
    // later hover has their counts.
    let ours;
    let texts = [];
    for (let i = 0; i < 60; i++) {
      const hovers = await vscode.commands.executeCommand(
        'vscode.executeHoverProvider',
        doc.uri,
        new vscode.Position(2, 10),
      );
      texts = (hovers ?? []).flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value)));
      ours = texts.find((t) => t.includes('Tokenscope'));
      if (!ours || !ours.includes('Loading the')) break;
      await new Promise((r) => setTimeout(r, 500));
    }
    assert.ok(ours, `no Tokenscope hover among ${JSON.stringify(texts).slice(0, 500)}`);
    assert.match(ours, /Document: [\d,]+ characters/);
    // One row per tokenizer family with a count, o200k first by default.
    const rows = [...ours.matchAll(/^\| (.+?) \| ([\d,]+) \|$/gm)];
    assert.ok(rows.length >= 1, `no token-count rows in:\n${ours}`);
    assert.match(rows[0][1], /o200k/);
    const n = Number(rows[0][2].replace(/,/g, ''));
    assert.ok(n > 10 && n < PROMPT.length, `implausible o200k count ${n} for ${PROMPT.length + 12} characters`);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });
});
