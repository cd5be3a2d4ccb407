/**
 * The bytes of a response's reads, copied into one growing buffer as they arrive. Keeping each read's own Buffer
 * instead would keep thousands of small objects alive per stream until it is decoded: they survive the young
 * generation and make old-generation GC pauses, which land on other streams' read timestamps. Views of single
 * reads are only made when the response is decoded: made as each stream ends, at 256 streams ending together
 * they delayed the last reads of the others by tens of milliseconds.
 */
export class ReadBuffer {
  private buf: Buffer | undefined;
  private length = 0;
  private ends: number[] = [];

  constructor(private readonly initialBytes = 16 * 1024) {}

  append(chunk: Buffer): void {
    const need = this.length + chunk.length;
    if (!this.buf || need > this.buf.length) {
      const grown = Buffer.allocUnsafe(Math.max(need, this.initialBytes, (this.buf?.length ?? 0) * 2));
      this.buf?.copy(grown, 0, 0, this.length);
      this.buf = grown;
    }
    chunk.copy(this.buf, this.length);
    this.length = need;
    this.ends.push(need);
  }

  /** Number of reads kept. */
  get count(): number {
    return this.ends.length;
  }

  /** Every read's bytes in one view, in order (no copy). */
  bytes(): Buffer {
    return this.buf ? this.buf.subarray(0, this.length) : Buffer.alloc(0);
  }

  /** Read `i` (0 ≤ i < count)'s bytes (a view, no copy). */
  read(i: number): Buffer {
    return this.buf!.subarray(i > 0 ? this.ends[i - 1] : 0, this.ends[i]);
  }

  /** Drops the bytes (decoded: only the metrics are kept). */
  release(): void {
    this.buf = undefined;
    this.length = 0;
    this.ends = [];
  }
}
