// Dependency graph rules: no import cycles, and the layers of README's Layout
// (core/cli/shared: plain Node; extension: the VS Code layer; media/src: browser code).
// There is no baseline of tolerated violations: the graph has no cycle and any new one fails npm run lint.
// `vscode` has no runtime package (the editor provides it): an import of it resolves to its types.
const VSCODE = '^node_modules/@types/vscode/';
const EXTENSION = '^src/extension([.]ts$|/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'Import cycles (type-only imports included) make load order fragile and layers unclear: move the shared piece to a module both can import.',
      from: {},
      to: { circular: true },
    },
    {
      name: 'core-not-to-editor',
      severity: 'error',
      comment:
        'src/core, src/cli and src/shared run without VS Code (CLI, worker threads, webviews): no vscode, src/extension or media imports.',
      from: { path: '^src/(core|cli|shared)/|^src/cli[.]ts$' },
      to: { path: [VSCODE, EXTENSION, '^media/'] },
    },
    {
      name: 'core-not-to-cli',
      severity: 'error',
      comment: 'src/core is the library under the CLI and the extension: it may not import src/cli.',
      from: { path: '^src/core/' },
      to: { path: '^src/cli/|^src/cli[.]ts$' },
    },
    {
      name: 'webview-not-to-editor',
      severity: 'error',
      comment:
        'media/src runs in a browser webview: no vscode, no src/extension (talk through src/shared/webviewProtocol.ts).',
      from: { path: '^media/src/' },
      to: { path: [VSCODE, EXTENSION] },
    },
    {
      name: 'webview-not-to-node-builtins',
      severity: 'error',
      comment: 'media/src runs in a browser webview: Node builtins do not exist there.',
      from: { path: '^media/src/' },
      to: { dependencyTypes: ['core'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a cycle through types is still a cycle in the editor's and the reader's view.
    tsPreCompilationDeps: true,
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
    },
    exclude: { path: '^(dist|out)/' },
  },
};
