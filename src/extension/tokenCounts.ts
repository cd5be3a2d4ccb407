/** Token counting for the editor (hover, status bar, Compare Tokenizers), on a worker thread. */
import * as path from 'node:path';
import * as vscode from 'vscode';
import type { FamilyCount } from '../core/report/hoverText';
import { familyInfo, OffThreadCounter } from '../core/tokenizers';
import type { TokenizerFamily } from '../core/types';

/** Counts on a worker thread (dist/countWorker.js, beside this bundle): the extension host never parses a vocabulary. */
export const tokenCounter = new OffThreadCounter(path.join(__dirname, 'countWorker.js'));

export function familyCount(family: TokenizerFamily, count: number): FamilyCount {
  const info = familyInfo(family);
  return { family, label: info.label, count, exact: info.exact };
}

export async function countFamilies(
  text: string,
  families: readonly TokenizerFamily[],
  token?: vscode.CancellationToken,
): Promise<FamilyCount[]> {
  const counts = await Promise.all(families.map((family) => tokenCounter.count(family, text)));
  if (token?.isCancellationRequested) throw new vscode.CancellationError();
  return families.map((family, i) => familyCount(family, counts[i]));
}
