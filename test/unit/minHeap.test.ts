import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MinHeap } from '../../src/core/tokenizers/minHeap';

describe('MinHeap', () => {
  it('pops keys in ascending order, each with its own value, past its initial capacity', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 2 ** 52 }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 })), {
          maxLength: 300,
        }),
        (entries) => {
          const heap = new MinHeap(4);
          for (const [k, v] of entries) heap.push(k, v);
          expect(heap.size).toBe(entries.length);
          const popped: [number, number][] = [];
          while (heap.size > 0) popped.push([heap.pop(), heap.poppedValue]);
          expect(popped.map(([k]) => k)).toEqual(entries.map(([k]) => k).sort((a, b) => a - b));
          // Every (key, value) pair comes back intact.
          const asText = (xs: [number, number][]) => xs.map(([k, v]) => `${k}:${v}`).sort();
          expect(asText(popped)).toEqual(asText(entries));
        },
      ),
    );
  });

  it('interleaved pushes and pops always give the smallest key present', () => {
    fc.assert(
      fc.property(fc.array(fc.option(fc.nat(1000), { nil: undefined }), { maxLength: 200 }), (ops) => {
        const heap = new MinHeap(1);
        const present: number[] = [];
        for (const op of ops) {
          if (op === undefined) {
            if (present.length === 0) continue;
            const min = Math.min(...present);
            present.splice(present.indexOf(min), 1);
            expect(heap.pop()).toBe(min);
          } else {
            heap.push(op, op);
            present.push(op);
          }
        }
        expect(heap.size).toBe(present.length);
      }),
    );
  });
});
