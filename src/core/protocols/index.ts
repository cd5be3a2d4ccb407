import type { ProtocolId } from '../types';
import { anthropic } from './anthropic';
import { gemini } from './gemini';
import { ollama } from './ollama';
import { openaiChat } from './openaiChat';
import type { WireProtocol } from './protocol';

export type { WireProtocol, HttpRequestSpec, RequestOptions } from './protocol';

const byId: Record<ProtocolId, WireProtocol> = { 'openai-chat': openaiChat, anthropic, ollama, gemini };

export function protocolFor(id: ProtocolId): WireProtocol {
  return byId[id];
}
