/**
 * The model list (built-ins + the tokenscope.models setting, validated by the core) and the model quick pick:
 * multi-select, grouped by region, remembering the last choice.
 */
import { describePriceSource, ratesPerM } from '../core/pricing';
import * as vscode from 'vscode';
import { DEFAULT_PROBES, discoverLocalModels, probesFromEnv, type LocalServerProbe } from '../core/discovery';
import {
  modelErrorsMessage,
  MODELS_SETTING,
  modelsSettingValue,
  pickerEntries,
  REGION_TITLES,
  resolveModelList,
  type KeyState,
} from '../core/modelList';
import type { ModelSpec } from '../core/types';
import { Command } from './commandIds';
import type { Log } from './log';
import type { KeyStore } from './secrets';

/** Where to look for local servers: TOKENSCOPE_LOCAL_PORTS when set (as in the CLI), else the usual ports. */
export function localProbes(log?: Log): LocalServerProbe[] {
  try {
    return probesFromEnv(process.env.TOKENSCOPE_LOCAL_PORTS) ?? [...DEFAULT_PROBES];
  } catch (e) {
    log?.warn(`local servers: ${(e as Error).message}; looking on the usual ports instead`);
    return [...DEFAULT_PROBES];
  }
}

/** Local model servers answering on this machine now (Ollama, llama.cpp, vLLM, LM Studio), as in the CLI. */
export async function findLocalModels(log?: Log): Promise<ModelSpec[]> {
  const found = await discoverLocalModels(localProbes(log));
  if (found.length) log?.info(`local servers: found ${found.map((m) => `${m.id} at ${m.baseUrl}`).join(', ')}`);
  return found;
}

const LAST_CHOICE = 'tokenscope.lastModels';

/**
 * Models from the settings; invalid entries are reported (each naming its field) and left out. In an untrusted
 * workspace the workspace's own model entries are ignored (`untrustedIgnored`), only the user's count.
 */
export function loadModels(): { models: ModelSpec[]; errors: string[]; untrustedIgnored: boolean } {
  const scopes = vscode.workspace.getConfiguration().inspect<unknown>(MODELS_SETTING);
  const { value, ignored } = modelsSettingValue(scopes, vscode.workspace.isTrusted);
  return { ...resolveModelList(value), untrustedIgnored: ignored };
}

/** Reports every invalid field at once: the count and the list in one message; those entries are left out. */
export async function reportModelErrors(errors: string[]): Promise<void> {
  const message = modelErrorsMessage(errors);
  if (!message) return;
  const choice = await vscode.window.showErrorMessage(message, 'Configure Models');
  if (choice === 'Configure Models') await vscode.commands.executeCommand(Command.configureModels);
}

interface ModelItem extends vscode.QuickPickItem {
  spec?: ModelSpec;
}

export function lastChoice(state: vscode.Memento): string[] {
  const v = state.get<unknown>(LAST_CHOICE);
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];
}

export async function rememberChoice(state: vscode.Memento, ids: string[]): Promise<void> {
  await state.update(LAST_CHOICE, ids);
}

/**
 * Asks which models to run: those that can run first (key present, or none needed), by region; those without a
 * key after, each with its fix. Preselects the last choice (else the default models setting), but never a model
 * that cannot run.
 */
export async function pickModels(
  models: readonly ModelSpec[],
  preselected: readonly string[],
  keys: KeyStore,
): Promise<ModelSpec[] | undefined> {
  const items: ModelItem[] = [];
  const sources = new Map<string, KeyState>();
  for (const spec of models) sources.set(spec.id, spec.apiKeyEnv ? await keys.source(spec.apiKeyEnv) : 'none');
  const { ready, keyless } = pickerEntries(models, (m) => sources.get(m.id), preselected);
  const price = (spec: ModelSpec) => {
    const rates = ratesPerM(spec);
    return rates
      ? ` · $${+rates.inputPerM.toPrecision(3)}/$${+rates.outputPerM.toPrecision(3)} per 1M now (${describePriceSource(rates.source)})`
      : '';
  };
  for (const group of ready) {
    items.push({ label: `${group.region} — ${REGION_TITLES[group.region]}`, kind: vscode.QuickPickItemKind.Separator });
    for (const e of group.entries)
      items.push({
        label: e.spec.label ?? e.spec.id,
        description: `${e.spec.id} · ${new URL(e.spec.baseUrl).host}`,
        detail: `${e.keyText}${price(e.spec)}`,
        picked: e.picked,
        spec: e.spec,
      });
  }
  if (keyless.length) {
    items.push({ label: `need a key (${keyless.length})`, kind: vscode.QuickPickItemKind.Separator });
    for (const e of keyless)
      items.push({
        label: `$(key) ${e.spec.label ?? e.spec.id}`,
        description: `${e.spec.id} · ${e.spec.region} · ${new URL(e.spec.baseUrl).host}`,
        detail: `${e.keyText}${price(e.spec)}`,
        picked: false,
        spec: e.spec,
      });
  }
  if (!ready.length)
    items.unshift({
      label: 'No model can run yet: set a key, start a local server, or run Tokenscope: Try the Demo',
      kind: vscode.QuickPickItemKind.Separator,
    });
  const picked = await vscode.window.showQuickPick(items, {
    canPickMany: true,
    title: 'Tokenscope: models to benchmark',
    placeHolder: 'Pick one or more models (Space to toggle, Enter to run)',
    matchOnDescription: true,
    ignoreFocusOut: true,
  });
  if (!picked) return undefined;
  return picked.filter((i) => i.spec).map((i) => i.spec!);
}
