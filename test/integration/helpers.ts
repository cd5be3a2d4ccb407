import type { ModelSpec, ProtocolId } from '../../src/core/types';
import type { StreamServer } from '../server/streamServer';

/** A model spec pointing one protocol at the local test server. */
export function specFor(
  server: StreamServer,
  protocol: ProtocolId,
  model: string,
  extra: Partial<ModelSpec> = {},
): ModelSpec {
  const baseUrl = protocol === 'openai-chat' ? `${server.url}/v1` : server.url;
  return { id: `${protocol}:${model}`, protocol, baseUrl, model, region: 'local', tokenizer: 'o200k', ...extra };
}

export const ALL_PROTOCOLS: ProtocolId[] = ['openai-chat', 'anthropic', 'ollama', 'gemini'];
