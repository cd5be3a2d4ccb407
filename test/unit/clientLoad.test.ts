/** The client's own event-loop load: blocks while sampling count, the runner's paused work does not. */
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, expect, it } from 'vitest';
import { ClientLoadMonitor } from '../../src/core/clientLoad';

function block(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    /* the event loop is held */
  }
}

describe('ClientLoadMonitor', () => {
  it('counts a block of the event loop while it samples', async () => {
    const m = new ClientLoadMonitor();
    m.start();
    await sleep(80);
    block(250);
    await sleep(80);
    m.pause();
    // 250 ms held, less the 25 ms sampling interval the monitor subtracts.
    expect(m.result().eventLoopDelayMaxMs).toBeGreaterThan(180);
  });

  it('does not count what happens while paused, nor the pause itself when sampling resumes', async () => {
    const m = new ClientLoadMonitor();
    m.start();
    await sleep(80);
    m.pause();
    block(400);
    m.resume();
    await sleep(120);
    m.pause();
    const load = m.result();
    // Counted as a delay, the 400 ms pause would show as ≥ 375 ms.
    expect(load.eventLoopDelayMaxMs).toBeLessThan(200);
    expect(load.possiblyClientBound).toBe(false);
  });

  it('keeps the samples of every stretch between pauses', async () => {
    const m = new ClientLoadMonitor();
    m.start();
    await sleep(60);
    block(250);
    await sleep(60);
    m.pause();
    m.resume();
    await sleep(120);
    m.pause();
    // The block was in the first stretch; the second, idle one must not replace it.
    expect(m.result().eventLoopDelayMaxMs).toBeGreaterThan(180);
  });

  it('reports nothing before it started', () => {
    const m = new ClientLoadMonitor();
    m.resume();
    m.pause();
    expect(m.result()).toEqual({
      eventLoopDelayMeanMs: 0,
      eventLoopDelayP99Ms: 0,
      eventLoopDelayMaxMs: 0,
      possiblyClientBound: false,
    });
  });
});
