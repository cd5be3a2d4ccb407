/**
 * Which environment variable a model may send as its API key. A config or workspace setting names the
 * variable (`apiKeyEnv`) and the host (`baseUrl`), so a shared file could otherwise make Tokenscope send
 * any secret of the environment (AWS_SECRET_ACCESS_KEY, GITHUB_TOKEN, another provider's key) to any host.
 * Such a pairing needs the user's confirmation (CLI --allow-key-env, a prompt in the editor). Pure.
 */
import { BUILTIN_MODELS } from './catalog';
import type { ModelSpec } from './types';

/** What an API-key variable is called: OPENAI_API_KEY, DASHSCOPE_API_KEY, HF_TOKEN, MY_LLM_KEY. */
const KEY_LIKE = /(_API_?KEY|_KEY|_TOKEN)$/i;

/** Credentials of clouds, CI systems, registries and machines: never an LLM API key, whatever they end in. */
const NOT_AN_LLM_KEY = [
  /^AWS_/i,
  /SECRET_ACCESS_KEY$|SESSION_TOKEN$|PRIVATE_KEY$|SIGNING_KEY$|ENCRYPTION_KEY$|MASTER_KEY$|PASSWORD|PASSWD/i,
  /^(GITHUB|GH|GITLAB|CI|CI_JOB|NPM|NODE_AUTH|YARN|DOCKER|HEROKU|VAULT|ACTIONS|ACTIONS_RUNTIME|RUNNER|CODECOV|SENTRY|SLACK|STRIPE|TWILIO|CLOUDFLARE|DIGITALOCEAN|BUILDKITE|CIRCLE|TRAVIS|SSH|GPG|KUBE|TF|TERRAFORM|PYPI|TWINE|CARGO|GEM|NUGET|SONAR|VERCEL|NETLIFY)_/i,
];

const LOOPBACK = /^(localhost|127(?:\.\d{1,3}){3}|\[::1\])$/i;

export interface KeyEnvConcern {
  spec: ModelSpec;
  env: string;
  /** Where the value would be sent. */
  host: string;
  /** Why it needs confirming, as a clause: "is not named like an API key (…)". */
  reason: string;
}

/** The host (with port) of a base URL: where a key would be sent, and what reports and history keep (never a key or path). */
export function hostOf(baseUrl: string): string {
  try {
    return new URL(baseUrl).host;
  } catch {
    return baseUrl;
  }
}

function hostname(baseUrl: string): string {
  try {
    return new URL(baseUrl).hostname;
  } catch {
    return baseUrl;
  }
}

/** A model's key from the environment variable it names (none when unset or empty). */
export function envApiKey(spec: ModelSpec, env: NodeJS.ProcessEnv = process.env): string | undefined {
  return spec.apiKeyEnv ? env[spec.apiKeyEnv] || undefined : undefined;
}

/** The built-in providers' key variables and the hosts each belongs to. */
function providerHosts(): Map<string, Set<string>> {
  const byEnv = new Map<string, Set<string>>();
  for (const m of BUILTIN_MODELS)
    if (m.apiKeyEnv) byEnv.set(m.apiKeyEnv, (byEnv.get(m.apiKeyEnv) ?? new Set()).add(hostname(m.baseUrl)));
  return byEnv;
}

/** Why sending `env` to `baseUrl` needs confirming, or undefined when it is plainly an API key for that host. */
export function keyEnvReason(env: string, baseUrl: string): string | undefined {
  const host = hostname(baseUrl);
  if (NOT_AN_LLM_KEY.some((re) => re.test(env))) return 'is a cloud, CI or machine credential, not an LLM API key';
  if (!KEY_LIKE.test(env)) return 'is not named like an API-key variable (a name ending in _API_KEY, _KEY or _TOKEN)';
  const own = providerHosts().get(env);
  if (own && !own.has(host) && !LOOPBACK.test(host)) return `holds the key of ${[...own].join(', ')}, not of ${host}`;
  return undefined;
}

/**
 * The models whose key variable needs the user's confirmation before its value is sent, minus those confirmed:
 * `allowed` holds variable names (any host) or "VARIABLE@host" pairs.
 */
export function keyEnvConcerns(models: readonly ModelSpec[], allowed: readonly string[] = []): KeyEnvConcern[] {
  const out: KeyEnvConcern[] = [];
  for (const spec of models) {
    if (!spec.apiKeyEnv) continue;
    const host = hostOf(spec.baseUrl);
    if (allowed.includes(spec.apiKeyEnv) || allowed.includes(`${spec.apiKeyEnv}@${host}`)) continue;
    const reason = keyEnvReason(spec.apiKeyEnv, spec.baseUrl);
    if (reason) out.push({ spec, env: spec.apiKeyEnv, host, reason });
  }
  return out;
}

/** One sentence naming the model, the variable, the host and why. */
export function keyEnvConcernText(c: KeyEnvConcern): string {
  return `model "${c.spec.id}" would send the value of ${c.env} to ${c.host} as its API key, but ${c.env} ${c.reason}`;
}
