/**
 * What every Tokenscope webview shares: its kind, the messages any page may send, and `assertNever` for the
 * exhaustive switches over each view's own message unions (protocol/results.ts, protocol/sidebar.ts).
 * No `vscode`, no DOM: bundled into the extension and into the browser scripts alike.
 */
import { isStr, type MessageReaders } from './guards';

/** Webview kinds; each page says which it is in its `ready` message. */
export type WebviewKind = 'results' | 'sidebar';

export const MAX_ID_LENGTH = 200;
export const MAX_RENDER_ERROR_LENGTH = 500;

/** Webview → extension, from any page; `view` is the page's own kind. */
export type CommonFromWebview<V extends WebviewKind> =
  /** The page's script is running and listening: the host sends the current state. */
  | { type: 'ready'; view: V }
  /** A part of the page failed to render (a chart): the host logs why, so the failure is never silent. */
  | { type: 'renderError'; view: V; message: string }
  /** Without a model id: ask which provider's key. */
  | { type: 'setApiKey'; modelId?: string }
  | { type: 'startDemo' }
  | { type: 'runBenchmark' };

/** Readers of the common messages, accepting only `view`'s own ready and renderError. */
export function commonReaders<V extends WebviewKind>(view: V): MessageReaders<CommonFromWebview<V>> {
  return {
    ready: (d) => (d.view === view ? { type: 'ready', view } : undefined),
    renderError: (d) =>
      d.view === view && isStr(d.message)
        ? { type: 'renderError', view, message: d.message.slice(0, MAX_RENDER_ERROR_LENGTH) }
        : undefined,
    setApiKey: (d) => {
      if (d.modelId === undefined) return { type: 'setApiKey' };
      return isStr(d.modelId) && d.modelId.length > 0 && d.modelId.length <= MAX_ID_LENGTH
        ? { type: 'setApiKey', modelId: d.modelId }
        : undefined;
    },
    startDemo: () => ({ type: 'startDemo' }),
    runBenchmark: () => ({ type: 'runBenchmark' }),
  };
}

/** The default of a switch that handles every member of a union: a new member is a compile error there. */
export function assertNever(value: never, where: string): never {
  throw new Error(`${where}: unexpected ${JSON.stringify((value as { type?: unknown } | null)?.type ?? value)}`);
}
