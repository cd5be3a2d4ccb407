/** The webview side of VS Code's messaging, typed with the shared protocol. */
import type { WebviewMessage } from '../../../src/shared/webviewProtocol';

export interface VsCodeApi<S> {
  postMessage(message: WebviewMessage): void;
  getState(): S | undefined;
  setState(state: S): void;
}

declare function acquireVsCodeApi<S>(): VsCodeApi<S>;

export function vscodeApi<S>(): VsCodeApi<S> {
  return acquireVsCodeApi<S>();
}
