// `npm run bench`: every benchmark script in turn (fidelity, editor, tokenizers, history), each printing its
// figures with p50 and worst case; exits 1 if any of them missed a target, naming which.
import { spawnSync } from 'node:child_process';

const scripts = ['bench:fidelity', 'bench:editor', 'bench:tokenizers', 'bench:history'];
const failed = [];
for (const s of scripts) {
  console.log(`\n=== npm run ${s} ===`);
  const r = spawnSync('npm', ['run', '--silent', s], { stdio: 'inherit' });
  if (r.status !== 0) failed.push(`${s} (exit ${r.status})`);
}
console.log(failed.length ? `\nTargets missed in: ${failed.join(', ')}` : '\nEvery benchmark met its targets.');
process.exitCode = failed.length ? 1 : 0;
