/**
 * Every command Tokenscope contributes, by id: the one place the ids are spelled. package.json's commands, menus
 * and keybindings are checked against it (test/extension/manifest.test.ts), and `CommandHandlers` makes the
 * compiler insist that each id has a handler. No `vscode` import.
 */
export const Command = {
  benchmarkSelection: 'tokenscope.benchmarkSelection',
  benchmarkPromptCache: 'tokenscope.benchmarkPromptCache',
  benchmarkFile: 'tokenscope.benchmarkFile',
  compareTokenizers: 'tokenscope.compareTokenizers',
  setApiKey: 'tokenscope.setApiKey',
  removeApiKey: 'tokenscope.removeApiKey',
  configureModels: 'tokenscope.configureModels',
  showComparison: 'tokenscope.showComparison',
  showResults: 'tokenscope.showResults',
  exportResults: 'tokenscope.exportResults',
  compareWith: 'tokenscope.compareWith',
  cancelBenchmark: 'tokenscope.cancelBenchmark',
  clearHistory: 'tokenscope.clearHistory',
  updatePrices: 'tokenscope.updatePrices',
  startDemo: 'tokenscope.startDemo',
  findLocalServers: 'tokenscope.findLocalServers',
} as const;

export type CommandName = keyof typeof Command;
export type CommandId = (typeof Command)[CommandName];

/** The webviews package.json declares: the sidebar's view (in the "tokenscope" container) and the results panel. */
export const ViewId = {
  leaderboard: 'tokenscope.leaderboard',
  results: 'tokenscope.results',
} as const;

/** The activity-bar container of the leaderboard; VS Code names its "show" command after it. */
export const VIEW_CONTAINER_ID = 'tokenscope';

/** Context key set while a benchmark runs; enables Cancel Benchmark (package.json "enablement" and "when"). */
export const RUNNING_CONTEXT = 'tokenscope.running';

export type CommandHandler = (...args: unknown[]) => unknown;

/** Handlers for the named commands, keyed by id; a feature module returns those of its own commands. */
export type HandlersOf<N extends CommandName> = { [P in N as (typeof Command)[P]]: CommandHandler };

/** A handler for every command: what activation registers. */
export type CommandHandlers = HandlersOf<CommandName>;

/**
 * The feature modules' handlers as one map; an id two modules both handle is a wiring mistake (the later one would
 * win silently), so it throws, naming the id.
 */
type AllOf<U> = (U extends unknown ? (x: U) => void : never) extends (x: infer I) => void ? I : never;

export function combineHandlers<T extends Record<string, CommandHandler>[]>(...parts: T): AllOf<T[number]> {
  const all: Record<string, CommandHandler> = {};
  for (const part of parts)
    for (const [id, handler] of Object.entries(part)) {
      if (id in all) throw new Error(`Tokenscope: command ${id} has two handlers`);
      all[id] = handler;
    }
  return all as AllOf<T[number]>;
}
