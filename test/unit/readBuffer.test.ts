import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ReadBuffer } from '../../src/core/stream/readBuffer';

describe('ReadBuffer', () => {
  it('gives back each read as it came, across growth, from copies (property)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 60 }),
        fc.integer({ min: 1, max: 64 }),
        (reads, initial) => {
          const kept = new ReadBuffer(initial);
          const sources = reads.map((r) => Buffer.from(r));
          for (const s of sources) kept.append(s);
          for (const s of sources) s.fill(0xff); // the socket may reuse its memory: what was kept must not change
          expect(kept.count).toBe(reads.length);
          expect(Array.from({ length: kept.count }, (_, i) => [...kept.read(i)])).toEqual(reads.map((r) => [...r]));
          expect([...kept.bytes()]).toEqual(reads.flatMap((r) => [...r]));
        },
      ),
    );
  });

  it('holds nothing before the first read and after release', () => {
    const kept = new ReadBuffer();
    expect(kept.count).toBe(0);
    expect(kept.bytes().length).toBe(0);
    kept.append(Buffer.from('data: {}\n\n'));
    expect(kept.bytes().toString()).toBe('data: {}\n\n');
    kept.release();
    expect(kept.count).toBe(0);
    expect(kept.bytes().length).toBe(0);
  });
});
