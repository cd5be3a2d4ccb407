/**
 * Built-in models. Prices are list prices in USD per million tokens as read on `readOn`; they
 * change often, so every price carries its date and users can override it in their config.
 * Base URLs include the API version path where the protocol expects it (openai-chat appends
 * /chat/completions, anthropic /v1/messages, gemini /v1beta/models/..., ollama /api/chat).
 */
import type { ModelSpec } from './types';

const DEEPSEEK = { protocol: 'openai-chat', baseUrl: 'https://api.deepseek.com', region: 'CN', apiKeyEnv: 'DEEPSEEK_API_KEY', tokenizer: 'deepseek-v3', contextWindow: 128_000 } as const;
const QWEN = { protocol: 'openai-chat', baseUrl: 'https://dashscope-intl.aliyuncs.com/compatible-mode/v1', region: 'CN', apiKeyEnv: 'DASHSCOPE_API_KEY', tokenizer: 'qwen3' } as const;
const OPENAI = { protocol: 'openai-chat', baseUrl: 'https://api.openai.com/v1', region: 'US', apiKeyEnv: 'OPENAI_API_KEY', tokenizer: 'o200k', maxTokensField: 'max_completion_tokens' } as const;
const ANTHROPIC = { protocol: 'anthropic', baseUrl: 'https://api.anthropic.com', region: 'US', apiKeyEnv: 'ANTHROPIC_API_KEY', tokenizer: 'claude', contextWindow: 200_000 } as const;
const GEMINI = { protocol: 'gemini', baseUrl: 'https://generativelanguage.googleapis.com', region: 'US', apiKeyEnv: 'GEMINI_API_KEY', contextWindow: 1_048_576 } as const;

export const BUILTIN_MODELS: readonly ModelSpec[] = [
  // China
  { ...DEEPSEEK, id: 'deepseek-chat', model: 'deepseek-chat', label: 'DeepSeek-V3.2 (chat)', price: { inputPerM: 0.28, cachedInputPerM: 0.028, outputPerM: 0.42, readOn: '2025-09-29' } },
  { ...DEEPSEEK, id: 'deepseek-reasoner', model: 'deepseek-reasoner', label: 'DeepSeek-V3.2 (reasoner)', reasoning: true, price: { inputPerM: 0.28, cachedInputPerM: 0.028, outputPerM: 0.42, readOn: '2025-09-29' } },
  { ...QWEN, id: 'qwen-max', model: 'qwen-max', label: 'Qwen-Max', contextWindow: 32_768, price: { inputPerM: 1.6, outputPerM: 6.4, readOn: '2025-09-01' } },
  { ...QWEN, id: 'qwen-plus', model: 'qwen-plus', label: 'Qwen-Plus', contextWindow: 131_072, price: { inputPerM: 0.4, outputPerM: 1.2, readOn: '2025-09-01' } },
  { ...QWEN, id: 'qwen3-coder-plus', model: 'qwen3-coder-plus', label: 'Qwen3-Coder-Plus', contextWindow: 1_000_000, price: { inputPerM: 1.0, outputPerM: 5.0, readOn: '2025-09-01' } },
  { id: 'kimi-k2', protocol: 'openai-chat', baseUrl: 'https://api.moonshot.ai/v1', model: 'kimi-k2-0905-preview', region: 'CN', apiKeyEnv: 'MOONSHOT_API_KEY', label: 'Kimi K2', contextWindow: 262_144, price: { inputPerM: 0.6, cachedInputPerM: 0.15, outputPerM: 2.5, readOn: '2025-09-05' } },
  { id: 'glm-4.6', protocol: 'openai-chat', baseUrl: 'https://api.z.ai/api/paas/v4', model: 'glm-4.6', region: 'CN', apiKeyEnv: 'ZAI_API_KEY', label: 'GLM-4.6', reasoning: true, contextWindow: 200_000, price: { inputPerM: 0.6, cachedInputPerM: 0.11, outputPerM: 2.2, readOn: '2025-09-30' } },
  { id: 'minimax-m2', protocol: 'openai-chat', baseUrl: 'https://api.minimax.io/v1', model: 'MiniMax-M2', region: 'CN', apiKeyEnv: 'MINIMAX_API_KEY', label: 'MiniMax-M2', reasoning: true, contextWindow: 204_800, price: { inputPerM: 0.3, outputPerM: 1.2, readOn: '2025-10-27' } },
  // United States
  { ...OPENAI, id: 'gpt-4o', model: 'gpt-4o', label: 'GPT-4o', contextWindow: 128_000, price: { inputPerM: 2.5, cachedInputPerM: 1.25, outputPerM: 10, readOn: '2025-08-07' } },
  { ...OPENAI, id: 'gpt-4.1', model: 'gpt-4.1', label: 'GPT-4.1', contextWindow: 1_047_576, price: { inputPerM: 2.0, cachedInputPerM: 0.5, outputPerM: 8, readOn: '2025-08-07' } },
  { ...OPENAI, id: 'gpt-5', model: 'gpt-5', label: 'GPT-5', reasoning: true, contextWindow: 400_000, price: { inputPerM: 1.25, cachedInputPerM: 0.125, outputPerM: 10, readOn: '2025-08-07' } },
  { ...OPENAI, id: 'gpt-5-mini', model: 'gpt-5-mini', label: 'GPT-5 mini', reasoning: true, contextWindow: 400_000, price: { inputPerM: 0.25, cachedInputPerM: 0.025, outputPerM: 2, readOn: '2025-08-07' } },
  { ...OPENAI, id: 'o4-mini', model: 'o4-mini', label: 'o4-mini', reasoning: true, contextWindow: 200_000, price: { inputPerM: 1.1, cachedInputPerM: 0.275, outputPerM: 4.4, readOn: '2025-08-07' } },
  { ...OPENAI, id: 'o3', model: 'o3', label: 'o3', reasoning: true, contextWindow: 200_000, price: { inputPerM: 2.0, cachedInputPerM: 0.5, outputPerM: 8, readOn: '2025-08-07' } },
  { ...ANTHROPIC, id: 'claude-sonnet-4.5', model: 'claude-sonnet-4-5', label: 'Claude Sonnet 4.5', price: { inputPerM: 3, cachedInputPerM: 0.3, outputPerM: 15, readOn: '2025-09-29' } },
  { ...ANTHROPIC, id: 'claude-haiku-4.5', model: 'claude-haiku-4-5', label: 'Claude Haiku 4.5', price: { inputPerM: 1, cachedInputPerM: 0.1, outputPerM: 5, readOn: '2025-10-15' } },
  { ...ANTHROPIC, id: 'claude-opus-4.1', model: 'claude-opus-4-1', label: 'Claude Opus 4.1', price: { inputPerM: 15, cachedInputPerM: 1.5, outputPerM: 75, readOn: '2025-08-05' } },
  { ...GEMINI, id: 'gemini-2.5-pro', model: 'gemini-2.5-pro', label: 'Gemini 2.5 Pro', reasoning: true, price: { inputPerM: 1.25, cachedInputPerM: 0.31, outputPerM: 10, readOn: '2025-08-01' } },
  { ...GEMINI, id: 'gemini-2.5-flash', model: 'gemini-2.5-flash', label: 'Gemini 2.5 Flash', reasoning: true, price: { inputPerM: 0.3, cachedInputPerM: 0.075, outputPerM: 2.5, readOn: '2025-08-01' } },
];

export function findBuiltin(id: string): ModelSpec | undefined {
  return BUILTIN_MODELS.find((m) => m.id === id);
}
