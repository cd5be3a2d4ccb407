/**
 * API keys from the command palette and the webviews: Set API Key and Remove API Key. Keys go to VS Code's
 * secret storage (KeyStore), never to settings or logs.
 */
import * as vscode from 'vscode';
import { isEnvName, keyVariableFor } from '../core/keyTarget';
import { keyVariables } from '../core/modelList';
import { Command, type HandlersOf } from './commandIds';
import type { Log } from './log';
import { loadModels } from './models';
import type { KeyStore } from './secrets';

/** Asks for a key and stores it. `target` is an env variable name or a model id; asks which when absent. */
export async function setApiKey(keys: KeyStore, log: Log, target?: string): Promise<boolean> {
  const { models } = loadModels();
  const vars = keyVariables(models);
  let env = keyVariableFor(target, models);
  if (!env) {
    const items = await Promise.all(
      vars.map(async (v) => {
        const source = await keys.source(v.env);
        return {
          label: v.env,
          description:
            source === 'secret' ? 'stored in VS Code' : source === 'env' ? 'set in the environment' : 'not set',
          detail: `Used by ${v.models.map((m) => m.label ?? m.id).join(', ')}`,
          env: v.env,
        };
      }),
    );
    const picked = await vscode.window.showQuickPick(items, {
      title: 'Tokenscope: Set API Key',
      placeHolder: 'Which provider key? (named by its environment variable)',
      matchOnDetail: true,
    });
    if (!picked) return false;
    env = picked.env;
  }
  const users = models.filter((m) => m.apiKeyEnv === env).map((m) => m.id);
  const stored = (await keys.source(env)) === 'secret';
  const value = await vscode.window.showInputBox({
    title: `Tokenscope: API key for ${env}`,
    prompt: `${users.length ? `Used by ${users.join(', ')}. ` : ''}Stored in VS Code's secret storage, never in settings.${stored ? ' A key is stored already: a new one replaces it (Escape keeps it; Tokenscope: Remove API Key deletes it).' : ''}`,
    password: true,
    ignoreFocusOut: true,
    placeHolder: env,
    validateInput: (v) => (v.trim() && /\s/.test(v.trim()) ? 'A key has no spaces.' : undefined),
  });
  // Escape, or Enter on an empty box, changes nothing: deleting a key is its own command.
  if (value === undefined) return false;
  if (!value.trim()) {
    void vscode.window.showInformationMessage(
      `Tokenscope: no key entered for ${env}; ${stored ? 'the stored key is kept' : 'nothing was stored'}.${stored ? ' To delete it, run Tokenscope: Remove API Key.' : ''}`,
    );
    return false;
  }
  await keys.set(env, value.trim());
  log.info(`keys: stored a key for ${env}`);
  void vscode.window.showInformationMessage(`Tokenscope: stored the key for ${env}.`);
  return true;
}

/** Deletes a stored key, after asking which and confirming. Environment variables are not touched. */
export async function removeApiKey(keys: KeyStore, log: Log, target?: string): Promise<boolean> {
  const { models } = loadModels();
  const stored: string[] = [];
  for (const v of keyVariables(models)) if ((await keys.source(v.env)) === 'secret') stored.push(v.env);
  if (
    typeof target === 'string' &&
    !stored.includes(target) &&
    isEnvName(target) &&
    (await keys.source(target)) === 'secret'
  )
    stored.push(target);
  if (!stored.length) {
    void vscode.window.showInformationMessage(
      'Tokenscope: no API key is stored in VS Code, so there is nothing to remove. (Keys from environment variables are not stored by Tokenscope.)',
    );
    return false;
  }
  const env =
    typeof target === 'string' && stored.includes(target)
      ? target
      : await vscode.window.showQuickPick(stored, {
          title: 'Tokenscope: Remove API Key',
          placeHolder: 'Which stored key to delete?',
        });
  if (!env) return false;
  const ok = await vscode.window.showWarningMessage(
    `Delete the stored key for ${env}?`,
    {
      modal: true,
      detail: 'Models that use it will ask for a key again (an environment variable of that name still works).',
    },
    'Delete Key',
  );
  if (ok !== 'Delete Key') return false;
  await keys.delete(env);
  log.info(`keys: removed the stored key for ${env}`);
  void vscode.window.showInformationMessage(`Tokenscope: removed the stored key for ${env}.`);
  return true;
}

export function keyCommands(keys: KeyStore, log: Log): HandlersOf<'setApiKey' | 'removeApiKey'> {
  return {
    [Command.setApiKey]: (target) => setApiKey(keys, log, typeof target === 'string' ? target : undefined),
    [Command.removeApiKey]: (target) => removeApiKey(keys, log, typeof target === 'string' ? target : undefined),
  };
}
