/**
 * Built-in models: current ids of the Chinese and US providers, OpenRouter (one key for all of them) and
 * OpenAI-compatible hosts of the Chinese open-weight models. Each entry says who serves it (`provider`, also the
 * genai-prices provider id that prices it), the underlying model (`baseModel`, to group hosts of one model) and
 * when its facts were read (`readOn`). Prices are not kept here: src/core/pricing looks them up in genai-prices.
 *
 * Sources, read 2026-12-03 (docs/providers.md has one row per provider):
 * - ids, context windows and hosts: the model list of @pydantic/genai-prices 0.1.8 (data of 2026-09-23), checked
 *   against each provider's docs: DeepSeek's V4 release notes (deepseek-chat / deepseek-reasoner stop working
 *   after 2026-07-24), Alibaba Model Studio's model list (qwen3.7-max, updated 2026-07-01), Baseten's Chat
 *   Completions reference (deepseek-ai/DeepSeek-V4-Pro), OpenRouter's API page (https://openrouter.ai/api/v1),
 *   SiliconFlow's chat-completions reference as summarised by a docs-verified provider catalog (base URL, and
 *   deepseek-ai/DeepSeek-V4-Pro as its default model; the 1M context is DeepSeek's own figure).
 * Base URLs include the API version path where the protocol expects it (openai-chat appends /chat/completions,
 * anthropic /v1/messages, gemini /v1beta/models/..., ollama /api/chat).
 */
import type { ModelSpec } from './types';

/** The date the built-in entries were last read from their sources. */
export const CATALOG_READ_ON = '2026-12-03';
const readOn = CATALOG_READ_ON;

const DEEPSEEK = {
  provider: 'deepseek',
  protocol: 'openai-chat',
  baseUrl: 'https://api.deepseek.com',
  region: 'CN',
  apiKeyEnv: 'DEEPSEEK_API_KEY',
  tokenizer: 'deepseek-v3',
  readOn,
} as const;
const QWEN = {
  provider: 'alibaba',
  protocol: 'openai-chat',
  baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1',
  region: 'CN',
  apiKeyEnv: 'DASHSCOPE_API_KEY',
  tokenizer: 'qwen3',
  readOn,
} as const;
const OPENAI = {
  provider: 'openai',
  protocol: 'openai-chat',
  baseUrl: 'https://api.openai.com/v1',
  region: 'US',
  apiKeyEnv: 'OPENAI_API_KEY',
  tokenizer: 'o200k',
  maxTokensField: 'max_completion_tokens',
  readOn,
} as const;
const ANTHROPIC = {
  provider: 'anthropic',
  protocol: 'anthropic',
  baseUrl: 'https://api.anthropic.com',
  region: 'US',
  apiKeyEnv: 'ANTHROPIC_API_KEY',
  tokenizer: 'claude',
  readOn,
} as const;
const GEMINI = {
  provider: 'google',
  protocol: 'gemini',
  baseUrl: 'https://generativelanguage.googleapis.com',
  region: 'US',
  apiKeyEnv: 'GEMINI_API_KEY',
  readOn,
} as const;
// Region is where the model comes from, whoever hosts it, so hosted entries join their model's side of CN vs US.
const OPENROUTER = {
  provider: 'openrouter',
  protocol: 'openai-chat',
  baseUrl: 'https://openrouter.ai/api/v1',
  apiKeyEnv: 'OPENROUTER_API_KEY',
  readOn,
} as const;
const FIREWORKS = {
  provider: 'fireworks',
  protocol: 'openai-chat',
  baseUrl: 'https://api.fireworks.ai/inference/v1',
  region: 'CN',
  apiKeyEnv: 'FIREWORKS_API_KEY',
  readOn,
} as const;
// No genai-prices data for SiliconFlow (0.1.8): its entries cost nothing until a config gives a "price".
const SILICONFLOW = {
  provider: 'siliconflow',
  protocol: 'openai-chat',
  baseUrl: 'https://api.siliconflow.com/v1',
  region: 'CN',
  apiKeyEnv: 'SILICONFLOW_API_KEY',
  readOn,
} as const;
const BASETEN = {
  provider: 'baseten',
  protocol: 'openai-chat',
  baseUrl: 'https://inference.baseten.co/v1',
  region: 'CN',
  apiKeyEnv: 'BASETEN_API_KEY',
  readOn,
} as const;
// DeepSeek V4 thinks unless told not to; the switch is explicit so runs stay comparable if the default changes.
const THINKING = { thinking: { type: 'enabled' } };

