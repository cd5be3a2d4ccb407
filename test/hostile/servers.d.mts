import type { ServerResponse } from 'node:http';

export type Sent = Record<string, number>;
export declare const BEHAVIOURS: Record<string, (res: ServerResponse, sent: Sent) => void>;
export declare const MODEL_LISTS: Record<'ok' | 'drip' | 'huge', (res: ServerResponse, sent: Sent) => void>;
export declare function openaiFrame(delta: object, extra?: object): string;
export declare function openaiUsage(usage: object): string;
export declare function openaiStream(tokens: string[], usage?: object | null): string;
export interface HostileServer {
  url: string;
  port: number;
  /** Bytes written per behaviour (endless writers only). */
  sent: Sent;
  close(): Promise<void>;
}
export declare function startHostileServer(opts?: { modelList?: 'ok' | 'drip' | 'huge' }): Promise<HostileServer>;
