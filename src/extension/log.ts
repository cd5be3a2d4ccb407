/** The "Tokenscope" output channel. Never given a key: messages come from the core, which redacts them. */
import * as vscode from 'vscode';

export class Log implements vscode.Disposable {
  private readonly channel = vscode.window.createOutputChannel('Tokenscope', { log: true });
  private readonly seen = new Set<string>();

  info(message: string): void {
    this.channel.info(message);
  }

  warn(message: string): void {
    this.channel.warn(message);
  }

  error(message: string): void {
    this.channel.error(message);
  }

  /** An error from something that runs often (a hover, the status bar): logged once per distinct message. */
  errorOnce(message: string): void {
    if (this.seen.has(message)) return;
    if (this.seen.size > 100) this.seen.clear();
    this.seen.add(message);
    this.channel.error(message);
  }

  show(): void {
    this.channel.show(true);
  }

  dispose(): void {
    this.channel.dispose();
  }
}
