/**
 * The model list (built-ins + the tokenscope.models setting, validated by the core) and the model quick pick:
 * multi-select, grouped by region, remembering the last choice.
 */
import { describePriceSource, ratesPerM } from '../core/pricing';
import * as vscode from 'vscode';
import { groupByRegion, MODELS_SETTING, modelsSettingValue, REGION_TITLES, resolveModelList } from '../core/modelList';
import type { ModelSpec } from '../core/types';
import type { KeyStore } from './secrets';

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

export async function reportModelErrors(errors: string[]): Promise<void> {
  if (!errors.length) return;
  const more = errors.length > 1 ? ` (and ${errors.length - 1} more: see the output channel)` : '';
  const choice = await vscode.window.showErrorMessage(`Tokenscope: invalid model entry — ${errors[0]}${more}`, 'Configure Models');
  if (choice === 'Configure Models') await vscode.commands.executeCommand('tokenscope.configureModels');
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

/** Asks which models to run. Preselects the last choice, else the default models setting. */
export async function pickModels(models: readonly ModelSpec[], preselected: readonly string[], keys: KeyStore): Promise<ModelSpec[] | undefined> {
  const items: ModelItem[] = [];
  for (const group of groupByRegion(models)) {
    items.push({ label: `${group.region} — ${REGION_TITLES[group.region]}`, kind: vscode.QuickPickItemKind.Separator });
    for (const spec of group.models) {
      const key = spec.apiKeyEnv ? await keys.source(spec.apiKeyEnv) : 'none';
      const keyText = key === 'none' ? 'no key needed' : key === 'secret' ? 'key stored' : key === 'env' ? `key from ${spec.apiKeyEnv}` : `no key — ${spec.apiKeyEnv} not set`;
      const rates = ratesPerM(spec);
      const price = rates ? ` · $${+rates.inputPerM.toPrecision(3)}/$${+rates.outputPerM.toPrecision(3)} per 1M now (${describePriceSource(rates.source)})` : '';
      items.push({ label: spec.label ?? spec.id, description: `${spec.id} · ${new URL(spec.baseUrl).host}`, detail: `${keyText}${price}`, picked: preselected.includes(spec.id), spec });
    }
  }
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
