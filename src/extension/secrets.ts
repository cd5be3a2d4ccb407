/**
 * API keys: kept in VS Code's SecretStorage under the name of the environment variable a model declares
 * (`apiKeyEnv`), so every model of a provider shares one key; the environment is the fallback. Keys never go
 * into settings, logs or webviews.
 */
import * as vscode from 'vscode';
import type { ModelSpec } from '../core/types';

const PREFIX = 'tokenscope.apiKey.';

export type KeySource = 'secret' | 'env';

export class KeyStore {
  constructor(
    private readonly secrets: vscode.SecretStorage,
    private readonly env: NodeJS.ProcessEnv = process.env,
  ) {}

  /** SecretStorage first, then the environment variable itself. */
  async get(envName: string): Promise<string | undefined> {
    return (await this.secrets.get(PREFIX + envName)) || this.env[envName] || undefined;
  }

  async source(envName: string): Promise<KeySource | undefined> {
    if (await this.secrets.get(PREFIX + envName)) return 'secret';
    return this.env[envName] ? 'env' : undefined;
  }

  async set(envName: string, key: string): Promise<void> {
    await this.secrets.store(PREFIX + envName, key);
  }

  async delete(envName: string): Promise<void> {
    await this.secrets.delete(PREFIX + envName);
  }

  /** The runner's resolveApiKey hook. */
  resolve = async (spec: ModelSpec): Promise<string | undefined> =>
    spec.apiKeyEnv ? this.get(spec.apiKeyEnv) : undefined;

  /** Models that need a key and have none. */
  async missing(models: readonly ModelSpec[]): Promise<ModelSpec[]> {
    const out: ModelSpec[] = [];
    for (const m of models) if (m.apiKeyEnv && !(await this.get(m.apiKeyEnv))) out.push(m);
    return out;
  }

  onDidChange(listener: () => void): vscode.Disposable {
    return this.secrets.onDidChange((e) => {
      if (e.key.startsWith(PREFIX)) listener();
    });
  }
}
