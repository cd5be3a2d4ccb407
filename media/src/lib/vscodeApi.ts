/** The webview side of VS Code's messaging, typed with the page's own protocol (what it may post, what it keeps). */
export interface VsCodeApi<State, FromWebview> {
  postMessage(message: FromWebview): void;
  getState(): State | undefined;
  setState(state: State): void;
}

declare function acquireVsCodeApi<State, FromWebview>(): VsCodeApi<State, FromWebview>;

export function vscodeApi<State, FromWebview>(): VsCodeApi<State, FromWebview> {
  return acquireVsCodeApi<State, FromWebview>();
}
