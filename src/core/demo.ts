/**
 * The demo: Tokenscope's own local streaming test server (test/server, the one the integration tests measure
 * against) started in-process on a free loopback port, with three models that speak real wire formats on a fixed
 * schedule. It lets a newcomer see a whole benchmark with no key and no model. Every number it yields is simulated
 * and is labelled so; callers never save it to the history.
 */
import { startStreamServer, type StreamServer } from '../../test/server/streamServer';
import type { Schedule } from '../../test/server/schedule';
import type { ModelSpec } from './types';

export { DEMO_LABEL, DEMO_NOTE, DEMO_PROMPT } from './report/resultsView';

/** Model ids of the demo (prefix "demo-" so they never collide with catalog or user ids). */
export const DEMO_PREFIX = 'demo-';

/**
 * Schedules: clearly different speeds, one per region and wire format, over a second or two each. The fastest is
 * 11× the slowest, so the panel's decode-speed chart shows its log scale.
 */
const DEMO_SCHEDULES: Record<
  string,
  { schedule: Schedule; spec: Omit<ModelSpec, 'baseUrl' | 'model'> & { path: string } }
> = {
  'demo-cn': {
    schedule: { ttftMs: 120, tokensPerSecond: 220, outputTokens: 120 },
    spec: {
      id: 'demo-cn',
      label: 'Demo CN model (simulated)',
      protocol: 'openai-chat',
      region: 'CN',
      tokenizer: 'deepseek-v3',
      path: '/v1',
      price: { inputPerM: 0.27, outputPerM: 1.1, readOn: 'demo' },
    },
  },
  'demo-us': {
    schedule: { ttftMs: 350, tokensPerSecond: 90, outputTokens: 80 },
    spec: {
      id: 'demo-us',
      label: 'Demo US model (simulated)',
      protocol: 'anthropic',
      region: 'US',
      tokenizer: 'claude',
      path: '',
      price: { inputPerM: 3, outputPerM: 15, readOn: 'demo' },
    },
  },
  'demo-local': {
    schedule: { ttftMs: 500, tokensPerSecond: 20, outputTokens: 30 },
    spec: {
      id: 'demo-local',
      label: 'Demo local model (simulated)',
      protocol: 'ollama',
      region: 'local',
      tokenizer: 'llama3',
      path: '',
    },
  },
};

export const DEMO_MODEL_IDS = Object.keys(DEMO_SCHEDULES);

export interface DemoServer {
  url: string;
  models: ModelSpec[];
  close(): Promise<void>;
}

/** True for a model that belongs to the demo. */
export function isDemoModel(spec: Pick<ModelSpec, 'id'>): boolean {
  return spec.id.startsWith(DEMO_PREFIX);
}

/** The demo models pointed at a server's URL. */
export function demoModels(url: string): ModelSpec[] {
  return Object.entries(DEMO_SCHEDULES).map(([name, { spec }]) => {
    const { path, ...rest } = spec;
    return { ...rest, baseUrl: `${url}${path}`, model: name };
  });
}

/** Starts the demo server on 127.0.0.1 (a free port). Close it when the demo ends. */
export async function startDemoServer(): Promise<DemoServer> {
  const server: StreamServer = await startStreamServer({ port: 0, host: '127.0.0.1' });
  server.setModels(Object.fromEntries(Object.entries(DEMO_SCHEDULES).map(([name, d]) => [name, d.schedule])));
  return { url: server.url, models: demoModels(server.url), close: () => server.close() };
}