export const BUILTIN_MODELS: readonly ModelSpec[] = [
  // China, from the makers' own APIs
  {
    ...DEEPSEEK,
    id: 'deepseek-v4-flash',
    model: 'deepseek-v4-flash',
    baseModel: 'deepseek-v4-flash',
    label: 'DeepSeek V4 Flash',
    reasoning: true,
    extraBody: THINKING,
    contextWindow: 1_000_000,
  },
  {
    ...DEEPSEEK,
    id: 'deepseek-v4-pro',
    model: 'deepseek-v4-pro',
    baseModel: 'deepseek-v4-pro',
    label: 'DeepSeek V4 Pro',
    reasoning: true,
    extraBody: THINKING,
    contextWindow: 1_000_000,
  },
  {
    ...QWEN,
    id: 'qwen3.7-max',
    model: 'qwen3.7-max',
    baseModel: 'qwen3.7-max',
    label: 'Qwen3.7 Max',
    contextWindow: 1_000_000,
  },
  {
    id: 'kimi-k3',
    provider: 'moonshotai',
    protocol: 'openai-chat',
    baseUrl: 'https://api.moonshot.ai/v1',
    model: 'kimi-k3',
    baseModel: 'kimi-k3',
    region: 'CN',
    apiKeyEnv: 'MOONSHOT_API_KEY',
    label: 'Kimi K3',
    contextWindow: 1_048_576,
    readOn,
  },
  {
    id: 'glm-5.3',
    provider: 'zai',
    protocol: 'openai-chat',
    baseUrl: 'https://api.z.ai/api/paas/v4',
    model: 'glm-5.3',
    baseModel: 'glm-5.3',
    region: 'CN',
    apiKeyEnv: 'ZAI_API_KEY',
    label: 'GLM-5.3',
    reasoning: true,
    contextWindow: 1_000_000,
    readOn,
  },
  {
    id: 'minimax-m3',
    provider: 'minimax',
    protocol: 'openai-chat',
    baseUrl: 'https://api.minimax.io/v1',
    model: 'MiniMax-M3',
    baseModel: 'minimax-m3',
    region: 'CN',
    apiKeyEnv: 'MINIMAX_API_KEY',
    label: 'MiniMax M3',
    reasoning: true,
    contextWindow: 1_000_000,
    readOn,
  },
  // United States
  {
    ...OPENAI,
    id: 'gpt-6-sol',
    model: 'gpt-6-sol',
    baseModel: 'gpt-6-sol',
    label: 'GPT-6 Sol',
    reasoning: true,
    contextWindow: 1_050_000,
  },
  {
    ...OPENAI,
    id: 'gpt-6-luna',
    model: 'gpt-6-luna',
    baseModel: 'gpt-6-luna',
    label: 'GPT-6 Luna',
    reasoning: true,
    contextWindow: 1_050_000,
  },
  {
    ...ANTHROPIC,
    id: 'claude-opus-5.5',
    model: 'claude-opus-5-5',
    baseModel: 'claude-opus-5.5',
    label: 'Claude Opus 5.5',
    contextWindow: 1_000_000,
  },
  {
    ...ANTHROPIC,
    id: 'claude-sonnet-5',
    model: 'claude-sonnet-5',
    baseModel: 'claude-sonnet-5',
    label: 'Claude Sonnet 5',
    contextWindow: 1_000_000,
  },
  {
    ...ANTHROPIC,
    id: 'claude-haiku-4.5',
    model: 'claude-haiku-4-5',
    baseModel: 'claude-haiku-4.5',
    label: 'Claude Haiku 4.5',
    contextWindow: 200_000,
  },
  {
    ...GEMINI,
    id: 'gemini-3.5-flash',
    model: 'gemini-3.5-flash',
    baseModel: 'gemini-3.5-flash',
    label: 'Gemini 3.5 Flash',
    reasoning: true,
    contextWindow: 1_000_000,
  },
  {
    ...GEMINI,
    id: 'gemini-3.5-flash-lite',
    model: 'gemini-3.5-flash-lite',
    baseModel: 'gemini-3.5-flash-lite',
    label: 'Gemini 3.5 Flash Lite',
    contextWindow: 1_000_000,
  },
  // OpenRouter: one OPENROUTER_API_KEY reaches both sides of the comparison
  {
    ...OPENROUTER,
    id: 'deepseek-v4-flash@openrouter',
    model: 'deepseek/deepseek-v4-flash',
    baseModel: 'deepseek-v4-flash',
    region: 'CN',
    tokenizer: 'deepseek-v3',
    label: 'DeepSeek V4 Flash (OpenRouter)',
    reasoning: true,
    contextWindow: 1_000_000,
  },
  {
    ...OPENROUTER,
    id: 'qwen3.7-max@openrouter',
    model: 'qwen/qwen3.7-max',
    baseModel: 'qwen3.7-max',
    region: 'CN',
    tokenizer: 'qwen3',
    label: 'Qwen3.7 Max (OpenRouter)',
    contextWindow: 1_000_000,
  },
  {
    ...OPENROUTER,
    id: 'kimi-k3@openrouter',
    model: 'moonshotai/kimi-k3',
    baseModel: 'kimi-k3',
    region: 'CN',
    label: 'Kimi K3 (OpenRouter)',
    contextWindow: 1_048_576,
  },
  {
    ...OPENROUTER,
    id: 'glm-5.3@openrouter',
    model: 'z-ai/glm-5.3',
    baseModel: 'glm-5.3',
    region: 'CN',
    label: 'GLM-5.3 (OpenRouter)',
    reasoning: true,
    contextWindow: 1_048_576,
  },
  {
    ...OPENROUTER,
    id: 'minimax-m3@openrouter',
    model: 'minimax/minimax-m3',
    baseModel: 'minimax-m3',
    region: 'CN',
    label: 'MiniMax M3 (OpenRouter)',
    reasoning: true,
    contextWindow: 1_000_000,
  },
  {
    ...OPENROUTER,
    id: 'gpt-6-sol@openrouter',
    model: 'openai/gpt-6-sol',
    baseModel: 'gpt-6-sol',
    region: 'US',
    tokenizer: 'o200k',
    label: 'GPT-6 Sol (OpenRouter)',
    reasoning: true,
    contextWindow: 1_050_000,
  },
  {
    ...OPENROUTER,
    id: 'claude-sonnet-5@openrouter',
    model: 'anthropic/claude-sonnet-5',
    baseModel: 'claude-sonnet-5',
    region: 'US',
    tokenizer: 'claude',
    label: 'Claude Sonnet 5 (OpenRouter)',
    contextWindow: 1_000_000,
  },
  {
    ...OPENROUTER,
    id: 'gemini-3.5-flash@openrouter',
    model: 'google/gemini-3.5-flash',
    baseModel: 'gemini-3.5-flash',
    region: 'US',
    label: 'Gemini 3.5 Flash (OpenRouter)',
    reasoning: true,
    contextWindow: 1_048_576,
  },
  // Other hosts of the Chinese open-weight models
  {
    ...FIREWORKS,
    id: 'deepseek-v4-flash@fireworks',
    model: 'accounts/fireworks/models/deepseek-v4-flash',
    baseModel: 'deepseek-v4-flash',
    tokenizer: 'deepseek-v3',
    label: 'DeepSeek V4 Flash (Fireworks)',
    reasoning: true,
    contextWindow: 1_040_000,
  },
  {
    ...FIREWORKS,
    id: 'kimi-k3@fireworks',
    model: 'accounts/fireworks/models/kimi-k3',
    baseModel: 'kimi-k3',
    label: 'Kimi K3 (Fireworks)',
    contextWindow: 1_040_000,
  },
  {
    ...FIREWORKS,
    id: 'minimax-m3@fireworks',
    model: 'accounts/fireworks/models/minimax-m3',
    baseModel: 'minimax-m3',
    label: 'MiniMax M3 (Fireworks)',
    reasoning: true,
    contextWindow: 524_288,
  },
  {
    ...BASETEN,
    id: 'deepseek-v4-pro@baseten',
    model: 'deepseek-ai/DeepSeek-V4-Pro',
    baseModel: 'deepseek-v4-pro',
    tokenizer: 'deepseek-v3',
    label: 'DeepSeek V4 Pro (Baseten)',
    reasoning: true,
    contextWindow: 1_048_000,
  },
  {
    ...BASETEN,
    id: 'kimi-k3@baseten',
    model: 'moonshotai/Kimi-K3',
    baseModel: 'kimi-k3',
    label: 'Kimi K3 (Baseten)',
    contextWindow: 1_048_000,
  },
  {
    ...SILICONFLOW,
    id: 'deepseek-v4-pro@siliconflow',
    model: 'deepseek-ai/DeepSeek-V4-Pro',
    baseModel: 'deepseek-v4-pro',
    tokenizer: 'deepseek-v3',
    label: 'DeepSeek V4 Pro (SiliconFlow)',
    reasoning: true,
    contextWindow: 1_000_000,
  },
  {
    ...BASETEN,
    id: 'glm-5.3@baseten',
    model: 'zai-org/GLM-5.3',
    baseModel: 'glm-5.3',
    label: 'GLM-5.3 (Baseten)',
    reasoning: true,
    contextWindow: 1_048_000,
  },
];

/** Built-in ids that were retired, and what replaces them. A config naming one gets this message, not a schema error. */
export const RETIRED_MODELS: Readonly<Record<string, string>> = {
  'deepseek-chat':
    'DeepSeek retired "deepseek-chat" after 2026-07-24; use "deepseek-v4-flash" (add "extraBody": {"thinking": {"type": "disabled"}} for the old non-thinking behaviour)',
  'deepseek-reasoner':
    'DeepSeek retired "deepseek-reasoner" after 2026-07-24; use "deepseek-v4-flash" or "deepseek-v4-pro" (both think by default)',
  'kimi-k2': 'Moonshot discontinued kimi-k2-0905-preview; use "kimi-k3"',
  'claude-opus-4.1': 'Anthropic retired Claude Opus 4.1 on its API; use "claude-opus-5.5"',
  'qwen-max': 'use "qwen3.7-max", the current Qwen Max',
  'qwen-plus': 'use "qwen3.7-max" or configure a current Qwen Plus id yourself',
  'qwen3-coder-plus': 'use "qwen3.7-max" or configure a current Qwen coder id yourself',
  'glm-4.6': 'use "glm-5.3"',
  'minimax-m2': 'use "minimax-m3"',
  'gpt-4o': 'use "gpt-6-sol" or "gpt-6-luna"',
  'gpt-4.1': 'use "gpt-6-sol" or "gpt-6-luna"',
  'gpt-5': 'use "gpt-6-sol"',
  'gpt-5-mini': 'use "gpt-6-luna"',
  o3: 'use "gpt-6-sol"',
  'o4-mini': 'use "gpt-6-luna"',
  'claude-sonnet-4.5': 'use "claude-sonnet-5"',
  'gemini-2.5-pro': 'use "gemini-3.5-flash"',
  'gemini-2.5-flash': 'use "gemini-3.5-flash"',
};

export function findBuiltin(id: string): ModelSpec | undefined {
  return BUILTIN_MODELS.find((m) => m.id === id);
}

/** Why an id is no longer built in, when it used to be. */
export function retiredHint(id: string): string | undefined {
  return Object.hasOwn(RETIRED_MODELS, id)
    ? `"${id}" is no longer a built-in model (catalog of ${CATALOG_READ_ON}): ${RETIRED_MODELS[id]}. Run "tokenscope models" to list current ids.`
    : undefined;
}
